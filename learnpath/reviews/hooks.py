"""What reviews wires into the app: its personal data, cards from answered knowledge checks,
cards that follow their module, and retention for My skills."""

from flask import Flask

from learnpath.paths.reminders import register_digest_section
from learnpath.reviews import personal_data, reminders, services
from learnpath.signals import catalog_changed, module_withdrawn, quiz_answered, skill_retention


def init_app(app: Flask) -> None:
    personal_data.register()
    quiz_answered.connect(services.cards_from_quiz)
    catalog_changed.connect(services.follow_module)
    module_withdrawn.connect(services.follow_module)
    skill_retention.connect(services.retention_by_skill)
    register_digest_section(app, reminders.digest_section)
