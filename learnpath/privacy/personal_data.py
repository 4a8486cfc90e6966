"""Personal data of the audit log: entries stay (accountability) without the erased actor."""

from sqlalchemy import or_, select, update

from learnpath.extensions import db
from learnpath.personal_data import register_personal_data
from learnpath.privacy.models import AuditEntry
from learnpath.timeutil import iso


def _export_audit(user):
    rows = db.session.scalars(
        select(AuditEntry).where(or_(AuditEntry.actor_id == user.id,
                                     AuditEntry.target == user.pseudonym))
        .order_by(AuditEntry.at, AuditEntry.id))
    return [{"at": iso(a.at), "action": a.action, "by_you": a.actor_id == user.id,
             "about_you": a.target == user.pseudonym, "details": a.details} for a in rows]


def _erase_audit(user):
    # Entries stay (accountability) but no longer name the erased actor.
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id)
                       .values(actor_id=None, actor_label="erased"))


def register() -> None:
    """Declare this feature's personal data (called from hooks.init_app)."""
    register_personal_data(AuditEntry, export=_export_audit, erase=_erase_audit,
                           retention="retention period (LEARNPATH_RETENTION_MONTHS)",
                           section="audit_log")
