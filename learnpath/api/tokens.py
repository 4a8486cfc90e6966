"""Token operations: create, list, revoke and check a personal access token."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from learnpath.api.models import SCOPES, PersonalAccessToken
from learnpath.extensions import db
from learnpath.timeutil import utcnow

TOKEN_PREFIX = "lp_"
NAME_MAX = 80
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A refused token operation, with a message fit to show the person."""


@dataclass(frozen=True)
class Verdict:
    token: PersonalAccessToken | None
    reason: str | None  # None when valid; else missing, malformed, unknown, expired, revoked...


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; make them comparable."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(user, name: str, scope: str = "read",
                 expires_at: datetime | None = None) -> tuple[PersonalAccessToken, str]:
    """Create a token for the person; return it with the secret, which is never stored."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise TokenError("name")
    if scope not in SCOPES:
        raise TokenError("scope")
    secret = new_secret()
    token = PersonalAccessToken(user_id=user.id, name=name, scope=scope,
                                token_hash=hash_secret(secret), prefix=secret[:10],
                                created_at=utcnow(), expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    return token, secret


def tokens_of(user) -> list[PersonalAccessToken]:
    return db.session.scalars(select(PersonalAccessToken)
                              .where(PersonalAccessToken.user_id == user.id)
                              .order_by(PersonalAccessToken.created_at.desc(),
                                        PersonalAccessToken.id.desc())).all()


def get_own_token(user, token_id: int) -> PersonalAccessToken | None:
    return db.session.scalar(select(PersonalAccessToken).where(
        PersonalAccessToken.id == token_id, PersonalAccessToken.user_id == user.id))


def revoke(token: PersonalAccessToken) -> None:
    """Revoke a token; it answers 401 from now on. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def revoke_all(user) -> int:
    """Revoke every live token of a person (used at deactivation and erasure)."""
    result = db.session.execute(
        update(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id, PersonalAccessToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    db.session.flush()
    return result.rowcount or 0


def delete_all(user_id: int) -> int:
    result = db.session.execute(delete(PersonalAccessToken)
                                .where(PersonalAccessToken.user_id == user_id))
    db.session.flush()
    return result.rowcount or 0


def state_of(token: PersonalAccessToken, now: datetime | None = None) -> str:
    """active, expired or revoked."""
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and aware(token.expires_at) <= now:
        return "expired"
    return "active"


def verify(secret: str | None) -> Verdict:
    """Check a presented secret; touches last_used_at (flushes) when valid."""
    if not secret:
        return Verdict(None, "missing")
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200 or not secret.isascii():
        return Verdict(None, "malformed")
    token = db.session.scalar(select(PersonalAccessToken)
                              .where(PersonalAccessToken.token_hash == hash_secret(secret)))
    if token is None:
        return Verdict(None, "unknown")
    now = utcnow()
    state = state_of(token, now)
    if state != "active":
        return Verdict(None, state)
    if not token.user.is_active:
        return Verdict(None, "inactive")
    last = aware(token.last_used_at)
    if last is None or now - last >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return Verdict(token, None)


def export_rows(user_id: int) -> list[dict]:
    """Token metadata for the personal-data export; never the hash."""
    rows = db.session.scalars(select(PersonalAccessToken)
                              .where(PersonalAccessToken.user_id == user_id)
                              .order_by(PersonalAccessToken.id)).all()
    return [{
        "name": t.name, "prefix": t.prefix, "scope": t.scope,
        "created_at": _iso(t.created_at), "last_used_at": _iso(t.last_used_at),
        "expires_at": _iso(t.expires_at), "revoked_at": _iso(t.revoked_at),
    } for t in rows]


def _iso(moment: datetime | None) -> str | None:
    return aware(moment).isoformat() if moment else None
