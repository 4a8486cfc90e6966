"""The audit log and organisation settings."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.extensions import db
from learnpath.timeutil import utcnow

AUDIT_ACTIONS = ("person_created", "person_updated", "person_deactivated", "person_reactivated",
                 "roles_changed", "teams_changed", "person_erased", "data_exported",
                 "setting_changed", "retention_pruned",
                 "invitation_sent", "invitation_accepted",
                 "password_reset_requested", "password_reset", "sso_linked",
                 "scim_token_created", "scim_token_revoked", "scim_user_created",
                 "scim_user_updated", "scim_user_deactivated", "scim_user_reactivated",
                 "scim_user_deleted", "scim_group_changed")


class AuditEntry(db.Model):
    """An admin action on people: who did it, when, and the target's pseudonym (not a name)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # NULL for the command line (actor_label says so) or once the actor was erased.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    actor_label: Mapped[str] = mapped_column(String(40), default="web")
    action: Mapped[str] = mapped_column(String(30))
    target: Mapped[str | None] = mapped_column(String(40), index=True)  # users.pseudonym
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class OrgSetting(db.Model):
    """One organisation-wide setting (key/value), editable by admins."""

    __tablename__ = "org_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
