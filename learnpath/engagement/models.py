"""Activity events (append-only, xAPI-shaped), pulse answers, kudos and the folded
(anonymous) contributions kept when raw rows are erased or pruned."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.extensions import db
from learnpath.timeutil import utcnow

# Short verb names stored in the log, with the xAPI (ADL vocabulary) IRIs they stand for.
VERBS = {
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "shared": "http://adlnet.gov/expapi/verbs/shared",
    "responded": "http://adlnet.gov/expapi/verbs/responded",
}
OBJECT_TYPES = ("module", "question", "path", "kudos", "pulse")


class ActivityEvent(db.Model):
    """One learning activity; rows are only ever inserted (and pruned by retention)."""

    __tablename__ = "activity_events"
    __table_args__ = (
        Index("ix_activity_events_actor_time", "actor_id", "timestamp"),
        Index("ix_activity_events_verb_time", "verb", "timestamp"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the person is erased: team aggregates stay correct, nothing leads back.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verb: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(String(120))
    result_score: Mapped[float | None] = mapped_column(Float)  # scaled 0..1
    result_success: Mapped[bool | None] = mapped_column(Boolean)
    result_response: Mapped[str | None] = mapped_column(String(255))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                index=True)


class PulseAnswer(db.Model):
    """A person's answer to the weekly energy check (1-5) or the monthly eNPS question (0-10)."""

    __tablename__ = "pulse_answers"
    __table_args__ = (
        UniqueConstraint("user_id", "question", "period", name="uq_pulse_answers_period"),
        CheckConstraint("question IN ('energy', 'enps')", name="known_question"),
        CheckConstraint("value BETWEEN 0 AND 10", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    question: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(10))  # 2026-W48 (energy) or 2026-11 (enps)
    value: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  index=True)


class Kudos(db.Model):
    """Recognition from one colleague to another, optionally about a module or path."""

    __tablename__ = "kudos"
    __table_args__ = (CheckConstraint("from_id <> to_id", name="not_to_self"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                              index=True)
    message: Mapped[str] = mapped_column(Text)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    path_id: Mapped[int | None] = mapped_column(ForeignKey("growth_paths.id",
                                                           ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EngagementGeneration(db.Model):
    """One row: a number raised in the same transaction as any change that can alter team or
    organisation engagement figures of a past week (learnpath/engagement/cache.py), so cached
    figures are used only while it stays the same."""

    __tablename__ = "engagement_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


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


# The session events that raise the generation (imported here so any use of the models has them).
from learnpath.engagement import cache as _cache  # noqa: E402, F401
