"""One marshmallow schema per API resource and per operation's input.

The same classes read the input (through parsing.StrictParser), shape the output (every
response is dumped through its schema: a field not declared here never leaves the server) and
are the OpenAPI document's components (openapi.py, via apispec). Component names are the class
names without "Schema".
"""

from datetime import date, datetime

from flask import current_app
from marshmallow import Schema, fields, post_dump, pre_dump, validate

from learnpath.api.parsing import Limit, Text
from learnpath.api.tokens import aware
from learnpath.search.services import SORTS

PROGRESS_STATUSES = ("not_started", "in_progress", "completed", "on_track", "behind", "overdue")


def iso(moment: datetime | date | None) -> str | None:
    """The API's moments: ISO 8601, datetimes always with their (UTC) offset."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return aware(moment).isoformat()
    return moment.isoformat()


class Moment(fields.String):
    """A date or datetime as iso() writes it (SQLite hands back naive UTC datetimes)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


def _nullable_string(**kwargs) -> fields.String:
    return fields.String(allow_none=True, **kwargs)


def _cursor() -> fields.String:
    return _nullable_string(required=True, metadata={
        "description": "Pass as ?cursor= to get the next page; null on the last page."})


class ProblemSchema(Schema):
    """RFC 9457 problem details (built by problems.py; documented here)."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Dict())


# Input ---------------------------------------------------------------------------------------


class NoArgsSchema(Schema):
    """An operation without query parameters: any parameter is refused."""


class PageArgsSchema(Schema):
    limit = Limit()
    cursor = fields.String(metadata={
        "description": "The next_cursor of the previous page; bound to your token's person."})


class ModuleSearchArgsSchema(PageArgsSchema):
    # Longer queries are cut, not refused: the catalog page does the same.
    q = fields.String(load_default="", metadata={"maxLength": 500})
    skill = fields.List(fields.String(metadata={"maxLength": 80}), load_default=list)
    level = fields.List(fields.String(metadata={"maxLength": 80}), load_default=list)
    language = fields.List(fields.String(metadata={"maxLength": 80}), load_default=list)
    duration = fields.List(fields.String(metadata={"maxLength": 80}), load_default=list)
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS, error="unknown"),
                         metadata={"problem_detail": f"sort must be one of {', '.join(SORTS)}."})


class EnrolmentRequestSchema(Schema):
    # A slug that cannot exist is a 404 (parsing.slug_or_404), so its bounds are documented,
    # not validated here.
    path = Text(required=True, metadata={"minLength": 1, "maxLength": 120})


# Output --------------------------------------------------------------------------------------


class Output(Schema):
    """A response schema. Dumping drops what a schema does not declare, so under testing a dict
    with an undeclared key fails loudly: a field added to a service's answer must be added
    (and so documented) here too."""

    @pre_dump
    def _declares_every_key(self, data, **_kwargs):
        if isinstance(data, dict) and current_app.testing:
            declared = {(f.attribute or name).split(".")[0] for name, f in self.fields.items()}
            undeclared = sorted(set(data) - declared)
            if undeclared:
                raise ValueError(f"{type(self).__name__} does not declare {undeclared}")
        return data


class TextsSchema(Output):
    en = fields.String(required=True)
    nl = fields.String(required=True)


class TokenInfoSchema(Output):
    """A PersonalAccessToken, without its secret or hash."""

    name = fields.String()
    scope = fields.String(validate=validate.OneOf(("read", "read-write")))
    expires_at = Moment(allow_none=True)


class MeSchema(Output):
    """Dumps {"user": User, "token": PersonalAccessToken}."""

    id = fields.Integer(required=True, attribute="user.id")
    name = fields.String(required=True, attribute="user.display_name")
    email = fields.String(attribute="user.email")
    locale = _nullable_string(attribute="user.locale")
    roles = fields.List(fields.String(), required=True, attribute="user.roles")
    token = fields.Nested(TokenInfoSchema, required=True)

    @post_dump
    def _sorted_roles(self, data, **_kwargs):
        data["roles"] = sorted(data["roles"])
        return data


class ModuleSchema(Output):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String()
    language = fields.String(required=True)
    duration = fields.Integer(required=True)
    level = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    tags = fields.List(fields.String())
    version = fields.Integer()
    published_at = Moment(allow_none=True)
    url = fields.String(required=True)
    questions = fields.Integer()
    translation_of = _nullable_string()


class FacetValueSchema(Output):
    value = fields.String()
    label = fields.String()
    count = fields.Integer()
    selected = fields.Boolean()


class FacetSchema(Output):
    name = fields.String(required=True)
    values = fields.List(fields.Nested(FacetValueSchema), required=True)


class ModuleSearchSchema(Output):
    query = fields.String()
    total = fields.Integer(required=True)
    available = fields.Boolean()
    suggestion = _nullable_string()
    items = fields.List(fields.Nested(ModuleSchema), required=True)
    facets = fields.List(fields.Nested(FacetSchema))
    next_cursor = _cursor()


class ProgressSchema(Output):
    """Dumps a paths.progress.Progress."""

    done = fields.Integer(required=True)
    required = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PROGRESS_STATUSES))


class EnrolmentSchema(Output):
    path = fields.String(required=True)
    title = fields.Nested(TextsSchema)
    source = fields.String(required=True, validate=validate.OneOf(("self", "assigned")))
    state = fields.String(required=True,
                          validate=validate.OneOf(("active", "completed", "withdrawn")))
    due_date = Moment(allow_none=True)
    enrolled_at = Moment(allow_none=True)
    completed_at = Moment(allow_none=True)
    progress = fields.Nested(ProgressSchema, required=True)


class CompletionSchema(Output):
    """Dumps a row of services.my_completions()."""

    module = fields.String(required=True)
    title = fields.String()
    version = fields.Integer()
    completed_at = Moment(required=True)
    score = fields.Float(allow_none=True)


class PathSchema(Output):
    slug = fields.String(required=True)
    title = fields.Nested(TextsSchema, required=True)
    description = fields.Nested(TextsSchema)
    kind = fields.String(required=True)
    steps = fields.Integer(required=True)
    url = fields.String()


class PathTargetSchema(Output):
    skill = fields.String()
    level = fields.Integer()


class PathStepSchema(Output):
    position = fields.Integer()
    module = fields.String()
    title = fields.String()
    optional = fields.Boolean()


class PathDetailSchema(PathSchema):
    targets = fields.List(fields.Nested(PathTargetSchema), required=True)
    step_list = fields.List(fields.Nested(PathStepSchema), required=True)
    enrolment = fields.Nested(EnrolmentSchema, required=True, allow_none=True)


def _page_of(name: str, item: type[Schema]) -> type[Schema]:
    """A page of a cursor-paged list."""
    return Output.from_dict({"items": fields.List(fields.Nested(item), required=True),
                             "next_cursor": _cursor()}, name=name)


class CheckInActionSchema(Output):
    """An agreed action of a check-in (notes, shared or private, are not in the API)."""

    text = fields.String(required=True)
    owner = _nullable_string(validate=validate.OneOf(("you", "other")), metadata={
        "description": "Who carries it out; null once that account is erased."})
    due_on = Moment(allow_none=True)
    path = _nullable_string(metadata={"description": "The growth path it enrols in or assigns."})
    path_action = _nullable_string(validate=validate.OneOf(("enrol", "assign")))
    done = fields.Boolean(required=True)


class CheckInSchema(Output):
    """One of my check-ins, as manager or as person."""

    id = fields.Integer(required=True)
    role = fields.String(required=True, validate=validate.OneOf(("manager", "person")))
    with_ = _nullable_string(data_key="with", attribute="with", metadata={
        "description": "The other person's name; null once their account is erased."})
    kind = fields.String(required=True)
    title = fields.Nested(TextsSchema, required=True)
    scheduled_on = Moment(required=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(("scheduled", "held", "cancelled")))
    requested_by_person = fields.Boolean(required=True)
    confirmed_by_you = fields.Boolean(required=True)
    confirmed_by_other = fields.Boolean(required=True)
    url = fields.String()
    actions = fields.List(fields.Nested(CheckInActionSchema), required=True)


EnrolmentPageSchema = _page_of("EnrolmentPage", EnrolmentSchema)
CheckInPageSchema = _page_of("CheckInPage", CheckInSchema)
CompletionPageSchema = _page_of("CompletionPage", CompletionSchema)
PathPageSchema = _page_of("PathPage", PathSchema)


class TeamSchema(Output):
    """Dumps a Team."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)


class TeamListSchema(Output):
    items = fields.List(fields.Nested(TeamSchema), required=True)


class AssignmentSchema(Output):
    path = fields.String()
    due_date = Moment(allow_none=True)
    state = fields.String()
    progress = fields.Nested(ProgressSchema)


class TeamMemberSchema(Output):
    id = fields.Integer()
    name = fields.String()
    assignments = fields.List(fields.Nested(AssignmentSchema))


class TeamAssignmentsSchema(Output):
    team = fields.Nested(TeamSchema, required=True)
    people = fields.List(fields.Nested(TeamMemberSchema), required=True)


class FigureSchema(Output):
    value = fields.Raw(required=True, allow_none=True)
    hidden = _nullable_string(required=True, metadata={
        "description": "Why the figure is hidden (too_few, subtraction, none, ...)."})


class EngagementTeamSchema(Output):
    id = fields.Integer(allow_none=True)
    name = fields.String()


class TrendPointSchema(Output):
    week = fields.String()
    value = fields.Integer(allow_none=True)


class TeamEngagementSchema(Output):
    """Thresholded aggregates; when `hidden` is set, only team, people, contributors and week
    are given. `people`: members when the week closed; `contributors`: of those, people who
    gave a signal (had an indicator)."""

    team = fields.Nested(EngagementTeamSchema, required=True)
    people = fields.Integer(required=True)
    contributors = fields.Integer(required=True)
    week = fields.String(required=True)
    hidden = _nullable_string(required=True)
    indicator = fields.Nested(FigureSchema)
    components = fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema))
    bands = fields.Nested(FigureSchema)
    enps = fields.Nested(FigureSchema)
    trend = fields.List(fields.Nested(TrendPointSchema))
    learning_participation_pct = fields.Nested(FigureSchema)
    pulse_participation_pct = fields.Nested(FigureSchema)
