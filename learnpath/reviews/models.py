"""Review cards (one per person and question, with the FSRS card state) and the review log."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.extensions import db
from learnpath.timeutil import utcnow


class ReviewCard(db.Model):
    """One person's memory of one knowledge-check question, as FSRS schedules it.

    The question is named by its module and a hash of its prompt text (question_key), not by
    a questions row: each published version has its own rows, and the card follows the
    question into the newest version; a version without the question retires the card.
    """

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "question_key", name="uq_review_cards_question"),
        # The home page's due count: the person's active cards due by now, one index range.
        Index("ix_review_cards_user_active_due", "user_id", "retired", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    question_key: Mapped[str] = mapped_column(String(64))
    # fsrs.Card.to_dict(): state, step, stability, difficulty, due, last_review.
    state: Mapped[dict] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the last rating was given: a showing from before it is answered already (double
    # submit, an old tab) and gets no second rating.
    last_rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


class ReviewLog(db.Model):
    """One review answer: what was chosen, the rating it gave and when."""

    __tablename__ = "review_logs"
    __table_args__ = (
        # Today's reviews of a person (the daily limit) and the weeks with a review (Rhythm).
        Index("ix_review_logs_user_reviewed", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id", ondelete="CASCADE"),
                                         index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    correct: Mapped[bool] = mapped_column(Boolean)
    selected: Mapped[list] = mapped_column(JSON, default=list)
    # Milliseconds from showing the question to receiving the answer, measured on the server.
    duration_ms: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def rating_name(self) -> str:
        return RATINGS.get(self.rating, "")
