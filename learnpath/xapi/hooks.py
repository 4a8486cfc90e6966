"""What xapi wires into the app: the `xapi` commands."""

from flask import Flask

from learnpath.xapi import cli


def init_app(app: Flask) -> None:
    app.cli.add_command(cli.xapi_group)
