"""What privacy wires into the app: the audit log's personal data, the `privacy` commands,
and an audit entry whenever accounts reports a change of someone's account, roles or teams."""

from flask import Flask

from learnpath.privacy import cli, personal_data, services
from learnpath.signals import account_event, person_changed, roles_changed


def _roles_changed(person, *, actor=None, before=(), after=(), label="web", via=None,
                   **_extra) -> None:
    services.log_role_change(actor, person, set(before), set(after), label=label, via=via)


def _person_changed(person, *, action, actor=None, label="web", details=None,
                    **_extra) -> None:
    services.log(action, actor=actor, target=person, label=label, details=details or {})


def _account_event(person, *, action, actor=None, label="web", details=None, **_extra) -> None:
    services.log(action, actor=actor, target=person, label=label, details=details)


def init_app(app: Flask) -> None:
    personal_data.register()
    app.cli.add_command(cli.privacy_group)
    roles_changed.connect(_roles_changed)
    person_changed.connect(_person_changed)
    account_event.connect(_account_event)
