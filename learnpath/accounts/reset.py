"""Password reset by e-mail: the same answer for every address, a 1-hour single-use link."""

from datetime import timedelta

from flask import current_app

from learnpath.accounts import links, mail, services, sso
from learnpath.accounts.invitations import _use
from learnpath.accounts.models import User


def _minutes() -> int:
    return int(current_app.config["RESET_LINK_MINUTES"])


def request_reset(email: str):
    """Return the e-mail to send for this address, or None when no active person has it.

    The caller answers the same way in both cases and sends the message outside the request,
    so neither the page nor its timing tells whether the address is known. Flushes.
    """
    user = services.get_user_by_email(email)
    if sso.sso_only() and not sso.is_break_glass(email):
        user = None  # SSO only: passwords are for the break-glass administrators
    if user is None or not user.active or user.erased_at is not None:
        links.hash_token(email)  # comparable work; the rest is the same for every address
        return None
    secret = links.issue(user, "reset", timedelta(minutes=_minutes()))
    services.report_event("password_reset_requested", actor=None, target=user, label="self")
    return mail.reset_message(user, secret, _minutes())


def complete_reset(secret: str, password: str) -> User | None:
    """Set a new password through a reset link; every other session of the person ends.
    None when the link is unknown, expired or used. Flushes; the caller commits."""
    return _use(secret, "reset", password, "password_reset")


def link_is_valid(secret: str, purpose: str) -> bool:
    link = links.find_valid(secret, purpose)
    return link is not None and link.user.active and link.user.erased_at is None
