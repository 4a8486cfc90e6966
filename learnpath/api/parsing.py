"""How the API reads input: a strict webargs parser whose failures are problem details, the
fields the schemas share for text and paging, and the signed paging cursors."""

import json

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from marshmallow import RAISE, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser

from learnpath.api.problems import ApiProblem

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# marshmallow's messages in the words the API has always used in a problem's `errors`.
_PROBLEMS = {
    "Unknown field.": "unknown field",
    "Missing data for required field.": "required",
    "Not a valid string.": "must be string",
    "Not a valid integer.": "must be integer",
    "Not a valid boolean.": "must be boolean",
}
_WHERE = {"json": "The body has invalid fields.", "query": "The query has invalid parameters."}


def invalid(detail: str, errors: list[dict] | None = None) -> ApiProblem:
    return ApiProblem(400, detail, kind="invalid-request", errors=errors or [])


def is_text(value: str) -> bool:
    """Valid Unicode without NUL or other control characters (PostgreSQL refuses NUL)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from \ud800 escapes
        return False
    return not any(ord(ch) < 32 or ord(ch) == 127 for ch in value)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _flatten(messages, prefix: str = "") -> list[dict]:
    """marshmallow's nested {field: [message]} as the API's [{field, problem}] list."""
    if isinstance(messages, dict):
        return [error for name, inner in messages.items()
                for error in _flatten(inner, f"{prefix}{name}" if not prefix
                                      else f"{prefix}.{name}")]
    texts = messages if isinstance(messages, list) else [messages]
    return [{"field": prefix, "problem": _PROBLEMS.get(str(text), str(text))} for text in texts]


class StrictParser(FlaskParser):
    """webargs' Flask parser, stricter: a JSON body must be application/json, valid JSON (no
    NaN, no endless nesting) and an object; unknown query parameters are refused; every
    failure is a 400 problem with the offending fields."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE}

    def load_json(self, req, schema):
        if req.mimetype != "application/json":
            raise ApiProblem(415, "Send the body as application/json.",
                             kind="unsupported-media-type")
        try:
            data = json.loads(req.get_data(cache=True), parse_constant=_no_constant)
        except (ValueError, RecursionError):  # also bad UTF-8, NaN, nesting too deep
            raise invalid("The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise invalid("The body must be a JSON object.")
        return data

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        """A 400 problem listing the fields; when one field alone is wrong, its
        metadata["problem_detail"] (if any) is the detail."""
        (location, messages), = error.normalized_messages().items()
        # Unknown fields first, as a reader fixes those first.
        errors = sorted(_flatten(messages), key=lambda e: e["problem"] != "unknown field")
        if location == "query" and all(e["problem"] == "unknown field" for e in errors):
            raise invalid("Unknown query parameter.",
                          [{"field": e["field"], "problem": "unknown parameter"}
                           for e in errors])
        field = schema.fields.get(errors[0]["field"]) if len(errors) == 1 else None
        detail = field.metadata.get("problem_detail") if field is not None else None
        raise invalid(detail or _WHERE.get(location, "The request is not valid."), errors)


class Text(fields.String):
    """A string without control characters or lone surrogates."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_text(text):
            raise ValidationError("must be text without control characters")
        return text


class Limit(fields.Integer):
    """?limit=: plain ASCII digits from 1 to MAX_LIMIT, nothing Python's int() also takes."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(1, MAX_LIMIT, error="out of range"),
                         load_default=DEFAULT_LIMIT, metadata={
                             "problem_detail": f"limit must be an integer from 1 to {MAX_LIMIT}."},
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not (isinstance(value, str) and value.isascii() and value.isdigit()
                and len(value) <= 4):
            raise ValidationError("out of range")
        return super()._deserialize(value, attr, data, **kwargs)


def slug_or_404(slug: str) -> str:
    """A slug from the URL or body; anything that cannot be a slug is simply not found."""
    if len(slug) > 120 or not is_text(slug):
        raise ApiProblem(404, "No such resource.")
    return slug


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="learnpath-api-cursor")


def make_cursor(user, kind: str, offset: int) -> str:
    """An opaque, signed cursor bound to one person and one list."""
    return _serializer().dumps({"u": user.id, "k": kind, "o": offset})


def cursor_offset(raw: str | None, user, kind: str) -> int:
    """The offset in a cursor; a forged cursor or one of another person is refused."""
    if raw is None or raw == "":
        return 0
    try:
        data = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        raise invalid("The cursor is not valid.",
                      [{"field": "cursor", "problem": "invalid"}]) from None
    if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("o"), int):
        raise invalid("The cursor does not belong to this list.",
                      [{"field": "cursor", "problem": "wrong list"}])
    if data.get("u") != user.id:
        raise ApiProblem(403, "The cursor belongs to another person.", kind="foreign-cursor")
    return max(0, data["o"])


def page(user, kind: str, items: list, offset: int, limit: int) -> dict:
    """A page of already-sliced items (fetched with limit + 1) with the next cursor."""
    more = len(items) > limit
    return {"items": items[:limit],
            "next_cursor": make_cursor(user, kind, offset + limit) if more else None}
