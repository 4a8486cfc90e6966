"""Folding a person's share of team figures into engagement_folds, and the retention prune.

Team and organisation figures are sums over people (means are sums over counts), so a
person's share of every week a dashboard shows can be set aside, anonymously, per team,
before their raw rows are detached (erasure) or deleted (retention). aggregates.py adds the
folds to the live figures, so the figures stay what they were.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from learnpath.accounts.models import TeamMembership, User
from learnpath.engagement import aggregates
from learnpath.engagement.models import FOLD_FIELDS, ActivityEvent, EngagementFold, PulseAnswer
from learnpath.extensions import db
from learnpath.privacy.models import AuditEntry
from learnpath.timeutil import utcnow


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (day clamped to the month's end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _member_teams(user_ids) -> dict[int, list[int]]:
    """Teams each (active) person counts in as a member."""
    teams: dict[int, list[int]] = defaultdict(list)
    if not user_ids:
        return teams
    for team_id, user_id in db.session.execute(
            select(TeamMembership.team_id, TeamMembership.user_id)
            .join(User, User.id == TeamMembership.user_id)
            .where(TeamMembership.user_id.in_(list(user_ids)), TeamMembership.kind == "member",
                   User.active.is_(True))):
        teams[user_id].append(team_id)
    return teams


def _add_folds(shares: dict[int, dict[str, dict]], teams: dict[int, list[int]],
               reason: str) -> int:
    """Add each person's share to each of their teams and (once) to the organisation."""
    totals: dict[tuple[int | None, str], dict] = {}
    for user_id, periods in shares.items():
        if not teams.get(user_id):
            continue  # counted in no team, so in no figure
        for team_id in [*teams[user_id], None]:
            for period, values in periods.items():
                bucket = totals.setdefault((team_id, period), dict.fromkeys(FOLD_FIELDS, 0))
                for name in FOLD_FIELDS:
                    bucket[name] += values[name]
    rows = [EngagementFold(team_id=team_id, period=period, reason=reason, **values)
            for (team_id, period), values in totals.items() if any(values.values())]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def fold_person(user: User) -> int:
    """Set the person's share of every shown team figure aside (before erasing them)."""
    teams = _member_teams([user.id])
    if not teams:
        return 0
    return _add_folds(aggregates.person_contributions([user.id]), teams, "erasure")


def _difference(before: dict[int, dict[str, dict]], after: dict[int, dict[str, dict]]):
    return {user_id: {period: {name: values[name] - after[user_id][period][name]
                               for name in FOLD_FIELDS}
                      for period, values in periods.items()}
            for user_id, periods in before.items()}


def prune(cutoff: datetime) -> dict[str, int]:
    """Delete activity events, pulse answers and audit entries older than the cutoff.

    Only pulse answers feed the dashboards (aggregates.py reads no activity events). Where a
    pruned answer still counts in a week or month a dashboard shows, the difference it makes
    is folded first, so the trends stay as they were.
    """
    weeks, _months = aggregates.fold_weeks()
    # Energy answers of the first input week, or an eNPS answer of a month shown (slack).
    earliest = weeks[0].start - aggregates.PULSE_SLACK - timedelta(days=31)
    affected = set()
    if cutoff > earliest:
        affected = set(db.session.scalars(
            select(PulseAnswer.user_id).distinct()
            .where(PulseAnswer.answered_at < cutoff, PulseAnswer.answered_at >= earliest,
                   PulseAnswer.user_id.is_not(None))))
    teams = _member_teams(affected)
    affected = {user_id for user_id in affected if teams.get(user_id)}
    before = aggregates.person_contributions(affected) if affected else {}
    counts = {
        "pulse_answers": _count(PulseAnswer, PulseAnswer.answered_at < cutoff),
        "activity_events": _count(ActivityEvent, ActivityEvent.timestamp < cutoff),
        "audit_entries": _count(AuditEntry, AuditEntry.at < cutoff),
    }
    db.session.execute(delete(PulseAnswer).where(PulseAnswer.answered_at < cutoff))
    db.session.execute(delete(ActivityEvent).where(ActivityEvent.timestamp < cutoff))
    db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    db.session.flush()
    counts["folds"] = 0
    if affected:
        after = aggregates.person_contributions(affected)
        counts["folds"] = _add_folds(_difference(before, after), teams, "retention")
    return counts


def _count(model, condition) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def default_cutoff(months: int, now: datetime | None = None) -> datetime:
    return months_before(now or utcnow(), months)
