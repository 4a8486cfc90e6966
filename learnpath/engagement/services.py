"""The activity log, pulse checks and kudos: plain functions that flush; the caller commits.

Events are written by the services that change learning state (through signals), in the
same transaction: a request that fails and rolls back leaves no event behind.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from learnpath.accounts import services as accounts
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.paths.models import GrowthPath
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

KUDOS_MAX = 500
QUESTIONS = {"energy": (1, 5), "enps": (0, 10)}


class EngagementError(ValueError):
    """A refused pulse answer or kudos, with a message fit to show the person."""


# Activity log --------------------------------------------------------------------------------


def record(actor, verb: str, object_type: str, object_id, *, score: float | None = None,
           success: bool | None = None, response: str | None = None,
           context: dict | None = None, at: datetime | None = None) -> ActivityEvent:
    """Append one event to the log (at `at`, default now)."""
    event = ActivityEvent(actor_id=getattr(actor, "id", None), verb=verb,
                          object_type=object_type, object_id=str(object_id),
                          result_score=score, result_success=success,
                          result_response=response, context=context or {},
                          timestamp=at or utcnow())
    db.session.add(event)
    db.session.flush()
    return event


def _experienced_once(user, module, at: datetime | None = None) -> None:
    seen = db.session.scalar(select(ActivityEvent.id).where(
        ActivityEvent.actor_id == user.id, ActivityEvent.verb == "experienced",
        ActivityEvent.object_type == "module", ActivityEvent.object_id == module.slug).limit(1))
    if seen is None:
        record(user, "experienced", "module", module.slug,
               context={"language": module.language}, at=at)


# The record_* receivers below are connected to the learning signals in engagement/hooks.py.

def _response(item) -> str:
    """Chosen option indexes "0,2", or a fill question's texts in blank order "a[,]b"."""
    if item.question.kind == "fill":
        return "[,]".join(item.selected)
    return ",".join(str(i) for i in sorted(item.selected))


def record_quiz_answered(user, version=None, result=None, at=None, **_extra):
    module = version.module
    _experienced_once(user, module, at)
    for item in result.results:
        record(user, "answered", "question", f"{module.slug}#{item.question.position + 1}",
               success=item.correct, response=_response(item),
               context={"module": module.slug, "version": version.number,
                        "attempt": result.attempt.id if result.attempt else None,
                        **({"kind": "fill"} if item.question.kind == "fill" else {})}, at=at)
    record(user, "passed" if result.score >= 0.5 else "failed", "module", module.slug,
           score=result.score, success=result.score >= 0.5,
           context={"version": version.number}, at=at)


def record_review_answered(user, card=None, log=None, module=None, version=None, position=0,
                           at=None, **_extra):
    """A spaced-review answer: "answered" the question, with a review context (xAPI)."""
    record(user, "answered", "question", f"{module.slug}#{position + 1}",
           success=log.correct, response=",".join(str(i) for i in log.selected),
           context={"module": module.slug, "version": version.number if version else None,
                    "review": {"card": card.id, "rating": log.rating_name,
                               "duration_ms": log.duration_ms}}, at=at)


def record_module_completed(user, module=None, completion=None, at=None, **_extra):
    _experienced_once(user, module, at)
    record(user, "completed", "module", module.slug,
           score=completion.score if completion else None, success=True,
           context={"version": module.current_version.number if module.current_version
                    else None}, at=at)


def record_path_enrolled(user, enrolment=None, at=None, **_extra):
    record(user, "registered", "path", enrolment.path.slug,
           context={"registration": enrolment.id, "source": enrolment.source}, at=at)


def record_path_completed(user, enrolment=None, at=None, **_extra):
    record(user, "completed", "path", enrolment.path.slug, success=True,
           context={"registration": enrolment.id}, at=at)


def events_of(user, limit: int = 1000) -> list[ActivityEvent]:
    return db.session.scalars(select(ActivityEvent).where(ActivityEvent.actor_id == user.id)
                              .order_by(ActivityEvent.timestamp, ActivityEvent.id)
                              .limit(limit)).all()


# Pulse checks --------------------------------------------------------------------------------


def local_today() -> date:
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def period_for(question: str, day: date) -> str:
    """The weekly period (ISO week) for energy, the month for eNPS."""
    if question == "energy":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


SKIPPED_KEY = "pulse_skipped"  # in the session: {question: period skipped}; never stored


def skipped_questions(stored: dict, day: date | None = None) -> dict[str, bool]:
    """Which questions were skipped (per `stored`, from the session) for the current period."""
    day = day or local_today()
    return {q: stored.get(q) == period_for(q, day) for q in QUESTIONS}


def answer_pulse(user, question: str, value, day: date | None = None,
                 at: datetime | None = None) -> PulseAnswer:
    """Store or change the person's answer for this period (one answer per period).

    `day` picks the period (default today); `at` is when it was answered (default now).
    """
    if question not in QUESTIONS:
        raise EngagementError(_l("Unknown question."))
    low, high = QUESTIONS[question]
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high:
        raise EngagementError(_l("Choose a value from %(low)d to %(high)d.", low=low, high=high))
    period = period_for(question, day or local_today())
    answer = db.session.scalar(select(PulseAnswer).where(
        PulseAnswer.user_id == user.id, PulseAnswer.question == question,
        PulseAnswer.period == period))
    if answer is None:
        answer = PulseAnswer(user_id=user.id, question=question, period=period, value=value,
                             answered_at=at or utcnow())
        db.session.add(answer)
    else:
        answer.value = value
        answer.answered_at = at or utcnow()
    db.session.flush()
    record(user, "responded", "pulse", f"{question}/{period}", response=str(value), at=at)
    return answer


@dataclass(frozen=True)
class Answered:
    """The person's answer to a pulse question this period, as the home page shows it."""

    value: int


def pulse_columns(user, day: date | None = None) -> list:
    """The pulse questions of this period as scalar subqueries, one per question: the
    person's answer's value or NULL. A page puts them in the statement that reads its other
    figures; open_pulses_from() makes the values {question: answer or None}."""
    day = day or local_today()
    return [select(PulseAnswer.value).where(
        PulseAnswer.user_id == user.id, PulseAnswer.question == question,
        PulseAnswer.period == period_for(question, day)).scalar_subquery()
        for question in QUESTIONS]


def open_pulses_from(values) -> dict[str, Answered | None]:
    return {question: Answered(value) if value is not None else None
            for question, value in zip(QUESTIONS, values, strict=True)}


# Kudos ---------------------------------------------------------------------------------------


def give_kudos(giver, recipient, message: str, module=None, path=None,
               at: datetime | None = None, token: str | None = None) -> Kudos:
    """Recognise a colleague; refused for yourself, deactivated people and empty messages.

    `token`: the one-time token of the form that sent it. The same token again (a double
    click, a resubmit, two requests at once) returns the kudos already stored instead of a
    second one: the unique constraint decides, and the loser of a race reads the winner's row.
    `at`: when, for history written after the fact (the demo); default now.
    """
    message = _checked_kudos(giver, recipient, message, module, path)
    if token:
        sent = _kudos_with_token(giver, token)
        if sent is not None:
            return sent
    kudos = Kudos(from_id=giver.id, to_id=recipient.id, message=message,
                  module_id=getattr(module, "id", None), path_id=getattr(path, "id", None),
                  created_at=at or utcnow(), submit_token=token or None)
    try:
        with db.session.begin_nested():
            db.session.add(kudos)
    except IntegrityError:
        if not token:
            raise
        return _kudos_with_token(giver, token)
    context = {"to": "colleague"}
    if module is not None:
        context["module"] = module.slug
    if path is not None:
        context["path"] = path.slug
    record(giver, "shared", "kudos", kudos.id, context=context, at=at)
    return kudos


def _checked_kudos(giver, recipient, message: str, module, path) -> str:
    """The stripped message; EngagementError when the kudos cannot be given."""
    if recipient is None:
        raise EngagementError(_l("We could not find that colleague."))
    if recipient.id == giver.id:
        raise EngagementError(_l("Kudos are for colleagues, not for yourself."))
    if not recipient.active:
        raise EngagementError(_l("This person can no longer receive kudos."))
    message = (message or "").strip()
    if not message:
        raise EngagementError(_l("Write a short message with your kudos."))
    if len(message) > KUDOS_MAX:
        raise EngagementError(_l("Keep the message under %(max)d characters.", max=KUDOS_MAX))
    for subject in (module, path):
        if subject is not None and subject.status != "published":
            raise EngagementError(_l("Kudos can be about a published module or growth path only."))
    return message


def _kudos_with_token(giver, token: str) -> Kudos | None:
    return db.session.scalar(select(Kudos).where(Kudos.from_id == giver.id,
                                                 Kudos.submit_token == token))


SUBJECTS_MAX = 50


def kudos_subjects(giver, locale: str, extra: str | None = None) -> list[tuple[str, str]]:
    """What kudos can be about, as ("path:slug" or "module:slug", label) choices.

    Published growth paths, the modules the giver finished (newest first) and `extra`, a
    published module or path named in the link that opened the form. A colleague's own
    progress is not read here: nobody learns from this list what someone else finished.
    """
    paths = db.session.scalars(select(GrowthPath).where(GrowthPath.status == "published")
                               .order_by(GrowthPath.title_en)).all()
    modules = [tuple(row) for row in db.session.execute(
        select(Module.slug, ModuleVersion.title)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .join(Completion, Completion.module_id == Module.id)
        .where(Completion.user_id == giver.id, Module.status == "published")
        .order_by(Completion.completed_at.desc()).limit(SUBJECTS_MAX))]
    if extra and extra.startswith("module:") and extra[7:] not in {m for m, _t in modules}:
        try:
            named = resolve_subject(extra)[0]
        except EngagementError:
            named = None  # a stale or foreign link: the form simply does not offer it
        if named is not None:
            modules.insert(0, (named.slug, named.title))
    return ([(f"path:{p.slug}", _l("Growth path: %(title)s", title=p.title(locale)))
             for p in paths]
            + [(f"module:{slug}", _l("Module: %(title)s", title=title))
               for slug, title in modules])


def resolve_subject(value: str | None):
    """(module, path) for a "module:slug" or "path:slug" choice; (None, None) for nothing.

    Raises EngagementError for anything that is not a published module or path.
    """
    if not value:
        return None, None
    kind, _sep, slug = value.partition(":")
    model = {"module": Module, "path": GrowthPath}.get(kind)
    subject = db.session.scalar(select(model).where(model.slug == slug)) if model else None
    if subject is None or subject.status != "published":
        raise EngagementError(_l("Kudos can be about a published module or growth path only."))
    return (subject, None) if kind == "module" else (None, subject)


def kudos_about(kudos_list, locale: str) -> dict[int, tuple[str, str, str]]:
    """For kudos about a module or path: {kudos id: (kind, slug, title)} in two queries."""
    module_ids = {k.module_id for k in kudos_list if k.module_id}
    path_ids = {k.path_id for k in kudos_list if k.path_id}
    modules = {}
    if module_ids:
        modules = {mid: (slug, title) for mid, slug, title in db.session.execute(
            select(Module.id, Module.slug, ModuleVersion.title)
            .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
            .where(Module.id.in_(module_ids)))}
    paths = {p.id: p for p in db.session.scalars(
        select(GrowthPath).where(GrowthPath.id.in_(path_ids)))} if path_ids else {}
    about = {}
    for kudos in kudos_list:
        if kudos.module_id in modules:
            about[kudos.id] = ("module", *modules[kudos.module_id])
        elif kudos.path_id in paths:
            path = paths[kudos.path_id]
            about[kudos.id] = ("path", path.slug, path.title(locale))
    return about


def unseen_kudos(user, limit: int = 5) -> list[tuple[Kudos, str]]:
    """Kudos the person received and has not seen yet, with the giver's name."""
    rows = db.session.execute(
        select(Kudos, accounts.User.display_name)
        .join(accounts.User, accounts.User.id == Kudos.from_id, isouter=True)
        .where(Kudos.to_id == user.id, Kudos.seen_at.is_(None),
               Kudos.message != "")  # an erased giver's words are gone: nothing to show
        .order_by(Kudos.created_at.desc()).limit(limit)).all()
    return [(kudos, name) for kudos, name in rows]


def mark_kudos_seen(user) -> int:
    count = 0
    for kudos in db.session.scalars(select(Kudos).where(Kudos.to_id == user.id,
                                                        Kudos.seen_at.is_(None))):
        kudos.seen_at = utcnow()
        count += 1
    db.session.flush()
    return count


def team_wall(team, days: int = 60, limit: int = 50) -> list[dict]:
    """Recent kudos between members of one team (visible to that team)."""
    members = select(accounts.TeamMembership.user_id).where(
        accounts.TeamMembership.team_id == team.id)
    giver = db.aliased(accounts.User)
    receiver = db.aliased(accounts.User)
    since = utcnow() - timedelta(days=days)
    rows = db.session.execute(
        select(Kudos, giver.display_name, receiver.display_name)
        .join(giver, giver.id == Kudos.from_id).join(receiver, receiver.id == Kudos.to_id)
        .where(Kudos.to_id.in_(members), Kudos.created_at >= since)
        .order_by(Kudos.created_at.desc()).limit(limit)).all()
    return [{"kudos": k, "from": g, "to": r} for k, g, r in rows]


def colleagues_of(user) -> list:
    """People who share a team with the person (managers included), for the kudos form."""
    my_teams = select(accounts.TeamMembership.team_id).where(
        accounts.TeamMembership.user_id == user.id)
    shared = select(accounts.TeamMembership.user_id).where(
        accounts.TeamMembership.team_id.in_(my_teams))
    return db.session.scalars(
        select(accounts.User)
        .where(accounts.User.id.in_(shared), accounts.User.id != user.id,
               accounts.User.active.is_(True))
        .order_by(func.lower(accounts.User.display_name))).all()
