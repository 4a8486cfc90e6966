"""What conversations wires into the app: its personal data and its digest section."""

from flask import Flask

from learnpath.conversations import personal_data, reminders
from learnpath.paths.reminders import register_digest_section


def init_app(app: Flask) -> None:
    personal_data.register()
    register_digest_section(app, reminders.digest_section)
