"""Personal data of reviews: cards and review answers, the person's own; erasure deletes them."""

from sqlalchemy import delete, select

from learnpath.extensions import db
from learnpath.modules.models import Module
from learnpath.personal_data import register_personal_data
from learnpath.reviews.models import RATINGS, ReviewCard, ReviewLog
from learnpath.timeutil import iso

RETENTION = "kept while the account exists; deleted when the person is erased"


def _export_cards(user):
    rows = db.session.execute(
        select(ReviewCard, Module.slug).join(Module, Module.id == ReviewCard.module_id)
        .where(ReviewCard.user_id == user.id).order_by(ReviewCard.id))
    return [{"id": card.id, "module": slug, "question": card.question_key,
             "due": iso(card.due), "retired": card.retired, "fsrs": card.state,
             "created_at": iso(card.created_at)} for card, slug in rows]


def _export_logs(user):
    rows = db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == user.id)
                              .order_by(ReviewLog.reviewed_at, ReviewLog.id))
    return [{"card": log.card_id, "reviewed_at": iso(log.reviewed_at),
             "rating": RATINGS.get(log.rating), "correct": log.correct,
             "selected": log.selected, "duration_ms": log.duration_ms,
             "next_due": iso(log.due_after)} for log in rows]


def _erase_logs(user) -> None:
    db.session.execute(delete(ReviewLog).where(ReviewLog.user_id == user.id))


def _erase_cards(user) -> None:
    db.session.execute(delete(ReviewLog).where(ReviewLog.user_id == user.id))
    db.session.execute(delete(ReviewCard).where(ReviewCard.user_id == user.id))


def register() -> None:
    """Declare this feature's personal data (called from hooks.init_app)."""
    register_personal_data(ReviewLog, export=_export_logs, erase=_erase_logs,
                           retention=RETENTION, section="review_answers", order=40)
    register_personal_data(ReviewCard, export=_export_cards, erase=_erase_cards,
                           retention=RETENTION, section="review_cards", order=41)
