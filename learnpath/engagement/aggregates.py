"""Engagement figures for a person, a team and the organisation, from grouped SQL queries.

Tables read, and for what:
- completions (one row per person and module): Rhythm (weeks with a completion) and Progress
  (required steps done). Repeating a module is no new row, so it does not count twice.
  activity_events, the xAPI log, is not read: it exists for export, and completions hold the
  same learning facts in far fewer rows.
- pulse_answers: Voice (question 'energy'; the week comes from its period, e.g. 2026-W48) and
  eNPS (question 'enps'; period 2026-11).
- kudos (from_id, to_id, created_at): Recognition, given and received.
- enrolments and path_steps (required steps only): Progress.
- team_memberships and users: who is in which team (active people, membership kind 'member').
- engagement_folds: anonymous contributions kept when raw rows were erased (a person's right to
  erasure) or pruned (retention), per team and week or eNPS month; added to the live figures
  with one grouped query per page (see learnpath/privacy/retention.py).

Every query groups or filters in the database and returns at most a row per person and week,
per enrolment, or per team and kind; indicator.py combines the rows. A page runs the same
handful of queries whatever the number of people, teams or events.

Privacy: this module hands out a person's own figures (PersonFigures) and group aggregates
(GroupFigures) only. Other people's indicators are computed in memory and dropped. A group
figure is shown when at least k people contribute to it (plan_visibility). Whether a team is
shown at all is decided over every team's size at once, so a team hidden on the HR overview
(too small, or hidden by the subtraction rule) is hidden on its manager's page as well; the
per-figure subtraction rule (eNPS, Voice, Progress) applies where the organisation total is
shown, on the HR pages.
"""

from collections import defaultdict
from dataclasses import dataclass, field
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

from learnpath.accounts.models import Team, TeamMembership, User
from learnpath.engagement import cache
from learnpath.engagement import indicator as ind
from learnpath.engagement.indicator import Activity, Indicator, PathHistory, Week
from learnpath.engagement.models import FOLD_FIELDS, EngagementFold, Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules.models import Completion
from learnpath.paths.models import Enrolment, GrowthPath, PathStep

# 4-week windows for 12 trend weeks need 15 weeks of inputs.
INPUT_WEEKS = ind.TREND_WEEKS + ind.WINDOW_WEEKS - 1
# Metrics with their own contributor count; "people" covers the indicator, its trend, Rhythm,
# Recognition, the bands and the participation rates (every active member contributes).
METRICS = ("people", "progress", "voice", "enps")
METRIC_OF_COMPONENT = {"rhythm": "people", "progress": "progress", "voice": "voice",
                       "recognition": "people"}
# Why a figure is hidden: nobody contributes; fewer than k do; shown, it would let a hidden
# team's figure be worked out by subtraction; the team as a whole is hidden.
REASONS = ("none", "too_few", "subtraction", "group_hidden")
# Answers are given during their period; older rows cannot belong to the window.
PULSE_SLACK = timedelta(days=7)


def timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def threshold() -> int:
    return max(3, int(current_app.config["ANONYMITY_THRESHOLD"]))


def local_today() -> date:
    return datetime.now(timezone()).date()


def team_reference_day(today: date) -> date:
    """Team figures end with the last complete week, so they do not move with each answer."""
    return today - timedelta(weeks=1)


def enps_month_for(today: date) -> str:
    """eNPS is reported for the last complete month."""
    return ind.month_label(ind.previous_month(today))


# Results ---------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One aggregate: a value, or the reason it is hidden."""

    value: Any = None
    hidden: str | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass
class GroupFigures:
    key: int | None  # team id; None for the organisation
    name: str
    people: int
    week: Week
    enps_month: str
    hidden: str | None = None
    indicator: Figure = field(default_factory=Figure)
    components: dict[str, Figure] = field(default_factory=dict)
    bands: Figure = field(default_factory=Figure)  # {band: (count, percent)}
    trend: list[tuple[Week, int | None]] = field(default_factory=list)
    enps: Figure = field(default_factory=Figure)  # indicator.Enps
    learning: Figure = field(default_factory=Figure)  # % with a completion in the window
    pulse: Figure = field(default_factory=Figure)  # % who answered the weekly pulse
    # The group's charts drawn from these figures, per language (dashboard_views): cached
    # figures carry them along, so they are dropped exactly when the figures are.
    charts: dict[str, dict] = field(default_factory=dict, compare=False, repr=False)

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass
class PathLine:
    path_id: int
    title_en: str
    title_nl: str
    required: int
    done: int
    expected: float | None
    value: float

    def title(self, locale: str) -> str:
        return self.title_nl if locale == "nl" else self.title_en


@dataclass
class PersonFigures:
    week: Week
    current: Indicator
    trend: list[tuple[Week, Indicator]]
    completion_weeks: int
    kudos: int
    energy: int | None
    paths: list[PathLine]


# Visibility ------------------------------------------------------------------------------------


def plan_visibility(counts: dict[Any, dict[str, int]], k: int) -> dict[Any, dict[str, str | None]]:
    """Decide per team and metric whether it is shown (None) or why not.

    `counts` holds, for every team of the parent, how many people contribute to each metric.
    A metric is shown when at least k contribute. When exactly one team has a hidden figure
    that someone contributes to, the next smallest shown team is hidden too, so the hidden one
    cannot be computed by subtracting the others from the parent's total.
    """
    plan: dict[Any, dict[str, str | None]] = {key: {} for key in counts}
    for metric in METRICS:
        for key, team_counts in counts.items():
            n = team_counts.get(metric, 0)
            group = plan[key].get("people")
            if metric != "people" and group is not None:
                plan[key][metric] = "group_hidden" if group != "none" else "none"
            elif n <= 0:
                plan[key][metric] = "none"
            elif n < k:
                plan[key][metric] = "too_few"
            else:
                plan[key][metric] = None
        exposed = [key for key in counts
                   if plan[key][metric] is not None and counts[key].get(metric, 0) > 0]
        shown = [key for key in counts if plan[key][metric] is None]
        if len(exposed) == 1 and shown:
            smallest = min(shown, key=lambda key: (counts[key].get(metric, 0), str(key)))
            plan[smallest][metric] = "subtraction"
    return plan


def _reason_for(n: int, k: int) -> str | None:
    return "none" if n <= 0 else "too_few" if n < k else None


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


def _members(team_ids=None):
    """(team_id, user_id) of active members, of these teams or of every team."""
    stmt = (select(TeamMembership.team_id, TeamMembership.user_id)
            .join(User, User.id == TeamMembership.user_id)
            .where(TeamMembership.kind == "member", User.active.is_(True)))
    if team_ids is not None:
        stmt = stmt.where(TeamMembership.team_id.in_(list(team_ids)))
    return stmt


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
    counted = union_all(completions, given, received).subquery()
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
        and_(PulseAnswer.question == "enps", PulseAnswer.period == bindparam("month"),
             PulseAnswer.value.between(*ind.ENPS_RANGE),
             PulseAnswer.answered_at >= bindparam("month_since", type_=TIMESTAMP)))),
        PulseAnswer.user_id, scope)
    return union_all(
        select(counted.c.kind, counted.c.user_id, counted.c.period, func.count())
        .group_by(counted.c.kind, counted.c.user_id, counted.c.period),
        pulse)


def _weekly_activity(scope: str, subject, weeks: list[Week], month: str):
    """Rows (kind, user_id, period, count or value): 'c' completions and 'k' kudos given or
    received per week (grouped), 'e' the energy answer of a week, 'n' the eNPS answer of
    `month`."""
    stmt = _statement(("activity", scope, len(weeks)),
                      lambda: _build_weekly_activity(scope, len(weeks)))
    year, number = (int(part) for part in month.split("-"))
    month_since = ind.local_midnight(date(year, number, 1), timezone()) - PULSE_SLACK
    return db.session.execute(stmt, {**_week_params(weeks), **_scope_params(scope, subject),
                                     "month": month, "month_since": month_since}).all()


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


def _team_sizes() -> dict[int, int]:
    """Active members of every team (one grouped query)."""
    return dict(db.session.execute(
        select(TeamMembership.team_id, func.count())
        .join(User, User.id == TeamMembership.user_id)
        .where(TeamMembership.kind == "member", User.active.is_(True))
        .group_by(TeamMembership.team_id)).all())


EMPTY_FOLD = dict.fromkeys(FOLD_FIELDS, 0)


def _folds(periods: list[str]) -> dict[tuple[int | None, str], dict]:
    """Folded contributions per (team id or None for the organisation, period): one query."""
    rows = db.session.execute(
        select(EngagementFold.team_id, EngagementFold.period,
               *[func.sum(getattr(EngagementFold, name)) for name in FOLD_FIELDS])
        .where(EngagementFold.period.in_(periods))
        .group_by(EngagementFold.team_id, EngagementFold.period)).all()
    return {(row[0], row[1]): dict(zip(FOLD_FIELDS, (v or 0 for v in row[2:]), strict=True))
            for row in rows}


def _fold_of(folds: dict, key: int | None):
    return lambda period: folds.get((key, period), EMPTY_FOLD)


def _periods(weeks: list[Week], month: str) -> list[str]:
    return [week.label for week in weeks[ind.WINDOW_WEEKS - 1:]] + [month]


# Per person ------------------------------------------------------------------------------------


def _activities(scope: str, subject, weeks: list[Week],
                month: str) -> tuple[dict[int, Activity], dict[int, int]]:
    """Each person's weekly inputs and eNPS answer of the month, from a few grouped queries."""
    index = {week.label: i for i, week in enumerate(weeks)}
    activities: dict[int, Activity] = defaultdict(lambda: Activity.empty(len(weeks)))
    enps_answers: dict[int, int] = {}
    for kind, user_id, period, number in _weekly_activity(scope, subject, weeks, month):
        if user_id is None:
            continue
        if kind == "n":
            enps_answers[user_id] = number
            continue
        week = index.get(period)
        if week is None:
            continue
        if kind == "c":
            activities[user_id].completions[week] += number
        elif kind == "k":
            activities[user_id].kudos[week] += number
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
            done_before=cumulative[0], done_by=tuple(cumulative[1:]), path_id=row.path_id))
    return activities, enps_answers


def person_figures(user_id: int, today: date | None = None) -> PersonFigures:
    """A person's own indicator, components, inputs and 12-week trend (for them only)."""
    tz = timezone()
    today = today or local_today()
    weeks = ind.weeks_ending(today, INPUT_WEEKS, tz)
    activities, _enps = _activities("user", user_id, weeks, ind.month_label(today))
    activity = activities.get(user_id) or Activity.empty(len(weeks))
    results = ind.timeline(weeks, activity, today, tz)
    trend = list(zip(weeks[ind.WINDOW_WEEKS - 1:], results, strict=True))
    window = slice(len(weeks) - ind.WINDOW_WEEKS, len(weeks))
    last = weeks[-1]
    energy = next((e for e in reversed(activity.energy[window]) if ind.voice(e) is not None),
                  None)
    active = [p for p in activity.paths if p.active_at(last.end)]
    titles = {row.id: row for row in db.session.execute(
        select(GrowthPath.id, GrowthPath.title_en, GrowthPath.title_nl)
        .where(GrowthPath.id.in_([p.path_id for p in active])))} if active else {}
    day = min(last.sunday, today)
    lines = []
    for path in active:
        before = path.done_by[window.start - 1]
        plan = ind.PathPlan(path.required, path.done_by[-1],
                            path.enrolled_at.astimezone(tz).date(), path.due,
                            path.done_by[-1] > before)
        title = titles.get(path.path_id)
        lines.append(PathLine(path.path_id, title.title_en if title else "",
                              title.title_nl if title else "", path.required, plan.done,
                              plan.expected(day), ind.path_progress(plan, day)))
    return PersonFigures(
        week=last, current=results[-1], trend=trend,
        completion_weeks=sum(1 for n in activity.completions[window] if n > 0),
        kudos=sum(activity.kudos[window]), energy=energy, paths=lines)


# Groups ----------------------------------------------------------------------------------------


@dataclass
class _Person:
    """What a group aggregate needs of one person; nothing of it leaves this module."""

    trend: list[Indicator]
    learned: bool  # a completion in the last window
    enps: str | None = None  # promoter, passive or detractor in the eNPS month

    @property
    def current(self) -> Indicator:
        return self.trend[-1]


def _people(scope: str, subject, weeks: list[Week], month: str, today: date,
            tz: ZoneInfo) -> dict[int, _Person]:
    activities, enps_answers = _activities(scope, subject, weeks, month)
    window = slice(len(weeks) - ind.WINDOW_WEEKS, len(weeks))
    timeline = ind.Timeline(weeks, today, tz)
    people = {}
    for user_id, activity in activities.items():
        people[user_id] = _Person(timeline.of(activity),
                                  learned=any(activity.completions[window]))
    idle = None
    for user_id, value in enps_answers.items():
        if user_id not in people:
            idle = idle or _idle(weeks, today, tz)
            people[user_id] = _Person(idle.trend, False)
        people[user_id].enps = ind.enps_category(value)
    return people


def _idle(weeks: list[Week], today: date, tz: ZoneInfo) -> _Person:
    """A person without any activity in the weeks (computed once, shared)."""
    return _Person(ind.timeline(weeks, Activity.empty(len(weeks)), today, tz), False)


def _counts(members: list[_Person], fold=None, week: str = "", month: str = "") -> dict[str, int]:
    """How many people contribute to each metric of a group (live and folded), and the eNPS
    split."""
    counts = {"people": len(members), "progress": 0, "voice": 0, "enps": 0,
              "promoter": 0, "passive": 0, "detractor": 0}
    for person in members:
        components = person.current.components
        counts["progress"] += components["progress"] is not None
        counts["voice"] += components["voice"] is not None
        if person.enps:
            counts["enps"] += 1
            counts[person.enps] += 1
    if fold is not None:
        folded, folded_month = fold(week), fold(month)
        counts["people"] += folded["people"]
        counts["progress"] += folded["progress_n"]
        counts["voice"] += folded["voice_n"]
        for category in ("promoter", "passive", "detractor"):
            counts[category] += folded_month[category]
            counts["enps"] += folded_month[category]
    return counts


def _mean(values: list[float], extra_sum: float = 0, extra_n: int = 0) -> int | None:
    total = len(values) + extra_n
    return ind.round_half_up((sum(values) + extra_sum) / total) if total > 0 else None


def _percent(part: int, whole: int) -> int | None:
    return ind.round_half_up(100 * part / whole) if whole else None


def _group(key, name: str, members: list[_Person], weeks: list[Week], month: str,
           plan: dict[str, str | None], counts: dict[str, int], fold=None) -> GroupFigures:
    """Combine the people of one group (and its folded contributions) into its aggregates,
    hiding what the plan hides."""
    trend_weeks = weeks[ind.WINDOW_WEEKS - 1:]
    fold = fold or (lambda period: EMPTY_FOLD)
    figures = GroupFigures(key=key, name=name, people=counts["people"], week=weeks[-1],
                           enps_month=month, hidden=plan["people"])
    if figures.hidden is not None:
        hidden = Figure(hidden=figures.hidden)
        figures.indicator = figures.bands = figures.learning = figures.pulse = hidden
        figures.components = {name: hidden for name in ind.COMPONENTS}
        figures.enps = Figure(hidden=plan["enps"])
        return figures
    n = counts["people"]
    folded = [fold(week.label) for week in trend_weeks]
    figures.trend = [(week, _mean([p.trend[i].value for p in members],
                                  folded[i]["indicator_sum"], folded[i]["people"]))
                     for i, week in enumerate(trend_weeks)]
    figures.indicator = Figure(figures.trend[-1][1])
    current = [p.current for p in members]
    last = folded[-1]
    for component in ind.COMPONENTS:
        reason = plan[METRIC_OF_COMPONENT[component]]
        values = [c.components[component] for c in current
                  if c.components[component] is not None]
        figures.components[component] = (
            Figure(hidden=reason) if reason is not None else
            Figure(_mean(values, last[f"{component}_sum"], last[f"{component}_n"])))
    bands = {b: sum(1 for c in current if c.band == b) + last[b] for b in ind.BANDS}
    figures.bands = Figure({b: (count, _percent(count, n)) for b, count in bands.items()})
    figures.learning = Figure(_percent(sum(p.learned for p in members) + last["learned"], n))
    figures.pulse = Figure(_percent(counts["voice"], n))
    figures.enps = (Figure(hidden=plan["enps"]) if plan["enps"] is not None else Figure(
        ind.Enps(counts["promoter"], counts["passive"], counts["detractor"])))
    return figures


def _own_plan(people_reason: str | None, counts: dict[str, int], k: int) -> dict:
    """The team-level decision, then each metric on the group's own contributors."""
    plan = {"people": people_reason}
    for metric in METRICS[1:]:
        if people_reason is not None:
            plan[metric] = "none" if people_reason == "none" else "group_hidden"
        else:
            plan[metric] = _reason_for(counts[metric], k)
    return plan


def _team_setup(today: date | None):
    tz = timezone()
    today = today or local_today()
    weeks = ind.weeks_ending(team_reference_day(today), INPUT_WEEKS, tz)
    return tz, today, weeks, enps_month_for(today)


def team_figures(teams: list[Team], today: date | None = None) -> list[GroupFigures]:
    """Aggregates of these teams for their manager.

    Whether a team is shown at all follows the organisation-wide plan (its size, and the
    subtraction rule over team sizes), so a team hidden on the HR overview is hidden here too.
    Each metric then needs k contributors of its own. The per-metric subtraction rule needs
    every team's per-metric counts and applies where the organisation total is shown: on the
    HR pages (organisation_figures), which HR people also get for a single team.
    """
    if not teams:
        return []
    if today is None:
        today = local_today()
        return list(cache.cached(("teams", tuple(t.id for t in teams), *_reference(today),
                                  threshold()), lambda: _team_figures(teams, today)))
    return _team_figures(teams, today)


def _reference(today: date) -> tuple[str, str]:
    """The reference week's label and the eNPS month of the figures shown on `today`: what
    the figures depend on besides the data (team_reference_day, enps_month_for)."""
    return (ind.week_containing(team_reference_day(today), timezone()).label,
            enps_month_for(today))


def _team_figures(teams: list[Team], today: date | None) -> list[GroupFigures]:
    tz, today, weeks, month = _team_setup(today)
    k = threshold()
    folds = _folds(_periods(weeks, month))
    sizes = _team_sizes()
    reference = weeks[-1].label
    for (team_id, period), folded in folds.items():
        if team_id is not None and period == reference:
            sizes[team_id] = sizes.get(team_id, 0) + folded["people"]
    size_plan = plan_visibility({team_id: {"people": n} for team_id, n in sizes.items()}, k)
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in db.session.execute(_members([t.id for t in teams])):
        members[team_id].append(user_id)
    reasons = {t.id: size_plan.get(t.id, {}).get("people", "none") for t in teams}
    shown = {user_id for t in teams if reasons[t.id] is None for user_id in members[t.id]}
    people = _people("people", shown, weeks, month, today, tz) if shown else {}
    idle = _idle(weeks, today, tz)
    result = []
    for team in teams:
        group = [people.get(user_id, idle) for user_id in members[team.id]]
        fold = _fold_of(folds, team.id)
        counts = _counts(group, fold, reference, month)
        result.append(_group(team.id, team.name, group, weeks, month,
                             _own_plan(reasons[team.id], counts, k), counts, fold))
    return result


@dataclass
class OrganisationFigures:
    total: GroupFigures
    teams: list[GroupFigures]
    # The HR page rendered from these figures, per language (see dashboard_views.hr): cached
    # figures carry it along, so it is dropped exactly when they are.
    html: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def team(self, team_id: int) -> GroupFigures | None:
        return next((group for group in self.teams if group.key == team_id), None)


def organisation_figures(today: date | None = None) -> OrganisationFigures:
    """The organisation as a whole (every team member) and each team, for HR.

    Without `today` (the pages), the figures come from the cache while nothing that can
    change them has happened (learnpath/engagement/cache.py); treat them as read-only.
    """
    if today is None:
        today = local_today()
        return cache.cached(("organisation", *_reference(today), threshold()),
                            lambda: _organisation_figures(today))
    return _organisation_figures(today)


def _organisation_figures(today: date | None) -> OrganisationFigures:
    tz, today, weeks, month = _team_setup(today)
    k = threshold()
    teams = db.session.execute(select(Team.id, Team.name).order_by(Team.name, Team.id)).all()
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in db.session.execute(_members()):
        members[team_id].append(user_id)
    everyone = sorted({user_id for ids in members.values() for user_id in ids})
    people = _people("all", None, weeks, month, today, tz) if everyone else {}
    idle = _idle(weeks, today, tz)
    folds = _folds(_periods(weeks, month))
    reference = weeks[-1].label
    groups = {t.id: [people.get(user_id, idle) for user_id in members[t.id]] for t in teams}
    counts = {team_id: _counts(group, _fold_of(folds, team_id), reference, month)
              for team_id, group in groups.items()}
    plan = plan_visibility(counts, k)
    org_members = [people.get(user_id, idle) for user_id in everyone]
    org_fold = _fold_of(folds, None)
    org_counts = _counts(org_members, org_fold, reference, month)
    org_plan = _own_plan(_reason_for(org_counts["people"], k), org_counts, k)
    total = _group(None, "", org_members, weeks, month, org_plan, org_counts, org_fold)
    return OrganisationFigures(total, [
        _group(t.id, t.name, groups[t.id], weeks, month, plan[t.id], counts[t.id],
               _fold_of(folds, t.id))
        for t in teams])


# Folding: a person's share of team figures, kept when their raw rows go ------------------------


def fold_weeks(today: date | None = None) -> tuple[list[Week], list[str]]:
    """The input weeks and eNPS months whose figures a fold must keep: every week a team page
    shows now or after the current week ends (13 trend weeks), the last and current month."""
    tz = timezone()
    today = today or local_today()
    return (ind.weeks_ending(today, INPUT_WEEKS + 1, tz),
            [enps_month_for(today), ind.month_label(today)])


def person_contributions(user_ids, today: date | None = None) -> dict[int, dict[str, dict]]:
    """Each person's share of group figures, per trend week and eNPS month, as fold fields.

    Group figures are sums over people, so adding these to a fold keeps a team's figures
    when the person's raw rows are detached or deleted.
    """
    tz = timezone()
    today = today or local_today()
    weeks, months = fold_weeks(today)
    subject = set(user_ids)
    result: dict[int, dict[str, dict]] = {user_id: {} for user_id in subject}
    if not subject:
        return result
    activities, enps_last = _activities("people", subject, weeks, months[0])
    _unused, enps_now = _activities("people", subject, weeks, months[1])
    timeline = ind.Timeline(weeks, today, tz)
    trend_weeks = weeks[ind.WINDOW_WEEKS - 1:]
    for user_id in subject:
        activity = activities.get(user_id) or Activity.empty(len(weeks))
        for i, (week, result_) in enumerate(zip(trend_weeks, timeline.of(activity),
                                                strict=True)):
            values = dict(EMPTY_FOLD, people=1, indicator_sum=result_.value,
                          learned=int(any(activity.completions[i:i + ind.WINDOW_WEEKS])))
            values[result_.band] = 1
            for component in ind.COMPONENTS:
                value = result_.components[component]
                if value is not None:
                    values[f"{component}_sum"] = value
                    values[f"{component}_n"] = 1
            result[user_id][week.label] = values
        for month, answers in zip(months, (enps_last, enps_now), strict=True):
            category = ind.enps_category(answers[user_id]) if user_id in answers else None
            result[user_id][month] = dict(EMPTY_FOLD, **({category: 1} if category else {}))
    return result
