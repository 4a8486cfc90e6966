"""What accounts wires into the app: its personal data, the `users` commands and the role
names every template may show."""

from flask import Flask

from learnpath.accounts import cli, personal_data
from learnpath.accounts.forms import role_choices
from learnpath.web.i18n import per_language


@per_language
def role_names() -> dict:
    """The roles' names for every template, translated once per language."""
    return {"role_names": {role: str(name) for role, name in role_choices()}}


def init_app(app: Flask) -> None:
    personal_data.register()
    app.cli.add_command(cli.users_group)
    app.context_processor(role_names)
