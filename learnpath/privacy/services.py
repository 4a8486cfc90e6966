"""Subject access (export), erasure, retention, the audit log and the privacy settings.

Plain functions that flush and let the caller commit.
"""

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from learnpath.accounts.models import User, UserRole, new_pseudonym
from learnpath.extensions import db
from learnpath.personal_data import registered
from learnpath.privacy import retention
from learnpath.privacy.models import AuditEntry, OrgSetting
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

EXPORT_FORMAT = "learnpath-personal-data"
EXPORT_VERSION = 1
ERASED_NAME = "Erased person"
ERASED_DOMAIN = "erased.invalid"
SETTING_KEYS = ("privacy_contact",)


class PrivacyError(ValueError):
    """A refused privacy operation, with a message fit to show the person."""


def find_person(email: str) -> User:
    """The (not erased) person with this e-mail address; PrivacyError when there is none."""
    address = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == address,
                                                User.erased_at.is_(None)))
    if user is None:
        raise PrivacyError(_l("Nobody with the e-mail address %(email)s exists.",
                              email=address or "''"))
    return user


# Audit ------------------------------------------------------------------------------------------

def log(action: str, *, actor: User | None = None, target: User | str | None = None,
        label: str = "web", details: dict | None = None) -> AuditEntry:
    """Record an action on a person: who did it (user or 'cli'), when, the target's pseudonym."""
    if isinstance(target, User):
        target = target.pseudonym
    entry = AuditEntry(action=action, actor_id=actor.id if actor is not None else None,
                       actor_label=label if actor is None else "web", target=target,
                       details=details or {}, at=utcnow())
    db.session.add(entry)
    db.session.flush()
    return entry


def log_role_change(actor: User | None, target: User, before: set[str], after: set[str],
                    label: str = "web", via: str | None = None) -> None:
    """Log a change of roles (nothing when they did not change)."""
    if set(before) != set(after):
        details = {"before": sorted(before), "after": sorted(after)}
        if via:
            details["via"] = via
        log("roles_changed", actor=actor, target=target, label=label, details=details)


def audit_entries(page: int = 1, per_page: int = 50):
    """A page of the audit log, newest first, with each actor's and target's current name."""
    actor = db.aliased(User)
    target = db.aliased(User)
    stmt = (select(AuditEntry, actor.display_name, actor.erased_at, target.display_name,
                   target.erased_at)
            .outerjoin(actor, actor.id == AuditEntry.actor_id)
            .outerjoin(target, target.pseudonym == AuditEntry.target)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    total = db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


# Export -----------------------------------------------------------------------------------------

def export_person(user: User, *, actor: User | None = None, label: str = "web") -> dict:
    """All personal data of one person as one JSON-ready document (see README).

    An export by someone other than the person (an admin, the command line) is audited.
    """
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(),
        "profile": {
            "email": user.email, "display_name": user.display_name, "locale": user.locale,
            "active": bool(user.active), "created_at": _iso(user.created_at),
            "pseudonym": user.pseudonym, "last_digest_at": _iso(user.last_digest_at),
        },
    }
    for entry in registered():
        document[entry.section] = entry.export(user)
    if actor is None or actor.id != user.id:
        log("data_exported", actor=actor, target=user, label=label)
    return document


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# Erasure ----------------------------------------------------------------------------------------

def _other_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserRole).join(User, User.id == UserRole.user_id)
        .where(UserRole.role == "admin", UserRole.user_id != user.id, User.active.is_(True),
               User.erased_at.is_(None))) or 0


def erase_person(user: User, *, actor: User | None = None, label: str = "web") -> bool:
    """Erase a person: refused for the last admin; a no-op (False) when already erased.

    The weeks dashboards show are closed first (aggregate rows, unchanged by what follows);
    then every registered table erases or
    detaches their rows; then the account becomes a tombstone: a new random pseudonym for
    name and e-mail, no password, no roles or teams, inactive, with a new session token so
    every session and remember-me cookie is refused at once. The audit log keeps the old
    pseudonym (what admins saw), which no longer leads to the tombstone.
    """
    if user.erased_at is not None:
        return False
    if "admin" in user.roles and _other_admins(user) == 0:
        raise PrivacyError(_l("This is the last administrator: make someone else an "
                              "administrator first."))
    retention.close_past_weeks()
    for entry in registered():
        entry.erase(user)
    db.session.flush()
    db.session.expire(user)
    known_as = user.pseudonym
    user.pseudonym = new_pseudonym()
    user.display_name = ERASED_NAME
    user.email = f"{user.pseudonym}-{secrets.token_hex(4)}@{ERASED_DOMAIN}"
    user.password_hash = None
    user.locale = None
    user.last_digest_at = None
    user.active = False
    user.erased_at = utcnow()
    user.rotate_session_token()
    db.session.flush()
    own = actor is not None and actor.id == user.id
    log("person_erased", actor=None if own else actor, target=known_as,
        label="self" if own else label)
    return True


# Retention --------------------------------------------------------------------------------------

def retention_months() -> int:
    return int(current_app.config["RETENTION_MONTHS"])


def prune(months: int | None = None, *, now: datetime | None = None,
          label: str = "cli") -> dict[str, int]:
    """Delete raw events, pulse answers and audit entries older than `months` (the weeks
    dashboards show are closed first)."""
    months = retention_months() if months is None else months
    if not isinstance(months, int) or months <= 0:
        raise PrivacyError(_l("The retention period must be a positive number of months."))
    cutoff = retention.default_cutoff(months, now)
    counts = retention.prune(cutoff)
    log("retention_pruned", label=label, details={"months": months, **counts})
    return counts


# Settings ---------------------------------------------------------------------------------------

def get_setting(key: str) -> str:
    row = db.session.get(OrgSetting, key)
    return row.value if row is not None else ""


def set_setting(key: str, value: str, *, actor: User | None = None) -> None:
    """Change an organisation setting (audited)."""
    if key not in SETTING_KEYS:
        raise PrivacyError(_l("Unknown setting."))
    value = (value or "").strip()
    row = db.session.get(OrgSetting, key)
    if row is None:
        row = OrgSetting(key=key, value="")
        db.session.add(row)
    if row.value != value:
        row.value = value
        row.updated_at = utcnow()
        log("setting_changed", actor=actor, details={"key": key})
    db.session.flush()
