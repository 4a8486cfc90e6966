"""What modules wires into the app: its personal data, the `content` commands, and the
skill changes that make the module pages' stored data stale."""

from flask import Flask

from learnpath.modules import cli, page_data, personal_data
from learnpath.signals import skills_changed


def init_app(app: Flask) -> None:
    personal_data.register()
    skills_changed.connect(page_data.receive_skills_changed)
    app.cli.add_command(cli.content_group)
