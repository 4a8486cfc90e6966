"""Small helpers shared by the feature models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)
