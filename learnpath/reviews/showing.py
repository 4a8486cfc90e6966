"""The per-showing token: which card was shown and when, signed so the client cannot change it.

The server measures the answer time from it (Easy needs a right answer within 10 s), and a
showing rated once is not rated again (services.answer), without writing anything on a GET.
"""

from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "review-showing"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def sign(card_id: int, shown_at: datetime) -> str:
    return _serializer().dumps({"c": card_id, "t": shown_at.timestamp()})


def shown_at(token: str, card_id: int) -> datetime | None:
    """When this card was shown, or None for a token that is not one of ours for this card."""
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != card_id \
            or not isinstance(data.get("t"), int | float):
        return None
    return datetime.fromtimestamp(data["t"], UTC)
