"""Weekly snapshots: a closed week's figures per primary team and for the organisation.

When an ISO week has ended, the first read of figures that need it (or the cron command
`learnpath engagement close-week`) computes every person's indicator for that week once,
adds them up per primary team and for the organisation over the membership of that moment,
and stores one TeamWeek row per group: counts and sums, no user ids. Closed weeks never
change, so removing a member and comparing cannot reveal anyone, erasure and retention leave
the figures alone (they hold no personal data), and a dashboard reads a handful of rows.
The unique (week, group) constraint makes a concurrent second close fail and step aside.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from learnpath.accounts.models import Team, TeamMembership, User
from learnpath.engagement import indicator as ind
from learnpath.engagement.activity import activities, local_today, timezone
from learnpath.engagement.indicator import Activity, Week
from learnpath.engagement.models import TeamWeek
from learnpath.extensions import db
from learnpath.timeutil import utcnow

ORGANISATION = 0  # TeamWeek.group_key of the organisation
SUM_FIELDS = ("members", "contributors", "indicator_sum", "rhythm_sum", "progress_sum",
              "progress_n", "voice_sum", "voice_n", "recognition_sum", "engaged", "neutral",
              "at_risk", "learned", "promoters", "passives", "detractors")
ENPS_FIELD = {"promoter": "promoters", "passive": "passives", "detractor": "detractors"}


def enps_month_of(week: Week) -> str:
    """The eNPS month a week's row reports: the last month complete when the week closed."""
    return ind.month_label(ind.previous_month(week.sunday + timedelta(days=1)))


def last_closed_week(today: date | None = None) -> Week:
    """The last complete week: what team figures describe (they do not move with each answer)."""
    today = today or local_today()
    return ind.week_containing(today - timedelta(weeks=1), timezone())


def trend_weeks(today: date | None = None) -> list[Week]:
    """The 12 closed weeks the dashboards show, oldest first, ending with the last closed one."""
    return ind.weeks_ending(last_closed_week(today).monday, ind.TREND_WEEKS, timezone())


def primary_teams() -> dict[int, int]:
    """Each active person's primary team: users.primary_team_id when they are a member of it,
    else their first member team by membership id (one query)."""
    homes: dict[int, int] = {}
    for user_id, team_id, primary in db.session.execute(
            select(TeamMembership.user_id, TeamMembership.team_id, User.primary_team_id)
            .join(User, User.id == TeamMembership.user_id)
            .where(TeamMembership.kind == "member", User.active.is_(True))
            .order_by(TeamMembership.id)):
        if user_id not in homes or team_id == primary:
            homes[user_id] = team_id
    return homes


def compute(weeks: list[Week], today: date | None = None) -> list[TeamWeek]:
    """The rows of these weeks (oldest first) over today's membership; nothing is stored."""
    tz = timezone()
    today = today or local_today()
    span = ind.weeks_ending(weeks[-1].monday,
                            (weeks[-1].monday - weeks[0].monday).days // 7 + ind.WINDOW_WEEKS,
                            tz)
    results_at = {week.label: i for i, week in enumerate(span[ind.WINDOW_WEEKS - 1:])}
    months = sorted({enps_month_of(week) for week in weeks})
    found, enps = activities("all", None, span, months)
    timeline = ind.Timeline(span, today, tz)
    homes = primary_teams()
    names = dict(db.session.execute(select(Team.id, Team.name)).all())
    idle = timeline.of(Activity.empty(len(span)))
    totals: dict[tuple[str, int], dict] = defaultdict(lambda: dict.fromkeys(SUM_FIELDS, 0))
    for user_id, team_id in homes.items():
        activity = found.get(user_id)
        results = timeline.of(activity) if activity is not None else idle
        for week in weeks:
            j = results_at[week.label]
            result = results[j]
            category = ind.enps_category(enps.get((user_id, enps_month_of(week)), -1))
            for key in (team_id, ORGANISATION):
                bucket = totals[(week.label, key)]
                bucket["members"] += 1
                if category:
                    bucket[ENPS_FIELD[category]] += 1
                if result is None:
                    continue
                components = result.components
                bucket["contributors"] += 1
                bucket["indicator_sum"] += result.value
                bucket["rhythm_sum"] += components["rhythm"]
                bucket["recognition_sum"] += components["recognition"]
                bucket[result.band] += 1
                if components["progress"] is not None:
                    bucket["progress_sum"] += components["progress"]
                    bucket["progress_n"] += 1
                if components["voice"] is not None:
                    bucket["voice_sum"] += components["voice"]
                    bucket["voice_n"] += 1
                if activity is not None and any(activity.learned(w)
                                               for w in range(j, j + ind.WINDOW_WEEKS)):
                    bucket["learned"] += 1
    rows = []
    now = utcnow()
    for week in weeks:
        for key in sorted({k for (label, k) in totals if label == week.label} | {ORGANISATION}):
            rows.append(TeamWeek(week=week.label, week_start=week.monday, group_key=key,
                                 team_name=names.get(key, "") if key else "",
                                 enps_month=enps_month_of(week), closed_at=now,
                                 **totals[(week.label, key)]))
    return rows


def closed_labels(labels: list[str]) -> set[str]:
    return set(db.session.scalars(select(TeamWeek.week).where(
        TeamWeek.week.in_(labels), TeamWeek.group_key == ORGANISATION)))


def close(weeks: list[Week], today: date | None = None) -> list[str]:
    """Store the rows of the weeks that have ended and are not closed yet; return their labels.

    Flushes; the caller commits. A week another process closed meanwhile is left as it is.
    """
    now = datetime.now(ind.UTC)
    open_weeks = [w for w in weeks if w.end <= now]
    done = closed_labels([w.label for w in open_weeks]) if open_weeks else set()
    missing = [w for w in open_weeks if w.label not in done]
    if not missing:
        return []
    rows = compute(missing, today)
    closed = []
    for week in missing:
        try:
            with db.session.begin_nested():
                db.session.add_all([row for row in rows if row.week == week.label])
                db.session.flush()
            closed.append(week.label)
        except IntegrityError:
            pass  # closed by someone else first: theirs stands
    return closed


ROW_NAMES = ("week", "group_key", "enps_month", *SUM_FIELDS)
# Table columns, not ORM attributes: a plain Core statement, no ORM loading for 2,400 rows.
ROW_COLUMNS = [TeamWeek.__table__.c[name] for name in ROW_NAMES]


def fingerprint(weeks: list[Week]) -> tuple:
    """What identifies the rows of these weeks without reading them, in one aggregate statement:
    how many organisation rows there are (all weeks closed when it equals len(weeks)), how many
    rows, the highest id and sums over their figures. Rows are written once and never changed
    (TeamWeek), so this changes whenever a week closes or rows are removed and written again
    (a restore, a test); aggregates.py keys what it derives from the rows on it."""
    table = TeamWeek.__table__
    c = table.c
    weight = c.group_key + 1
    return tuple(db.session.execute(select(
        func.sum(case((c.group_key == ORGANISATION, 1), else_=0)), func.count(), func.max(c.id),
        func.sum(c.contributors * weight), func.sum(c.members * weight),
        func.sum((c.progress_n + c.voice_n + c.promoters + c.detractors) * weight),
        func.sum(c.indicator_sum),
    ).where(c.week_start >= weeks[0].monday, c.week_start <= weeks[-1].monday)).one())


def read(weeks: list[Week]) -> dict[tuple[str, int], dict]:
    """Every group's row of these weeks by (week label, group key), closing missing weeks
    first (and committing them). One statement when they are closed."""
    table = TeamWeek.__table__
    statement = select(*ROW_COLUMNS).where(
        table.c.week_start >= weeks[0].monday, table.c.week_start <= weeks[-1].monday)
    rows = db.session.execute(statement).all()
    have = {row[0] for row in rows if row[1] == ORGANISATION}
    if any(week.label not in have for week in weeks):
        if close(weeks):
            db.session.commit()
        rows = db.session.execute(statement).all()
    return {(row[0], row[1]): dict(zip(ROW_NAMES, row, strict=True)) for row in rows}
