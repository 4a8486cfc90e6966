"""What privacy wires into the app: the audit log's personal data, the `privacy` commands,
and an audit entry whenever accounts reports a change of someone's roles."""

from flask import Flask

from learnpath.privacy import cli, personal_data, services
from learnpath.signals import roles_changed


def _roles_changed(person, *, actor=None, before=(), after=(), label="web", **_extra) -> None:
    services.log_role_change(actor, person, set(before), set(after), label=label)


def init_app(app: Flask) -> None:
    personal_data.register()
    app.cli.add_command(cli.privacy_group)
    roles_changed.connect(_roles_changed)
