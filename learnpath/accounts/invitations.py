"""Invitations: an e-mailed single-use link with which a new person chooses a password."""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app

from learnpath.accounts import links, mail, services
from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l


def _days() -> int:
    return int(current_app.config["INVITATION_DAYS"])


def invite(user: User, actor: User | None = None, label: str = "web"):
    """Issue a fresh invitation link (earlier ones stop working); return the e-mail to send.

    Flushes; the caller sends the message and then commits (or rolls back when sending failed).
    """
    if not user.active or user.erased_at is not None:
        raise services.AccountError(_l("A deactivated person cannot be invited."))
    secret = links.issue(user, "invitation", timedelta(days=_days()))
    user.invited_at = utcnow()
    services.report_event("invitation_sent", actor=actor, target=user, label=label)
    return mail.invitation_message(user, secret, _days())


def can_be_invited(user: User | None) -> bool:
    """People who cannot sign in yet: active, never signed in, no password."""
    return (user is not None and user.active and user.erased_at is None
            and not user.password_hash and user.last_login_at is None)


@dataclass
class InviteReport:
    invited: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # e-mail -> error


def invite_imported(report, actor: User | None = None, label: str = "import") -> InviteReport:
    """Invite every valid person of a CSV import who cannot sign in yet; commits per person."""
    result = InviteReport()
    emails = [row.email for row in report.rows if row.status != "invalid"]
    for email in emails:
        user = services.get_user_by_email(email)
        if not can_be_invited(user):
            continue
        message = invite(user, actor, label)
        try:
            mail.send_now([message])
        except mail.MAIL_ERRORS as error:
            db.session.rollback()
            result.failed[email] = f"{type(error).__name__}: {error}"
            continue
        db.session.commit()
        result.invited.append(email)
    return result


def accept(secret: str, password: str) -> User | None:
    """Set the password through an invitation link; None when the link is unknown, expired
    or used. Flushes; the caller commits and signs the person in."""
    return _use(secret, "invitation", password, "invitation_accepted")


def _use(secret: str, purpose: str, password: str, action: str) -> User | None:
    link = links.find_valid(secret, purpose)
    if link is None:
        return None
    user = link.user
    if not user.active or user.erased_at is not None or not links.consume(link):
        return None
    services.set_password(user, password)  # rotates the session token: other sessions end
    user.last_login_at = utcnow()
    services.report_event(action, actor=user, target=user)
    db.session.flush()
    return user
