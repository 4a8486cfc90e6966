"""Action plans: a manager answers a team's closed month with a focus and one or two actions;
four weeks later the team is asked once whether it helped (DESIGN.md section 6b).

Plain functions that flush; the caller commits. The follow-up is shown only as a team total,
only once its question has closed (so a total cannot be watched growing by one answer) and
only from k answers on; nobody sees who answered what.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Date, Integer, and_, bindparam, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from learnpath.accounts.models import Team, TeamMembership
from learnpath.engagement.activity import local_today, threshold
from learnpath.engagement.models import (
    FOLLOW_UP_VALUES,
    PLAN_FOCUSES,
    ActionPlan,
    ActionPlanAnswer,
    TeamWeek,
)
from learnpath.engagement.plan_suggestions import BY_KEY, modules_for, suggestions_for
from learnpath.extensions import db
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

ACTION_MAX = 200
MAX_ACTIONS = 2
FOLLOW_UP_AFTER = timedelta(weeks=4)
FOLLOW_UP_OPEN = timedelta(weeks=2)  # how long the question stays on the home page
SHOWN_ON_HOME = timedelta(weeks=10)  # from when the plan was made


class PlanError(ValueError):
    """A refused plan or answer, with a message fit to show and the field it belongs to."""

    def __init__(self, message, field_name: str = "form"):
        super().__init__(str(message))
        self.message = message
        self.field = field_name


class NotYourTeam(PlanError):
    """The person does not manage (or, for answers, belong to) the plan's team."""


class AlreadyPlanned(PlanError):
    """The team already has a plan for that month (made by someone else, or another form)."""

    def __init__(self, plan: ActionPlan):
        super().__init__(_l("This team already has an action plan for %(month)s.",
                            month=plan.month))
        self.plan = plan


def manages_team(user, team: Team) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(TeamMembership).where(
        TeamMembership.user_id == user.id, TeamMembership.team_id == team.id,
        TeamMembership.kind == "manager")))


def closed_month(team: Team, today: date | None = None) -> str | None:
    """The month the team's figures last came in for by `today` (the eNPS month of its latest
    closed week), or None when the team has no closed figures (not anyone's primary team)."""
    statement = select(TeamWeek.enps_month).where(TeamWeek.group_key == team.id)
    if today is not None:
        statement = statement.where(TeamWeek.week_start <= today - timedelta(weeks=1))
    return db.session.scalar(statement.order_by(TeamWeek.week_start.desc()).limit(1)) or None


def plan_for(team: Team, month: str | None) -> ActionPlan | None:
    if not month:
        return None
    return db.session.scalar(select(ActionPlan).where(ActionPlan.team_id == team.id,
                                                      ActionPlan.month == month))


def checked_actions(focus: str, suggestion_keys, own_texts) -> list[dict]:
    """The plan's actions from the chosen suggestions and the own words; PlanError naming
    the field when a choice is unknown, a text too long, or not one or two actions."""
    if focus not in PLAN_FOCUSES:
        raise PlanError(_l("Choose what the plan focuses on."), "focus")
    allowed = {s.key for s in suggestions_for(focus)}
    keys = list(dict.fromkeys(k for k in suggestion_keys if k))
    if any(key not in allowed for key in keys):
        raise PlanError(_l("Choose from the suggestions for this focus."), "suggestions")
    actions = [{"suggestion": key} for key in keys]
    for name, text in own_texts:
        text = (text or "").strip()
        if len(text) > ACTION_MAX:
            raise PlanError(_l("Keep an action under %(max)d characters.", max=ACTION_MAX),
                            name)
        if text:
            actions.append({"text": text})
    if not actions:
        raise PlanError(_l("Choose one or two actions, or write your own."), "actions")
    if len(actions) > MAX_ACTIONS:
        raise PlanError(_l("Choose at most two actions: a plan the team can keep works "
                           "better than a long list."), "actions")
    return actions


def create_plan(manager, team: Team, month: str, focus: str, suggestion_keys, own_texts,
                *, token: str | None = None, today: date | None = None,
                at: datetime | None = None) -> ActionPlan:
    """Make the team's plan for its closed month.

    The same form sent twice (`token`) returns the plan it made; any other second plan for
    the month raises AlreadyPlanned. Flushes; the caller commits.
    """
    if not manages_team(manager, team):
        raise NotYourTeam(_l("You can make action plans only for teams you manage."))
    latest = closed_month(team, today)
    if latest is None or month != latest:
        raise PlanError(_l("An action plan answers the team's last closed month (%(month)s); "
                           "the figures of this month are not in.",
                           month=latest or "–"), "month")
    actions = checked_actions(focus, suggestion_keys, own_texts)
    existing = plan_for(team, month)
    if existing is not None:
        if token and existing.submit_token == token:
            return existing
        raise AlreadyPlanned(existing)
    today = today or local_today()
    plan = ActionPlan(team_id=team.id, month=month, focus=focus, actions=actions,
                      created_by_id=manager.id, created_at=at or utcnow(),
                      follow_up_on=today + FOLLOW_UP_AFTER, submit_token=token or None)
    try:
        with db.session.begin_nested():
            db.session.add(plan)
    except IntegrityError:  # two submits at once: the first one stands
        existing = plan_for(team, month)
        if existing is not None and token and existing.submit_token == token:
            return existing
        raise AlreadyPlanned(existing) from None
    return plan


def latest_plans(team_ids) -> dict[int, ActionPlan]:
    """Each team's newest plan (one query)."""
    team_ids = list(team_ids)
    if not team_ids:
        return {}
    newest = (select(ActionPlan.team_id, func.max(ActionPlan.month).label("month"))
              .where(ActionPlan.team_id.in_(team_ids)).group_by(ActionPlan.team_id).subquery())
    return {plan.team_id: plan for plan in db.session.scalars(
        select(ActionPlan).join(newest, (newest.c.team_id == ActionPlan.team_id)
                                & (newest.c.month == ActionPlan.month)))}


@cache
def _home_teams_statement():
    """The statement of home_teams, built once a process (building it costs more CPU than
    running it); the person and the days are bound parameters."""
    other = aliased(ActionPlan)
    newest = (select(func.max(other.month)).where(other.team_id == ActionPlan.team_id)
              .correlate(ActionPlan).scalar_subquery())
    answered = exists().where(ActionPlanAnswer.plan_id == ActionPlan.id,
                              ActionPlanAnswer.user_id == bindparam("user_id", type_=Integer))
    is_open_now = and_(ActionPlan.follow_up_on <= bindparam("today", type_=Date),
                       ActionPlan.follow_up_on > bindparam("open_since", type_=Date))
    return (
        select(Team, TeamMembership.kind, ActionPlan, ActionPlan.month == newest, answered)
        .join(TeamMembership, TeamMembership.team_id == Team.id)
        .outerjoin(ActionPlan, and_(ActionPlan.team_id == Team.id,
                                    or_(ActionPlan.month == newest, is_open_now)))
        .where(TeamMembership.user_id == bindparam("user_id", type_=Integer))
        .order_by(Team.name, Team.id, ActionPlan.id))


@dataclass
class HomeTeams:
    teams: list[Team]  # the person is a member of, by name
    managed: list[Team]  # by name
    plans: list[tuple[Team, ActionPlan, str]]  # (team, current plan, its question's state)
    follow_ups: list[tuple[Team, ActionPlan]]  # open questions not answered yet


def home_teams(user, today: date | None = None) -> HomeTeams:
    """The person's teams with what the home page shows of their action plans, in one
    statement:

    - the current plan of each of their teams (member or manager), while it is recent, with
      where its question stands: "not_yet", "open" or "closed", by team name;
    - the plans of their member teams whose question is open and that they did not answer.
    """
    today = today or local_today()
    rows = db.session.execute(_home_teams_statement(), {
        "user_id": user.id, "today": today, "open_since": today - FOLLOW_UP_OPEN}).all()
    found = HomeTeams([], [], [], [])
    kinds, plans = set(), {}
    for team, kind, plan, latest, done in rows:
        if (team.id, kind) not in kinds:
            kinds.add((team.id, kind))
            {"member": found.teams, "manager": found.managed}.get(kind, []).append(team)
        if plan is not None:
            plans.setdefault(plan.id, (team, plan, bool(latest), bool(done), set()))[4].add(kind)
    for team, plan, latest, done, plan_kinds in plans.values():
        if latest and plan.follow_up_on - FOLLOW_UP_AFTER + SHOWN_ON_HOME > today:
            found.plans.append((team, plan, "not_yet" if today < plan.follow_up_on
                                else "open" if is_open(plan, today) else "closed"))
        if is_open(plan, today) and "member" in plan_kinds and not done:
            found.follow_ups.append((team, plan))
    return found


def is_open(plan: ActionPlan, today: date) -> bool:
    return plan.follow_up_on <= today < plan.follow_up_on + FOLLOW_UP_OPEN


def answer_follow_up(user, plan: ActionPlan | None, value, today: date | None = None,
                     at: datetime | None = None) -> tuple[ActionPlanAnswer, bool]:
    """Store the person's answer to "Did this help?"; (answer, False) when they had answered
    already (their first answer counts: the question is asked once). `today` and `at`: the
    day and moment, for history written after the fact (the demo)."""
    today = today or local_today()
    if plan is None or not db.session.scalar(select(func.count()).select_from(TeamMembership)
                                             .where(TeamMembership.user_id == user.id,
                                                    TeamMembership.team_id == plan.team_id,
                                                    TeamMembership.kind == "member")):
        raise NotYourTeam(_l("We could not find that action plan."))
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value not in FOLLOW_UP_VALUES:
        raise PlanError(_l("Choose one of the answers."), "value")
    earlier = db.session.scalar(select(ActionPlanAnswer).where(
        ActionPlanAnswer.plan_id == plan.id, ActionPlanAnswer.user_id == user.id))
    if earlier is not None:
        return earlier, False
    if not is_open(plan, today):
        raise PlanError(_l("This question is closed: it is asked for two weeks, four weeks "
                           "after the plan was made."))
    answer = ActionPlanAnswer(plan_id=plan.id, user_id=user.id, value=value,
                              answered_at=at or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(answer)
    except IntegrityError:  # a double submit racing itself: the first answer counts
        return db.session.scalar(select(ActionPlanAnswer).where(
            ActionPlanAnswer.plan_id == plan.id, ActionPlanAnswer.user_id == user.id)), False
    return answer, True


@dataclass
class FollowUp:
    """What may be shown of a plan's follow-up: `state` is "not_yet" (before the question),
    "open" (being asked), "too_few" (closed with fewer than k answers) or "shown"."""

    state: str
    answers: int = 0
    counts: dict[int, int] = field(default_factory=dict)

    def share(self, value: int) -> int:
        return round(100 * self.counts.get(value, 0) / self.answers) if self.answers else 0


def follow_ups(plans, today: date | None = None) -> dict[int, FollowUp]:
    """The follow-up figure of each plan, thresholded (one query)."""
    today = today or local_today()
    plans = list(plans)
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    if plans:
        for plan_id, value, n in db.session.execute(
                select(ActionPlanAnswer.plan_id, ActionPlanAnswer.value, func.count())
                .where(ActionPlanAnswer.plan_id.in_([p.id for p in plans]))
                .group_by(ActionPlanAnswer.plan_id, ActionPlanAnswer.value)):
            counts[plan_id][value] = n
    k = threshold()
    result = {}
    for plan in plans:
        if today < plan.follow_up_on:
            result[plan.id] = FollowUp("not_yet")
        elif is_open(plan, today):
            result[plan.id] = FollowUp("open")
        else:
            total = sum(counts[plan.id].values())
            result[plan.id] = (FollowUp("shown", total, dict(counts[plan.id])) if total >= k
                               else FollowUp("too_few"))
    return result


def missing_plans(teams) -> list[tuple[Team, str]]:
    """The managed teams whose last closed month has no plan yet, with that month (two
    queries): the prompt a manager sees."""
    teams = list(teams)
    if not teams:
        return []
    newest = (select(TeamWeek.group_key, func.max(TeamWeek.week_start).label("start"))
              .where(TeamWeek.group_key.in_([t.id for t in teams]))
              .group_by(TeamWeek.group_key).subquery())
    months = dict(db.session.execute(
        select(TeamWeek.group_key, TeamWeek.enps_month)
        .join(newest, (newest.c.group_key == TeamWeek.group_key)
              & (newest.c.start == TeamWeek.week_start))).all())
    planned = set(db.session.execute(select(ActionPlan.team_id, ActionPlan.month).where(
        ActionPlan.team_id.in_(list(months)))).all()) if months else set()
    return [(team, months[team.id]) for team in teams
            if months.get(team.id) and (team.id, months[team.id]) not in planned]


def action_texts(plan: ActionPlan) -> list[dict]:
    """The plan's actions as {"key": suggestion key or None, "text": str}, in the reader's
    language for suggestions."""
    shown = []
    for action in plan.actions or []:
        suggestion = BY_KEY.get(action.get("suggestion", ""))
        if suggestion is not None:
            shown.append({"key": suggestion.key, "text": str(suggestion.text)})
        elif action.get("text"):
            shown.append({"key": None, "text": action["text"]})
    return shown


def described(plans, locale: str) -> dict[int, list[dict]]:
    """Per plan: its actions as {"text", "module"} in the reader's language, the suggestions'
    catalog modules included (one query for all plans)."""
    plans = list(plans)
    texts = {plan.id: action_texts(plan) for plan in plans}
    modules = modules_for({a["key"] for actions in texts.values() for a in actions
                           if a["key"]}, locale)
    return {plan_id: [{"text": a["text"], "module": modules.get(a["key"])} for a in actions]
            for plan_id, actions in texts.items()}
