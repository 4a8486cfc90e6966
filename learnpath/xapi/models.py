"""The statement outbox: one row per exported activity event, written in the event's transaction.

No user id is stored here: the statement is built from the event when it is sent, so a person
erased before the push (their events' actor set to NULL) is never sent with their identity.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.timeutil import utcnow

# Kudos and pulse answers stay inside learnpath: they are engagement data shown only as
# thresholded team aggregates (DESIGN.md, privacy), never per person to a third party.
EXPORTED_TYPES = ("module", "question", "path")
OUTBOX_STATES = ("queued", "sent", "skipped", "rejected")


class XapiOutbox(db.Model):
    """A statement to send: queued -> sent (or skipped: no actor any more; rejected: 400)."""

    __tablename__ = "xapi_outbox"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sent', 'skipped', 'rejected')",
                        name="known_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("activity_events.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class XapiPushStatus(db.Model):
    """One row (id 1): how the last pushes went, for the admin status page."""

    __tablename__ = "xapi_push_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    sent_total: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(ActivityEvent, "after_insert")
def _enqueue(_mapper, connection, target: ActivityEvent) -> None:
    """Queue the event's statement in the same transaction as the event itself."""
    if target.object_type in EXPORTED_TYPES:
        connection.execute(insert(XapiOutbox.__table__).values(
            event_id=target.id, state="queued", attempts=0, created_at=utcnow()))
