"""GET /api/v1/xapi/statements: the token owner's own statements, as an xAPI StatementResult."""

import re
import urllib.parse
from datetime import UTC, datetime, timedelta, timezone

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from marshmallow import fields
from sqlalchemy import select

from learnpath.api import parsing
from learnpath.api.auth import current_token_user, setup_api_blueprint
from learnpath.api.openapi import API_PREFIX, ApiBlueprint
from learnpath.api.problems import ApiProblem
from learnpath.api.schemas import Output, PageArgsSchema
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.xapi import check_ins
from learnpath.xapi.models import EXPORTED_TYPES
from learnpath.xapi.statements import VERB_DISPLAY, XAPI_VERSION, statements_for

bp = setup_api_blueprint(ApiBlueprint("xapi_api", __name__, url_prefix=f"{API_PREFIX}/xapi"))

CURSOR_KIND = "xapi-statements"
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?\d*"
                       r"([Zz]|[+-]\d{2}:\d{2})?$")


class XapiArgsSchema(PageArgsSchema):
    # Read by parse_moment(), which takes what xAPI clients send (offsets, no offset = UTC).
    since = fields.String(metadata={
        "format": "date-time",
        "description": "Only statements with a timestamp after this moment (ISO 8601)."})
    until = fields.String(metadata={
        "format": "date-time",
        "description": "Only statements with a timestamp at or before this moment."})
    cursor = fields.String(metadata={
        "description": "Set by the `more` URL; bound to your token's person."})


class XapiStatementSchema(Output):
    """An xAPI 1.0.3 statement."""

    id = fields.String(required=True, metadata={"format": "uuid"})
    actor = fields.Dict(required=True)
    verb = fields.Dict(required=True)
    object = fields.Dict(required=True)
    result = fields.Dict()
    context = fields.Dict()
    timestamp = fields.String(required=True)
    version = fields.String(required=True)


class StatementResultSchema(Output):
    statements = fields.List(fields.Nested(XapiStatementSchema), required=True)
    more = fields.String(required=True)


def _invalid(field: str, detail: str) -> ApiProblem:
    return ApiProblem(400, detail, kind="invalid-request",
                      errors=[{"field": field, "problem": "invalid"}])


def parse_moment(field: str, raw: str | None) -> datetime | None:
    """An ISO 8601 / RFC 3339 date-time; without an offset it is taken as UTC."""
    if raw is None or raw == "":
        return None
    match = _DATETIME.match(raw.strip())
    if not match:
        raise _invalid(field, f"{field} must be a date-time such as 2026-11-23T09:00:00Z.")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime(max(1, int(year)), int(month), int(day), int(hour), int(minute),
                          min(59, int(second)), int(((fraction or ".0") + "00000")[1:7]),
                          tzinfo=UTC)
        if offset and offset.upper() != "Z":
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if hours > 23 or minutes > 59:
                raise ValueError(offset)
            shift = timedelta(hours=hours, minutes=minutes)
            moment = moment.replace(tzinfo=timezone(shift if offset[0] == "+" else -shift))
            moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _invalid(field, f"{field} is not a valid date-time.") from None
    return moment


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="learnpath-xapi-more")


def _after_arg(raw: str | None, user) -> int:
    if raw is None or raw == "":
        return 0
    try:
        data = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        raise _invalid("cursor", "The cursor is not valid.") from None
    if not isinstance(data, dict) or data.get("k") != CURSOR_KIND or not isinstance(
            data.get("a"), int):
        raise _invalid("cursor", "The cursor does not belong to this list.")
    if data.get("u") != user.id:
        raise ApiProblem(403, "The cursor belongs to another person.", kind="foreign-cursor")
    return data["a"]


@bp.get("/statements")
@bp.operation("listXapiStatements", "xapi")
@bp.arguments(XapiArgsSchema, location="query")
@bp.response(200, StatementResultSchema, description="A page of statements.")
def statements(args: dict):
    """Your own learning activity as xAPI statements

    Statements of the token's person, oldest first, in the xAPI 1.0.3 StatementResult format.
    Follow `more` (a relative URL, empty on the last page) for the next page; it only works
    with a token of the same person.
    """
    user = current_token_user()
    limit = args["limit"]
    since = parse_moment("since", args.get("since"))
    until = parse_moment("until", args.get("until"))
    after = _after_arg(args.get("cursor"), user)
    query = (select(ActivityEvent)
             .where(ActivityEvent.actor_id == user.id, ActivityEvent.id > after,
                    ActivityEvent.object_type.in_(EXPORTED_TYPES),
                    ActivityEvent.verb.in_(list(VERB_DISPLAY)))
             .order_by(ActivityEvent.id).limit(limit + 1))
    if since is not None:
        query = query.where(ActivityEvent.timestamp > since)
    if until is not None:
        query = query.where(ActivityEvent.timestamp <= until)
    events = db.session.scalars(query).all()
    page = events[:limit]
    more = ""
    if len(events) > limit:
        query = {k: v for k, v in (("since", args.get("since")),
                                   ("until", args.get("until"))) if v}
        query["limit"] = str(limit)
        query["cursor"] = _serializer().dumps({"u": user.id, "k": CURSOR_KIND,
                                               "a": page[-1].id})
        more = f"{request.path}?{urllib.parse.urlencode(query)}"
    result = {"statements": [s for _, s in statements_for(page) if s is not None],
              "more": more}
    return result, 200, {"X-Experience-API-Version": XAPI_VERSION}


@bp.get("/check-ins")
@bp.operation("listXapiCheckIns", "xapi")
@bp.arguments(PageArgsSchema, location="query")
@bp.response(200, StatementResultSchema, description="A page of statements.")
def check_in_statements(args: dict):
    """Your held check-ins as xAPI "attended" statements

    Only for the token's own person, oldest first: the kind of conversation and when it was
    confirmed; never with whom, the notes or the actions. Check-ins never go to the learning
    record store. Follow `more` for the next page.
    """
    user = current_token_user()
    limit = args["limit"]
    offset = parsing.cursor_offset(args.get("cursor"), user, "xapi-check-ins")
    rows = check_ins.held_check_ins(user, offset, limit)
    more = ""
    if len(rows) > limit:
        cursor = parsing.make_cursor(user, "xapi-check-ins", offset + limit)
        more = f"{request.path}?{urllib.parse.urlencode({'limit': limit, 'cursor': cursor})}"
    return ({"statements": check_ins.statements(user, rows[:limit]), "more": more}, 200,
            {"X-Experience-API-Version": XAPI_VERSION})
