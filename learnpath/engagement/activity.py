"""A person's weekly engagement inputs, from a few grouped SQL queries.

Tables read, and for what:
- completions (one row per person and module): Rhythm (weeks with a completion) and Progress
  (required steps done). Repeating a module is no new row, so it does not count twice.
  activity_events, the xAPI log, is not read: it exists for export, and completions hold the
  same learning facts in far fewer rows.
- quiz_attempts: knowledge-check answers (a signal, no component of their own).
- review_logs: spaced-review answers, which count for Rhythm like completions (a week with a
  review is a week with learning; DESIGN.md section 6).
- pulse_answers: Voice (question 'energy'; the week comes from its period, e.g. 2026-W48) and
  eNPS (question 'enps'; period 2026-11).
- kudos (from_id, to_id, created_at): Recognition, given and received.
- enrolments and path_steps (required steps only): Progress.

Every query groups or filters in the database and returns at most a row per person and week,
or per enrolment; indicator.py combines the rows.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import (
    DateTime,
    String,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from learnpath.engagement import indicator as ind
from learnpath.engagement.indicator import Activity, PathHistory, Week
from learnpath.engagement.models import Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules.models import Completion, QuizAttempt
from learnpath.paths.models import Enrolment, PathStep
from learnpath.reviews.models import ReviewLog

# 4-week windows for 12 trend weeks need 15 weeks of inputs.
INPUT_WEEKS = ind.TREND_WEEKS + ind.WINDOW_WEEKS - 1
# Answers are given during their period; older rows cannot belong to the window.
PULSE_SLACK = timedelta(days=7)


def timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def threshold() -> int:
    return max(3, int(current_app.config["ANONYMITY_THRESHOLD"]))


def local_today() -> date:
    return datetime.now(timezone()).date()


# Queries ---------------------------------------------------------------------------------------
#
# The statements are built once per shape and run with bound parameters, so a request pays
# neither for building the (long) CASE expressions nor for compiling them. Who is counted is
# a "scope": one person ("user", :user_id), some people ("people", the :user_ids of the teams
# on the page, reached through the user_id indexes) or everyone ("all": the time indexes
# reach the window; rows of people outside every team are ignored when combining).

_STATEMENTS: dict[tuple, Any] = {}
TIMESTAMP = DateTime(timezone=True)


def _statement(key: tuple, build):
    if key not in _STATEMENTS:
        _STATEMENTS[key] = build()
    return _STATEMENTS[key]


def _in_scope(stmt, column, scope: str):
    if scope == "user":
        return stmt.where(column == bindparam("user_id"))
    if scope == "people":
        return stmt.where(column.in_(bindparam("user_ids", expanding=True)))
    return stmt


def _week_label(column, count: int):
    """The label of a timestamp's week among :end_0 < :end_1 < ... (the weeks' ends)."""
    return case(*[(column < bindparam(f"end_{i}", type_=TIMESTAMP),
                   bindparam(f"label_{i}", type_=String)) for i in range(count)])


def _week_params(weeks: list[Week]) -> dict:
    params = {f"end_{i}": week.end for i, week in enumerate(weeks)}
    params.update({f"label_{i}": week.label for i, week in enumerate(weeks)})
    params.update(start=weeks[0].start, stop=weeks[-1].end,
                  labels=[week.label for week in weeks],
                  pulse_since=weeks[0].start - PULSE_SLACK)
    return params


def _scope_params(scope: str, subject) -> dict:
    if scope == "user":
        return {"user_id": subject}
    if scope == "people":
        return {"user_ids": sorted(subject)}
    return {}


def _build_weekly_activity(scope: str, count: int):
    start = bindparam("start", type_=TIMESTAMP)
    stop = bindparam("stop", type_=TIMESTAMP)
    completions = _in_scope(select(
        literal_column("'c'").label("kind"), Completion.user_id.label("user_id"),
        _week_label(Completion.completed_at, count).label("period"),
    ).where(Completion.completed_at >= start, Completion.completed_at < stop),
        Completion.user_id, scope)
    in_window = and_(Kudos.created_at >= start, Kudos.created_at < stop)
    given = _in_scope(select(literal_column("'k'"), Kudos.from_id,
                             _week_label(Kudos.created_at, count)).where(in_window),
                      Kudos.from_id, scope)
    received = _in_scope(select(literal_column("'k'"), Kudos.to_id,
                                _week_label(Kudos.created_at, count)).where(in_window),
                         Kudos.to_id, scope)
    answered = _in_scope(select(
        literal_column("'a'"), QuizAttempt.user_id, _week_label(QuizAttempt.created_at, count),
    ).where(QuizAttempt.created_at >= start, QuizAttempt.created_at < stop),
        QuizAttempt.user_id, scope)
    reviewed = _in_scope(select(
        literal_column("'r'"), ReviewLog.user_id, _week_label(ReviewLog.reviewed_at, count),
    ).where(ReviewLog.reviewed_at >= start, ReviewLog.reviewed_at < stop),
        ReviewLog.user_id, scope)
    counted = union_all(completions, given, received, answered, reviewed).subquery()
    # One answer per person and period already (a unique constraint): no grouping needed.
    pulse = _in_scope(select(
        case((PulseAnswer.question == "energy", literal_column("'e'")),
             else_=literal_column("'n'")),
        PulseAnswer.user_id, PulseAnswer.period, PulseAnswer.value,
    ).where(or_(
        and_(PulseAnswer.question == "energy",
             PulseAnswer.period.in_(bindparam("labels", expanding=True)),
             PulseAnswer.value.between(*ind.ENERGY_RANGE),
             PulseAnswer.answered_at >= bindparam("pulse_since", type_=TIMESTAMP)),
        and_(PulseAnswer.question == "enps",
             PulseAnswer.period.in_(bindparam("months", expanding=True)),
             PulseAnswer.value.between(*ind.ENPS_RANGE),
             PulseAnswer.answered_at >= bindparam("month_since", type_=TIMESTAMP)))),
        PulseAnswer.user_id, scope)
    return union_all(
        select(counted.c.kind, counted.c.user_id, counted.c.period, func.count())
        .group_by(counted.c.kind, counted.c.user_id, counted.c.period),
        pulse)


def _weekly_activity(scope: str, subject, weeks: list[Week], months: list[str]):
    """Rows (kind, user_id, period, count or value): 'c' completions, 'a' knowledge-check
    submissions, 'r' review answers and 'k' kudos given or received per week (grouped),
    'e' the energy answer of a week, 'n' the eNPS answers of `months` (period: the month)."""
    stmt = _statement(("activity", scope, len(weeks)),
                      lambda: _build_weekly_activity(scope, len(weeks)))
    months = months or ["-"]
    first = min(m for m in months if m != "-") if any(m != "-" for m in months) else None
    if first:
        year, number = (int(part) for part in first.split("-"))
        month_since = ind.local_midnight(date(year, number, 1), timezone()) - PULSE_SLACK
    else:
        month_since = weeks[0].start
    return db.session.execute(stmt, {**_week_params(weeks), **_scope_params(scope, subject),
                                     "months": months, "month_since": month_since}).all()


def _relevant_enrolments():
    """Enrolments active at the end of some trend week (see PathHistory.active_at)."""
    first_end = bindparam("first_trend_end", type_=TIMESTAMP)
    return and_(Enrolment.enrolled_at < bindparam("stop", type_=TIMESTAMP),
                or_(Enrolment.state == "active",
                    and_(Enrolment.state == "completed", Enrolment.completed_at >= first_end),
                    and_(Enrolment.state == "withdrawn", Enrolment.withdrawn_at >= first_end)))


def _build_enrolments(scope: str):
    required = (select(PathStep.path_id, func.count().label("steps"))
                .where(PathStep.optional.is_(False)).group_by(PathStep.path_id)
                .subquery("required"))
    stmt = (select(Enrolment.id, Enrolment.user_id, Enrolment.path_id, Enrolment.state,
                   Enrolment.due_date, Enrolment.enrolled_at, Enrolment.completed_at,
                   Enrolment.withdrawn_at, func.coalesce(required.c.steps, 0))
            .outerjoin(required, required.c.path_id == Enrolment.path_id)
            .where(_relevant_enrolments()))
    return _in_scope(stmt, Enrolment.user_id, scope)


def _build_steps_done(scope: str, count: int):
    bucket = case((Completion.completed_at < bindparam("start", type_=TIMESTAMP),
                   literal_column("-1")),
                  *[(Completion.completed_at < bindparam(f"end_{i}", type_=TIMESTAMP),
                     literal_column(str(i))) for i in range(count)])
    done = _in_scope(
        select(Enrolment.id.label("enrolment_id"), bucket.label("week"))
        .join(PathStep, and_(PathStep.path_id == Enrolment.path_id,
                             PathStep.optional.is_(False)))
        .join(Completion, and_(Completion.user_id == Enrolment.user_id,
                               Completion.module_id == PathStep.module_id))
        .where(_relevant_enrolments()),
        Enrolment.user_id, scope).subquery()
    return (select(done.c.enrolment_id, done.c.week, func.count())
            .group_by(done.c.enrolment_id, done.c.week))


def _enrolments(scope: str, subject, weeks: list[Week]):
    """Enrolments active at the end of some trend week with their required steps, and
    (enrolment id, week index or -1 for before the first week, required steps done)."""
    params = {**_week_params(weeks), **_scope_params(scope, subject),
              "first_trend_end": weeks[ind.WINDOW_WEEKS - 1].end}
    enrolments = db.session.execute(
        _statement(("enrolments", scope), lambda: _build_enrolments(scope)), params).all()
    done = db.session.execute(_statement(
        ("steps_done", scope, len(weeks)), lambda: _build_steps_done(scope, len(weeks))),
        params).all()
    return enrolments, done


# The counted kinds of _weekly_activity and the Activity list each adds to.
_COUNTS = {"c": "completions", "a": "answers", "r": "reviews", "k": "kudos"}


def activities(scope: str, subject, weeks: list[Week], months: list[str] = ()
                ) -> tuple[dict[int, Activity], dict[tuple[int, str], int]]:
    """Each person's weekly inputs, and their eNPS answers of `months` by (user id, month),
    from a few grouped queries."""
    index = {week.label: i for i, week in enumerate(weeks)}
    activities: dict[int, Activity] = defaultdict(lambda: Activity.empty(len(weeks)))
    enps_answers: dict[tuple[int, str], int] = {}
    for kind, user_id, period, number in _weekly_activity(scope, subject, weeks, list(months)):
        if user_id is None:
            continue
        if kind == "n":
            enps_answers[(user_id, period)] = number
            continue
        week = index.get(period)
        if week is None:
            continue
        if kind in _COUNTS:
            getattr(activities[user_id], _COUNTS[kind])[week] += number
        else:
            activities[user_id].energy[week] = number
    enrolments, done = _enrolments(scope, subject, weeks)
    done_by: dict[int, list[int]] = defaultdict(lambda: [0] * (len(weeks) + 1))
    for enrolment_id, week, number in done:
        if week is not None:
            done_by[enrolment_id][week + 1] += number
    for row in enrolments:
        state = row.state
        ended = None if state == "active" else (
            row.completed_at if state == "completed" else row.withdrawn_at)
        if state != "active" and ended is None:
            continue
        counts = done_by.get(row.id) or [0] * (len(weeks) + 1)
        cumulative = list(accumulate(counts))
        activities[row.user_id].paths.append(PathHistory(
            required=row[8], enrolled_at=ind.as_utc(row.enrolled_at),
            ended_at=ind.as_utc(ended) if ended is not None else None, due=row.due_date,
            done_before=cumulative[0], done_by=tuple(cumulative[1:]), path_id=row.path_id,
            completed=state == "completed"))
    return activities, enps_answers


