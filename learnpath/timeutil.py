"""The clock: one place for "now", timezone-aware in UTC (a foundation every feature uses)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 text for an export, None stays None."""
    return moment.isoformat() if moment is not None else None
