"""What the API feature wires into the app: problem-details errors under /api and the
personal data its tokens hold."""

from flask import Flask

from learnpath.api import problems
from learnpath.api.models import PersonalAccessToken
from learnpath.api.tokens import delete_all, export_rows
from learnpath.personal_data import register_personal_data
from learnpath.web.i18n import lazy_text


def _export_tokens(user) -> list[dict]:
    return export_rows(user.id)


def _erase_tokens(user) -> None:
    delete_all(user.id)


def init_app(app: Flask) -> None:
    problems.init_app(app)
    register_personal_data(
        PersonalAccessToken, export=_export_tokens, erase=_erase_tokens,
        retention=lazy_text("API tokens: kept until you delete your account; revoked tokens "
                            "stay listed so you can see when they were used."),
        section="api_tokens",
    )
