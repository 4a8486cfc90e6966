"""Single-use sign-in links (invitations and password resets), stored only as hashes.

The secret goes into the e-mail and nowhere else: the table keeps its SHA-256, so a leaked
database or backup gives no usable link. Issuing a new link of a kind drops the person's
earlier unused links of that kind; setting a password through any link drops all of them.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.personal_data import register_personal_data
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text

PURPOSES = ("invitation", "reset")


class SignInLink(db.Model):
    __tablename__ = "sign_in_links"
    __table_args__ = (
        CheckConstraint("purpose IN ('invitation', 'reset')", name="known_purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    # sha256 hex of the secret in the e-mailed link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(user: User, purpose: str, lifetime: timedelta) -> str:
    """Create a link for this person and return its secret; earlier unused ones stop working."""
    assert purpose in PURPOSES
    db.session.execute(delete(SignInLink).where(
        SignInLink.user_id == user.id, SignInLink.purpose == purpose,
        SignInLink.used_at.is_(None)))
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(SignInLink(user_id=user.id, purpose=purpose, token_hash=hash_token(secret),
                              created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return secret


def find_valid(secret: str, purpose: str) -> SignInLink | None:
    """The unused, unexpired link with this secret, or None."""
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(select(SignInLink).where(
        SignInLink.token_hash == hash_token(secret), SignInLink.purpose == purpose,
        SignInLink.used_at.is_(None), SignInLink.expires_at > utcnow()))


def consume(link: SignInLink) -> bool:
    """Mark the link used; False when another request used it first (single use, race-free)."""
    result = db.session.execute(
        update(SignInLink).where(SignInLink.id == link.id, SignInLink.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    # Any other outstanding link of this person stops working too.
    db.session.execute(delete(SignInLink).where(
        SignInLink.user_id == link.user_id, SignInLink.used_at.is_(None)))
    db.session.flush()
    return True


def _export(user) -> list[dict]:
    rows = db.session.scalars(select(SignInLink).where(SignInLink.user_id == user.id)
                              .order_by(SignInLink.id))
    return [{"purpose": r.purpose, "created_at": _iso(r.created_at),
             "expires_at": _iso(r.expires_at), "used_at": _iso(r.used_at)} for r in rows]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _erase(user) -> None:
    db.session.execute(delete(SignInLink).where(SignInLink.user_id == user.id))


def register() -> None:
    """Declare this module's personal data (called from accounts' personal_data)."""
    register_personal_data(
        SignInLink, export=_export, erase=_erase, section="sign_in_links",
        retention=lazy_text("Invitation and password-reset links: kept (as a hash, without the "
                            "secret) until you delete your account."),
    )
