"""A check-in: a conversation a manager holds with one person in a team they manage."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
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
    # The person agrees to show the kudos they received on the agenda (off until they do).
    show_kudos: Mapped[bool] = mapped_column(default=False)
    # Both sides confirm the check-in happened; with both, the status becomes 'held'.
    manager_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    person_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def side_of(self, user) -> str | None:
        """'manager', 'person' or None for anyone else."""
        if user.id == self.manager_id:
            return "manager"
        if user.id == self.person_id:
            return "person"
        return None


class CheckInEntry(db.Model):
    """A topic, a note or an agreed action on a check-in.

    kind 'private': a note only its author ever sees (never the other side, an admin, an export
    of the other side or the API). 'topic' and 'shared' notes both sides see. 'action': agreed,
    with an owner and a date; path_action 'enrol' or 'assign' creates that enrolment when the
    right side carries it out (carried_out_at).
    """

    __tablename__ = "check_in_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('topic', 'shared', 'private', 'action')", name="known_kind"),
        CheckConstraint("path_action IS NULL OR path_action IN ('enrol', 'assign')",
                        name="known_path_action"),
        UniqueConstraint("author_id", "submit_token", name="uq_check_in_entries_submit_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"),
                                             index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    path_id: Mapped[int | None] = mapped_column(ForeignKey("growth_paths.id",
                                                           ondelete="SET NULL"))
    path_action: Mapped[str | None] = mapped_column(String(8))
    carried_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submit_token: Mapped[str | None] = mapped_column(String(64))


class CheckInTemplateRow(db.Model):
    """A check-in template authors edit: a title and questions, in English and Dutch.

    Questions are stored one per line. `key` is what a check-in refers to (check_ins.
    template_key); it never changes, so check-ins keep their template when it is edited.
    """

    __tablename__ = "check_in_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    title_en: Mapped[str] = mapped_column(String(120))
    title_nl: Mapped[str] = mapped_column(String(120))
    questions_en: Mapped[str] = mapped_column(Text, default="")
    questions_nl: Mapped[str] = mapped_column(Text, default="")
    module_en: Mapped[str | None] = mapped_column(String(120))
    module_nl: Mapped[str | None] = mapped_column(String(120))
    # The new-template form's one-time token: sending it twice adds one template.
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
