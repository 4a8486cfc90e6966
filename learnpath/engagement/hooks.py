"""What engagement wires into the app: its personal data, and the activity events it records
when people learn (the signals modules and paths send)."""

from flask import Flask

from learnpath.engagement import personal_data, services
from learnpath.engagement.cli import engagement_group
from learnpath.signals import (
    module_completed,
    path_completed,
    path_enrolled,
    quiz_answered,
    review_answered,
)


def init_app(app: Flask) -> None:
    personal_data.register()
    quiz_answered.connect(services.record_quiz_answered)
    module_completed.connect(services.record_module_completed)
    review_answered.connect(services.record_review_answered)
    path_enrolled.connect(services.record_path_enrolled)
    path_completed.connect(services.record_path_completed)
    app.cli.add_command(engagement_group)
