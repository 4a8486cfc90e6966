"""The audit log, organisation settings and the folded (anonymous) engagement aggregates."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.extensions import db
from learnpath.models_base import utcnow

AUDIT_ACTIONS = ("roles_changed", "person_erased", "data_exported", "setting_changed",
                 "retention_pruned")


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


class EngagementFold(db.Model):
    """Anonymous contributions to a team's (or, team NULL, the organisation's) figures of one
    ISO week (2026-W47) or eNPS month (2026-11), kept when the raw rows behind them are erased
    or pruned. Rows only add up: aggregates.py sums them per team and period with the live
    figures. Deltas may be negative (retention removes an answer the live rows still count).
    """

    __tablename__ = "engagement_folds"
    __table_args__ = (Index("ix_engagement_folds_period_team", "period", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(10))  # erasure | retention
    people: Mapped[int] = mapped_column(Integer, default=0)
    indicator_sum: Mapped[float] = mapped_column(Float, default=0)
    rhythm_sum: Mapped[float] = mapped_column(Float, default=0)
    rhythm_n: Mapped[int] = mapped_column(Integer, default=0)
    progress_sum: Mapped[float] = mapped_column(Float, default=0)
    progress_n: Mapped[int] = mapped_column(Integer, default=0)
    voice_sum: Mapped[float] = mapped_column(Float, default=0)
    voice_n: Mapped[int] = mapped_column(Integer, default=0)
    recognition_sum: Mapped[float] = mapped_column(Float, default=0)
    recognition_n: Mapped[int] = mapped_column(Integer, default=0)
    engaged: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    at_risk: Mapped[int] = mapped_column(Integer, default=0)
    learned: Mapped[int] = mapped_column(Integer, default=0)
    promoter: Mapped[int] = mapped_column(Integer, default=0)
    passive: Mapped[int] = mapped_column(Integer, default=0)
    detractor: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


FOLD_FIELDS = ("people", "indicator_sum", "rhythm_sum", "rhythm_n", "progress_sum", "progress_n",
               "voice_sum", "voice_n", "recognition_sum", "recognition_n", "engaged", "neutral",
               "at_risk", "learned", "promoter", "passive", "detractor")
