"""Strict input parsing for the API: JSON bodies, query parameters and paging cursors."""

import json

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from learnpath.api.problems import ApiProblem

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
_TYPE_NAMES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}


def _invalid(detail: str, errors: list[dict] | None = None) -> ApiProblem:
    return ApiProblem(400, detail, kind="invalid-request", errors=errors or [])


def json_body(fields: dict[str, type], required: tuple[str, ...] = ()) -> dict:
    """Parse a JSON object body; refuse malformed JSON, unknown fields and wrong types."""
    if not request.mimetype or request.mimetype != "application/json":
        raise ApiProblem(415, "Send the body as application/json.", kind="unsupported-media-type")
    try:
        data = json.loads(request.get_data(), parse_constant=_no_constant)
    except (ValueError, RecursionError):  # also bad UTF-8, NaN, nesting too deep
        raise _invalid("The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise _invalid("The body must be a JSON object.")
    errors = []
    for name in sorted(set(data) - set(fields)):
        errors.append({"field": name, "problem": "unknown field"})
    for name, kind in fields.items():
        if name not in data:
            if name in required:
                errors.append({"field": name, "problem": "required"})
            continue
        value = data[name]
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if wrong:
            errors.append({"field": name, "problem": f"must be {_TYPE_NAMES.get(kind, 'valid')}"})
        elif kind is str and not is_text(value):
            errors.append({"field": name, "problem": "must be text without control characters"})
    if errors:
        raise _invalid("The body has invalid fields.", errors)
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def is_text(value: str) -> bool:
    """Valid Unicode without NUL or other control characters (PostgreSQL refuses NUL)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from \ud800 escapes
        return False
    return not any(ord(ch) < 32 or ord(ch) == 127 for ch in value)


def slug_arg(slug: str) -> str:
    """A slug from the URL; anything that cannot be a slug is simply not found."""
    if len(slug) > 120 or not is_text(slug):
        raise ApiProblem(404, "No such resource.")
    return slug


def query_args(allowed: set[str]) -> None:
    """Refuse query parameters the operation does not know."""
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise _invalid("Unknown query parameter.",
                       [{"field": name, "problem": "unknown parameter"} for name in unknown])


def limit_arg() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not 1 <= int(raw) <= MAX_LIMIT:
        raise _invalid(f"limit must be an integer from 1 to {MAX_LIMIT}.",
                       [{"field": "limit", "problem": "out of range"}])
    return int(raw)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="learnpath-api-cursor")


def make_cursor(user, kind: str, offset: int) -> str:
    """An opaque, signed cursor bound to one person and one list."""
    return _serializer().dumps({"u": user.id, "k": kind, "o": offset})


def cursor_arg(user, kind: str) -> int:
    """The offset in a cursor; a forged cursor or one of another person is refused."""
    raw = request.args.get("cursor")
    if raw is None or raw == "":
        return 0
    try:
        data = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        raise _invalid("The cursor is not valid.",
                       [{"field": "cursor", "problem": "invalid"}]) from None
    if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("o"), int):
        raise _invalid("The cursor does not belong to this list.",
                       [{"field": "cursor", "problem": "wrong list"}])
    if data.get("u") != user.id:
        raise ApiProblem(403, "The cursor belongs to another person.", kind="foreign-cursor")
    return max(0, data["o"])


def page(user, kind: str, items: list, offset: int, limit: int) -> dict:
    """A page of already-sliced items (fetched with limit + 1) with the next cursor."""
    more = len(items) > limit
    return {"items": items[:limit],
            "next_cursor": make_cursor(user, kind, offset + limit) if more else None}
