"""What conversations wires into the app: its personal data."""

from flask import Flask

from learnpath.conversations import personal_data


def init_app(app: Flask) -> None:
    personal_data.register()
