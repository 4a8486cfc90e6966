"""Spaced review: cards from answered questions, the daily review, FSRS ratings, retention.

Plain functions that flush; the caller commits. The clock is `utcnow` of this module, so the
tests move it (monkeypatch) instead of sleeping.

Scheduling is the `fsrs` package's, with one choice of ours: no learning steps of minutes
(a daily review on a phone, not a drill), so every rating schedules whole days.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import fsrs
from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion
from learnpath.reviews.models import ReviewCard, ReviewLog
from learnpath.reviews.questions import ReviewQuestion, answered_keys, grade, questions_of
from learnpath.signals import review_answered
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

SCHEDULER = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
# A question answered in a module is first asked again the next day.
FIRST_REVIEW_AFTER = timedelta(days=1)
# A right answer within this time (server-side, from showing to answer) rates Easy.
QUICK = timedelta(seconds=10)
DEFAULT_DAILY = 5
DAILY_MAX = 50
# Due cards looked at for one showing: cards of withdrawn questions are skipped, not fatal.
LOOKAHEAD = 20


class ReviewError(ValueError):
    """A refused review answer, with a message fit to show the person."""


def now() -> datetime:
    return utcnow()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def _fsrs_card(card: ReviewCard) -> fsrs.Card:
    return fsrs.Card.from_dict({**card.state, "card_id": card.id or 0})


def _store(card: ReviewCard, scheduled: fsrs.Card) -> None:
    state = scheduled.to_dict()
    state.pop("card_id", None)
    card.state = state
    card.due = scheduled.due


# Cards -----------------------------------------------------------------------------------------


def add_cards(user, version: ModuleVersion, keys: list[str], at: datetime | None = None) -> None:
    """Make a card of each question answered (keys); a retired card of it comes back."""
    at = at or now()
    existing = {card.question_key: card for card in db.session.scalars(
        select(ReviewCard).where(ReviewCard.user_id == user.id,
                                 ReviewCard.module_id == version.module_id,
                                 ReviewCard.question_key.in_(keys)))}
    for key in dict.fromkeys(keys):
        card = existing.get(key)
        if card is not None:
            card.retired = False
            continue
        card = ReviewCard(user_id=user.id, module_id=version.module_id, question_key=key,
                          created_at=at)
        # card_id=0: fsrs would otherwise sleep a millisecond to make an id we do not use.
        _store(card, fsrs.Card(card_id=0, due=at + FIRST_REVIEW_AFTER))
        db.session.add(card)
    db.session.flush()


def cards_from_quiz(user, version=None, result=None, at=None, **_extra) -> None:
    """Receiver of signals.quiz_answered: every question answered becomes a card."""
    if version is None or result is None:
        return
    add_cards(user, version, answered_keys(result), at)


def follow_module(module, **_extra) -> None:
    """Receiver of catalog_changed / module_withdrawn: cards follow the newest published
    version; a withdrawn module or a question it no longer has retires its cards."""
    cards = update(ReviewCard).where(ReviewCard.module_id == module.id)
    keys = [q.key for q in questions_of(module.current_version)] \
        if module.status == "published" else []
    if keys:
        db.session.execute(cards.where(ReviewCard.question_key.not_in(keys))
                           .values(retired=True))
        db.session.execute(cards.where(ReviewCard.question_key.in_(keys))
                           .values(retired=False))
    else:
        db.session.execute(cards.values(retired=True))
    db.session.flush()


def get_card(user, card_id: int) -> ReviewCard | None:
    """The person's own card; someone else's is None, like a card that does not exist."""
    return db.session.scalar(select(ReviewCard).where(ReviewCard.id == card_id,
                                                      ReviewCard.user_id == user.id))


# The daily review ------------------------------------------------------------------------------


def start_of_today(moment: datetime) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = _aware(moment).astimezone(zone)
    return datetime.combine(local.date(), time(), tzinfo=zone)


def reviewed_today(user, moment: datetime) -> int:
    return db.session.scalar(select(func.count(ReviewLog.id)).where(
        ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= start_of_today(moment)))


def _due(user, moment: datetime):
    return select(ReviewCard).where(ReviewCard.user_id == user.id,
                                    ReviewCard.retired.is_(False), ReviewCard.due <= moment)


def due_count(user, moment: datetime, limit: int) -> int:
    """Due cards, counted up to `limit` (one range of the (user, retired, due) index)."""
    if limit <= 0:
        return 0
    capped = _due(user, moment).with_only_columns(ReviewCard.id).limit(limit).subquery()
    return db.session.scalar(select(func.count()).select_from(capped))


@dataclass
class Offer:
    due: int  # questions to review now (at most what is left of today's limit)
    done_today: int
    limit: int

    @property
    def left_today(self) -> int:
        return max(0, self.limit - self.done_today)


def offer(user, moment: datetime | None = None) -> Offer:
    """How many questions the person may review now: due ones, up to their daily limit."""
    columns, build = offer_columns(user, moment)
    return build(db.session.execute(select(*columns)).one() if columns else ())


def offer_columns(user, moment: datetime | None = None):
    """offer() as (scalar subqueries, build): a page that reads other figures too puts the
    columns in its one statement and gives build() their values to get the Offer."""
    moment = moment or now()
    limit = getattr(user, "daily_reviews", DEFAULT_DAILY) or 0
    if limit <= 0:
        return [], lambda _values: Offer(0, 0, 0)
    # Today's reviews, and the due cards counted up to the whole daily limit (what is left of
    # it is never more), cut to what is left in build().
    done_today = (select(func.count(ReviewLog.id)).where(
        ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= start_of_today(moment))
        .scalar_subquery())
    capped = _due(user, moment).with_only_columns(ReviewCard.id).limit(limit).subquery()
    due = select(func.count()).select_from(capped).scalar_subquery()

    def build(values) -> Offer:
        done, due_now = values
        return Offer(min(due_now, max(0, limit - done)), done, limit)

    return [done_today, due], build


def next_due(user) -> datetime | None:
    """When the person's next card falls due (None without active cards)."""
    due = db.session.scalar(select(func.min(ReviewCard.due)).where(
        ReviewCard.user_id == user.id, ReviewCard.retired.is_(False)))
    return _aware(due) if due else None


@dataclass
class Showing:
    card: ReviewCard
    module: Module
    question: ReviewQuestion


def _current_question(card: ReviewCard, module: Module | None) -> ReviewQuestion | None:
    if module is None or module.status != "published":
        return None
    return next((q for q in questions_of(module.current_version)
                 if q.key == card.question_key), None)


def next_showing(user, moment: datetime | None = None) -> Showing | None:
    """The due card to show now (earliest due first), or None: none due or limit reached.

    Cards whose question was withdrawn are passed over here (a GET changes nothing); the
    signals retire them, and an answer to one retires it too.
    """
    moment = moment or now()
    if offer(user, moment).due <= 0:
        return None
    rows = db.session.execute(
        _due(user, moment).add_columns(Module).join(Module, Module.id == ReviewCard.module_id)
        .where(Module.status == "published")
        .options(selectinload(Module.current_version).selectinload(ModuleVersion.questions))
        .order_by(ReviewCard.due, ReviewCard.id).limit(LOOKAHEAD)).all()
    for card, module in rows:
        question = _current_question(card, module)
        if question is not None:
            return Showing(card, module, question)
    return None


def showing_of(card: ReviewCard) -> Showing | None:
    module = db.session.get(Module, card.module_id)
    question = _current_question(card, module)
    return Showing(card, module, question) if question else None


@dataclass
class Outcome:
    kind: str  # "rated", "already" (this showing was rated before) or "retired"
    log: ReviewLog | None = None
    showing: Showing | None = None


def _rating(correct: bool, elapsed: timedelta) -> fsrs.Rating:
    if not correct:
        return fsrs.Rating.Again
    return fsrs.Rating.Easy if timedelta(0) <= elapsed <= QUICK else fsrs.Rating.Good


def clean_selection(showing: Showing, raw: list[str]) -> set[int]:
    """The chosen option indexes; refuse an empty or impossible answer."""
    chosen = {int(value) for value in raw if value.isdigit()
              and int(value) < len(showing.question.options)}
    if not chosen:
        raise ReviewError(_l("Choose an answer first."))
    if len(chosen) > 1 and not showing.question.multiple:
        raise ReviewError(_l("Choose one answer."))
    return chosen


def latest_log(card: ReviewCard) -> ReviewLog | None:
    return db.session.scalar(select(ReviewLog).where(ReviewLog.card_id == card.id)
                             .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
                             .limit(1))


def answer(user, card: ReviewCard, shown_at: datetime, raw: list[str],
           moment: datetime | None = None) -> Outcome:
    """Rate one showing of a card: wrong Again, right Good, right within QUICK Easy.

    A card that is not due yet is rated too (FSRS schedules it from now). A showing that
    was rated before (double submit) gets no second rating. A card whose question is no
    longer published retires.
    """
    moment = moment or now()
    showing = showing_of(card)
    if showing is None:
        card.retired = True
        db.session.flush()
        return Outcome("retired")
    selected = clean_selection(showing, raw)
    claimed = db.session.execute(
        update(ReviewCard).where(ReviewCard.id == card.id, or_(
            ReviewCard.last_rated_at.is_(None), ReviewCard.last_rated_at < shown_at))
        .values(last_rated_at=moment).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.refresh(card)
        return Outcome("already", latest_log(card), showing)
    db.session.refresh(card)
    correct = grade(showing.question, selected)
    elapsed = _aware(moment) - _aware(shown_at)
    rating = _rating(correct, elapsed)
    scheduled, _log = SCHEDULER.review_card(_fsrs_card(card), rating, _aware(moment))
    _store(card, scheduled)
    log = ReviewLog(user_id=user.id, card_id=card.id, question_id=showing.question.question.id,
                    rating=int(rating), correct=correct, selected=sorted(selected),
                    duration_ms=max(0, int(elapsed.total_seconds() * 1000)),
                    reviewed_at=moment, due_after=scheduled.due)
    db.session.add(log)
    db.session.flush()
    review_answered.send(user, card=card, log=log, module=showing.module,
                         version=showing.module.current_version,
                         position=showing.question.question.position, at=moment)
    return Outcome("rated", log, showing)


def get_log(user, log_id: int) -> ReviewLog | None:
    return db.session.scalar(select(ReviewLog).where(ReviewLog.id == log_id,
                                                     ReviewLog.user_id == user.id))


def set_daily_limit(user, value: int) -> None:
    user.daily_reviews = max(0, min(DAILY_MAX, int(value)))
    db.session.flush()


# Retention -------------------------------------------------------------------------------------


@dataclass
class Retention:
    value: float  # mean FSRS retrievability, 0-1
    cards: int

    @property
    def word(self) -> str:
        return "fresh" if self.value >= 0.9 else "fading" if self.value >= 0.7 else "review"


def retention_by_skill(user, moment: datetime | None = None, **_extra) -> dict[str, Retention]:
    """Per skill slug: the mean retrievability of the person's reviewed cards of modules
    that teach it (cards never reviewed yet have no memory to measure)."""
    moment = _aware(moment or now())
    rows = db.session.execute(
        select(ReviewCard.state, ModuleVersion.skills)
        .join(Module, Module.id == ReviewCard.module_id)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(ReviewCard.user_id == user.id, ReviewCard.retired.is_(False),
               Module.status == "published")).all()
    sums: dict[str, list[float]] = {}
    for state, skills in rows:
        if not state.get("last_review"):
            continue
        value = SCHEDULER.get_card_retrievability(fsrs.Card.from_dict({**state, "card_id": 0}),
                                                  moment)
        for slug in skills or []:
            sums.setdefault(slug, []).append(value)
    return {slug: Retention(sum(values) / len(values), len(values))
            for slug, values in sums.items()}
