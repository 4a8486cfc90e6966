"""What modules wires into the app: its personal data and the `content` commands."""

from flask import Flask

from learnpath.modules import cli, personal_data


def init_app(app: Flask) -> None:
    personal_data.register()
    app.cli.add_command(cli.content_group)
