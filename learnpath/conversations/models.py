"""A check-in: a conversation a manager holds with one person in a team they manage."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.extensions import db
from learnpath.timeutil import utcnow


class CheckIn(db.Model):
    """Scheduled by the manager, or requested by the person (requested_by_person)."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("status IN ('scheduled', 'held', 'cancelled')", name="known_status"),
        # A form's one-time token: a double submit of the same form stores one check-in.
        UniqueConstraint("created_by_id", "submit_token", name="uq_check_ins_submit_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                   index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    requested_by_person: Mapped[bool] = mapped_column(default=False)
    template_key: Mapped[str] = mapped_column(String(32))
    scheduled_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submit_token: Mapped[str | None] = mapped_column(String(64))
