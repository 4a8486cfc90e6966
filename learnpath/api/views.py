"""The /api/v1 routes. Each declares its input and output schema (schemas.py), its token
scope and its documentation; the work is done by the features' services and api/services.py."""

from flask import jsonify

from learnpath.api import openapi, parsing
from learnpath.api import schemas as s
from learnpath.api import services as api
from learnpath.api.auth import current_token, current_token_user, setup_api_blueprint
from learnpath.api.problems import ApiProblem
from learnpath.extensions import db
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.web.access import public

bp = setup_api_blueprint(openapi.ApiBlueprint("api", __name__, url_prefix=openapi.API_PREFIX))
NO_ARGS = {"location": "query", "as_kwargs": True}
PAGE_ARGS = {"location": "query"}
SLUG = [{"in": "path", "name": "slug", "required": True,
         "schema": {"type": "string", "minLength": 1, "maxLength": 120}}]
# Flask's int converter takes any size; the documented bound keeps generated clients sane.
TEAM_ID = [{"in": "path", "name": "team_id", "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}}]


def _paged(args: dict, kind: str, fetch) -> dict:
    user = current_token_user()
    limit = args["limit"]
    offset = parsing.cursor_offset(args.get("cursor"), user, kind)
    return parsing.page(user, kind, fetch(offset, limit), offset, limit)


def _path_or_404(slug: str):
    path = paths.get_path(parsing.slug_or_404(slug))
    if path is None:
        raise ApiProblem(404, "No published growth path with this slug.")
    return path


@bp.get("/openapi.json", endpoint="openapi")
@bp.operation("getOpenApi", "meta", scope=None)
@bp.response(200, {"type": "object"}, description="The document.")
@public
def openapi_document():
    """This OpenAPI 3.1 document"""
    return jsonify(openapi.document())


@bp.get("/me")
@bp.operation("getMe", "me")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.response(200, s.MeSchema, description="The token's person.")
def me():
    """The person and token behind this request"""
    return {"user": current_token_user(), "token": current_token()}


@bp.get("/modules")
@bp.operation("searchModules", "catalog")
@bp.arguments(s.ModuleSearchArgsSchema, **PAGE_ARGS)
@bp.response(200, s.ModuleSearchSchema, description="A page of modules with facet counts.")
def search_modules(args: dict):
    """Search the catalog

    Full-text search with the catalog page's facets. Without q it lists every published module.
    """
    user = current_token_user()
    limit = args["limit"]
    page = parsing.cursor_offset(args.get("cursor"), user, "modules") // limit + 1
    result = api.search_modules(args, user.locale or "en", page, limit)
    more = page < min(result.pop("pages"), api.MAX_SEARCH_PAGE)
    result["next_cursor"] = parsing.make_cursor(user, "modules", page * limit) if more else None
    return result


@bp.get("/modules/<slug>", parameters=SLUG)
@bp.operation("getModule", "catalog")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.response(200, s.ModuleSchema, description="The module.")
@bp.problem(404, "No published module.")
def get_module(slug: str):
    """One published module's metadata"""
    module = modules.get_published(parsing.slug_or_404(slug))
    if module is None:
        raise ApiProblem(404, "No published module with this slug.")
    return api.module_detail(module)


@bp.get("/enrolments")
@bp.operation("listEnrolments", "me")
@bp.arguments(s.PageArgsSchema, **PAGE_ARGS)
@bp.response(200, s.EnrolmentPageSchema, description="A page of enrolments, assigned first.")
def list_enrolments(args: dict):
    """My growth-path enrolments with progress"""
    user = current_token_user()
    return _paged(args, "enrolments",
                  lambda offset, limit: api.my_enrolments(user)[offset:offset + limit + 1])


@bp.post("/enrolments")
@bp.operation("enrol", "me", scope="read-write")
@bp.arguments(s.EnrolmentRequestSchema)
@bp.response(201, s.EnrolmentSchema, description="Enrolled (or already enrolled).")
@bp.problem(404, "No published path with this slug.")
@bp.problem(415, "The body is not application/json.")
def enrol(data: dict):
    """Enrol in a growth path (read-write token)"""
    path = _path_or_404(data["path"])
    try:
        paths.enrol(current_token_user(), path)
    except paths.PathError as error:
        raise ApiProblem(409, str(error)) from None
    db.session.commit()
    return api.my_enrolment(current_token_user(), path)


@bp.delete("/enrolments/<slug>", parameters=SLUG)
@bp.operation("leavePath", "me", scope="read-write")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.alt_response(204, description="Left the path.", success=True)
@bp.problem(404, "No published path with this slug.")
@bp.problem(409, "Not enrolled, completed, or assigned.")
def leave(slug: str):
    """Leave a growth path you chose yourself (read-write token)"""
    path = _path_or_404(slug)
    try:
        paths.leave(current_token_user(), path)
    except paths.PathError as error:
        raise ApiProblem(409, str(error)) from None
    db.session.commit()
    return "", 204


@bp.get("/completions")
@bp.operation("listCompletions", "me")
@bp.arguments(s.PageArgsSchema, **PAGE_ARGS)
@bp.response(200, s.CompletionPageSchema, description="A page of completions.")
def list_completions(args: dict):
    """My module completions, newest first"""
    user = current_token_user()
    return _paged(args, "completions",
                  lambda offset, limit: api.my_completions(user, offset, limit))


@bp.get("/check-ins")
@bp.operation("listCheckIns", "me")
@bp.arguments(s.PageArgsSchema, **PAGE_ARGS)
@bp.response(200, s.CheckInPageSchema, description="A page of check-ins, newest date first.")
def list_check_ins(args: dict):
    """My check-ins (as manager or person) with their agreed actions

    Never a note: shared notes stay on the check-in page, private notes with their writer.
    """
    user = current_token_user()
    return _paged(args, "check-ins",
                  lambda offset, limit: api.my_check_ins(user, offset, limit))


@bp.get("/paths")
@bp.operation("listPaths", "paths")
@bp.arguments(s.PageArgsSchema, **PAGE_ARGS)
@bp.response(200, s.PathPageSchema, description="A page of paths.")
def list_paths(args: dict):
    """Published growth paths"""
    return _paged(args, "paths", api.published_paths)


@bp.get("/paths/<slug>", parameters=SLUG)
@bp.operation("getPath", "paths")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.response(200, s.PathDetailSchema, description="The path.")
@bp.problem(404, "No published path with this slug.")
def get_path(slug: str):
    """A growth path with its steps and my enrolment"""
    return api.path_detail(current_token_user(), _path_or_404(slug))


def _require_manager():
    if not current_token_user().has_any_role("manager"):
        raise ApiProblem(403, "Only managers can use this operation.", kind="forbidden")


@bp.get("/teams")
@bp.operation("listTeams", "teams")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.response(200, s.TeamListSchema, description="The managed teams.")
def list_teams():
    """The teams I manage (managers)"""
    _require_manager()
    return {"items": api.managed_teams(current_token_user())}


@bp.get("/teams/<int:team_id>/assignments", parameters=TEAM_ID)
@bp.operation("getTeamAssignments", "teams")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.response(200, s.TeamAssignmentsSchema,
             description="Who follows which assigned path, with progress.")
def team_assignments(team_id: int):
    """Assignment progress per person of a team I manage"""
    _require_manager()
    user = current_token_user()
    data = api.team_assignments(user, team_id) if api.manages_team(user, team_id) else None
    if data is None:
        raise ApiProblem(403, "You do not manage this team.", kind="not-your-team")
    return data


@bp.get("/teams/<int:team_id>/engagement", parameters=TEAM_ID)
@bp.operation("getTeamEngagement", "teams")
@bp.arguments(s.NoArgsSchema, **NO_ARGS)
@bp.response(200, s.TeamEngagementSchema, description="Thresholded aggregates.")
@bp.problem(404, "No such team (HR).")
def team_engagement(team_id: int):
    """Engagement aggregates of a team (managers of the team, HR)

    The same thresholds as the engagement pages: a figure that fewer than k people contribute
    to is null with the reason in `hidden`.
    """
    outcome, data = api.team_engagement(current_token_user(), team_id)
    if outcome == "forbidden":
        raise ApiProblem(403, "You do not manage this team.", kind="not-your-team")
    if outcome == "missing":
        raise ApiProblem(404, "No such team.")
    return data
