"""The retention prune, and closing the shown weeks before raw rows are erased or pruned.

Team and organisation figures of a closed week are stored aggregate rows (engagement's
snapshots.py) that never change, so nothing of a person has to be set aside any more: the
weeks a dashboard shows are closed first, then the raw rows go.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from learnpath.engagement import snapshots
from learnpath.engagement.models import ActionPlanAnswer, ActivityEvent, PulseAnswer
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


def close_past_weeks() -> list[str]:
    """Store the figures of every ended trend week that is not closed yet, so deleting or
    detaching raw rows afterwards cannot change them (closed weeks never change)."""
    return snapshots.close(snapshots.trend_weeks())


def prune(cutoff: datetime) -> dict[str, int]:
    """Delete activity events, pulse answers and audit entries older than the cutoff.

    The weeks dashboards show are closed first (stored as aggregate rows without user ids),
    so the trends stay as they were.
    """
    close_past_weeks()
    counts = {
        "pulse_answers": _count(PulseAnswer, PulseAnswer.answered_at < cutoff),
        "activity_events": _count(ActivityEvent, ActivityEvent.timestamp < cutoff),
        "audit_entries": _count(AuditEntry, AuditEntry.at < cutoff),
    }
    db.session.execute(delete(PulseAnswer).where(PulseAnswer.answered_at < cutoff))
    db.session.execute(delete(ActivityEvent).where(ActivityEvent.timestamp < cutoff))
    db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    # An action plan's "did it help?" total stays; only who answered goes.
    db.session.execute(update(ActionPlanAnswer).where(ActionPlanAnswer.answered_at < cutoff)
                       .values(user_id=None))
    db.session.flush()
    return counts


def _count(model, condition) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def default_cutoff(months: int, now: datetime | None = None) -> datetime:
    return months_before(now or utcnow(), months)
