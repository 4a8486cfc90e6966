"""Flask-Login wiring: how a session id maps to a person."""

from flask import Flask

from learnpath.accounts import signed_in
from learnpath.extensions import login_manager
from learnpath.web.i18n import lazy_text as _l


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(signed_in.load_user_from_session_id)
