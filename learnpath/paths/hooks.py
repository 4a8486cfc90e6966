"""What paths wires into the app: its personal data, the `reminders` commands, its path files
in the content import/export, the path counts on the skill list, the next step on a finished
module's page, and what it does when a module is completed or withdrawn."""

from flask import Flask

from learnpath.modules import finish, importer
from learnpath.paths import authoring, catalog, enrolments, next_step, personal_data
from learnpath.paths.reminders import reminders_group
from learnpath.signals import module_completed, module_withdrawn
from learnpath.skills import services as skills


def init_app(app: Flask) -> None:
    personal_data.register()
    app.cli.add_command(reminders_group)
    importer.register_path_files(catalog.import_path_text, catalog.export_paths)
    skills.register_path_counter(authoring.paths_per_skill)
    finish.register_next_step(next_step.next_step_in_path)
    module_completed.connect(enrolments.receive_module_completed)
    module_withdrawn.connect(enrolments.receive_module_withdrawn)
