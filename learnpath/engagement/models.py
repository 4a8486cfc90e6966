"""Activity events (append-only, xAPI-shaped), pulse answers and kudos."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
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
    __table_args__ = (
        CheckConstraint("from_id <> to_id", name="not_to_self"),
        # A form's one-time token: a double submit of the same form stores one kudos.
        UniqueConstraint("from_id", "submit_token", name="uq_kudos_submit_token"),
    )

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
    submit_token: Mapped[str | None] = mapped_column(String(64))


class TeamWeek(db.Model):
    """A closed ISO week's engagement figures of one primary team (or, group_key 0, the whole
    organisation): counts and sums only, never a user id (DESIGN.md section 6).

    Written once when the week closes (learnpath/engagement/snapshots.py), over the membership
    of that moment, and never changed: the unique constraint makes a second close of the same
    week (another worker, the cron command) fail instead of adding a row. The anonymity
    threshold is applied when reading, to `contributors` and the per-component counts.
    """

    __tablename__ = "engagement_team_weeks"
    __table_args__ = (
        UniqueConstraint("week", "group_key", name="uq_engagement_team_weeks_week_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(10))  # 2026-W48
    week_start: Mapped[date] = mapped_column(Date, index=True)  # its Monday
    # 0 for the organisation, else the team's id (kept, not a foreign key, so a deleted team's
    # past weeks still add up to the organisation's).
    group_key: Mapped[int] = mapped_column(Integer)
    team_name: Mapped[str] = mapped_column(String(120), default="")
    members: Mapped[int] = mapped_column(Integer, default=0)
    contributors: Mapped[int] = mapped_column(Integer, default=0)  # people with an indicator
    indicator_sum: Mapped[float] = mapped_column(Float, default=0)
    rhythm_sum: Mapped[float] = mapped_column(Float, default=0)
    progress_sum: Mapped[float] = mapped_column(Float, default=0)
    progress_n: Mapped[int] = mapped_column(Integer, default=0)
    voice_sum: Mapped[float] = mapped_column(Float, default=0)
    voice_n: Mapped[int] = mapped_column(Integer, default=0)
    recognition_sum: Mapped[float] = mapped_column(Float, default=0)
    engaged: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    at_risk: Mapped[int] = mapped_column(Integer, default=0)
    learned: Mapped[int] = mapped_column(Integer, default=0)  # members with a completion
    enps_month: Mapped[str] = mapped_column(String(7), default="")  # last complete month
    promoters: Mapped[int] = mapped_column(Integer, default=0)
    passives: Mapped[int] = mapped_column(Integer, default=0)
    detractors: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


PLAN_FOCUSES = ("rhythm", "progress", "voice", "recognition", "enps")
FOLLOW_UP_VALUES = (0, 1, 2)  # no, a little, yes


class ActionPlan(db.Model):
    """A manager's answer to a team's closed month: one focus and one or two actions.

    `actions` is a list of {"suggestion": key} (a suggestion of plan_suggestions.py, shown in
    the reader's language with its catalog module) or {"text": "..."} (the manager's own
    words). One plan per team and month: a second submit of the same form finds the first.
    """

    __tablename__ = "action_plans"
    __table_args__ = (
        UniqueConstraint("team_id", "month", name="uq_action_plans_team_month"),
        CheckConstraint("focus IN ('rhythm', 'progress', 'voice', 'recognition', 'enps')",
                        name="known_focus"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # the closed month it answers: 2026-11
    focus: Mapped[str] = mapped_column(String(16))
    actions: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    follow_up_on: Mapped[date] = mapped_column(Date)  # when the team is asked "did it help?"
    submit_token: Mapped[str | None] = mapped_column(String(64))


class ActionPlanAnswer(db.Model):
    """A team member's answer to "Did this help?": shown only as a team total of at least k
    answers, never per person. Detached from the person on erasure, so the total stands."""

    __tablename__ = "action_plan_answers"
    __table_args__ = (
        UniqueConstraint("plan_id", "user_id", name="uq_action_plan_answers_plan_user"),
        CheckConstraint("value IN (0, 1, 2)", name="known_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    value: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
