"""The /api/v1 routes; each route's OpenAPI entry sits right above it (spec.add_operation)."""

from flask import Blueprint, jsonify, request
from flask_babel import force_locale

from learnpath import search
from learnpath.api import inputs, spec
from learnpath.api import services as api
from learnpath.api.auth import (
    current_token,
    current_token_user,
    setup_api_blueprint,
    token_required,
)
from learnpath.api.problems import ApiProblem
from learnpath.api.schemas import SCHEMAS
from learnpath.extensions import db
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.web.access import public

bp = setup_api_blueprint(Blueprint("api", __name__, url_prefix=spec.API_PREFIX))
spec.SCHEMAS.update(SCHEMAS)

LIMIT = {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_LIMIT,
                    "default": inputs.DEFAULT_LIMIT}}
CURSOR = {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
          "description": "The next_cursor of the previous page; bound to your token's person."}
SLUG = {"name": "slug", "in": "path", "required": True,
        "schema": {"type": "string", "minLength": 1, "maxLength": 120}}
TEAM_ID = {"name": "team_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}}
FACETS = ("skill", "level", "language", "duration")


def _ok(description: str, schema: str) -> dict:
    return {"200": spec.json_response(description, spec.ref(schema))}


def _not_found(description: str = "No such resource.") -> dict:
    return {"404": spec.problem_response(description)}


def _paged(kind: str, fetch) -> dict:
    inputs.query_args({"limit", "cursor"})
    user = current_token_user()
    limit = inputs.limit_arg()
    offset = inputs.cursor_arg(user, kind)
    return inputs.page(user, kind, fetch(offset, limit), offset, limit)


spec.add_operation("/openapi.json", "get", {
    "summary": "This OpenAPI 3.1 document", "operationId": "getOpenApi", "tags": ["meta"],
    "responses": {"200": spec.json_response("The document.", {"type": "object"})},
}, errors=())


@bp.get("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(spec.document())


spec.add_operation("/me", "get", {
    "summary": "The person and token behind this request", "operationId": "getMe",
    "tags": ["me"], "responses": _ok("The token's person.", "Me"),
})


@bp.get("/me")
@token_required("read")
def me():
    user, token = current_token_user(), current_token()
    inputs.query_args(set())
    return jsonify({"id": user.id, "name": user.display_name, "email": user.email,
                    "locale": user.locale, "roles": sorted(user.roles),
                    "token": {"name": token.name, "scope": token.scope,
                              "expires_at": api.iso(token.expires_at)}})


spec.add_operation("/modules", "get", {
    "summary": "Search the catalog", "operationId": "searchModules", "tags": ["catalog"],
    "description": "Full-text search with the catalog page's facets. Without q it lists "
                   "every published module.",
    "parameters": [
        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500}},
        *({"name": name, "in": "query", "style": "form", "explode": True,
           "schema": {"type": "array", "items": {"type": "string", "maxLength": 80}}}
          for name in FACETS),
        {"name": "sort", "in": "query",
         "schema": {"enum": list(search.services.SORTS), "default": "relevance"}},
        LIMIT, CURSOR],
    "responses": _ok("A page of modules with facet counts.", "ModuleSearch"),
})


@bp.get("/modules")
@token_required("read")
def search_modules():
    inputs.query_args({"q", "sort", "limit", "cursor", *FACETS})
    user = current_token_user()
    limit = inputs.limit_arg()
    offset = inputs.cursor_arg(user, "modules")
    sort = request.args.get("sort", "relevance")
    if sort not in search.services.SORTS:
        raise ApiProblem(400, "sort must be one of " + ", ".join(search.services.SORTS) + ".",
                         kind="invalid-request", errors=[{"field": "sort", "problem": "unknown"}])
    page = offset // limit + 1
    locale = user.locale or "en"
    with force_locale(locale):
        result = search.search(request.args.get("q", "")[:500],
                               filters={n: request.args.getlist(n) for n in FACETS},
                               sort=sort, page=page, per_page=limit, locale=locale)
        facets = [{"name": f.name, "values": [
            {"value": v.value, "label": str(v.label or v.value), "count": v.count,
             "selected": v.selected} for v in f.values]} for f in result.facets]
    more = page < min(result.pages, search.services.MAX_PAGE)
    return jsonify({
        "query": result.query, "total": result.total, "available": result.available,
        "suggestion": result.suggestion,
        "items": api.module_summaries([hit.module for hit in result.hits]),
        "facets": facets,
        "next_cursor": inputs.make_cursor(user, "modules", page * limit) if more else None,
    })


spec.add_operation("/modules/{slug}", "get", {
    "summary": "One published module's metadata", "operationId": "getModule",
    "tags": ["catalog"], "parameters": [SLUG],
    "responses": {**_ok("The module.", "Module"), **_not_found("No published module.")},
})


@bp.get("/modules/<slug>")
@token_required("read")
def get_module(slug: str):
    inputs.query_args(set())
    module = modules.get_published(inputs.slug_arg(slug))
    if module is None:
        raise ApiProblem(404, "No published module with this slug.")
    return jsonify(api.module_detail(module))


spec.add_operation("/enrolments", "get", {
    "summary": "My growth-path enrolments with progress", "operationId": "listEnrolments",
    "tags": ["me"], "parameters": [LIMIT, CURSOR],
    "responses": _ok("A page of enrolments, assigned first.", "EnrolmentPage"),
})


@bp.get("/enrolments")
@token_required("read")
def list_enrolments():
    user = current_token_user()
    return jsonify(_paged("enrolments",
                          lambda offset, limit: api.my_enrolments(user)[offset:offset + limit + 1]))


spec.add_operation("/enrolments", "post", {
    "summary": "Enrol in a growth path (read-write token)", "operationId": "enrol",
    "tags": ["me"],
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": spec.ref("EnrolmentRequest")}}},
    "responses": {"201": spec.json_response("Enrolled (or already enrolled).",
                                            spec.ref("Enrolment")),
                  **_not_found("No published path with this slug."),
                  "415": spec.problem_response("The body is not application/json.")},
})


@bp.post("/enrolments")
@token_required("read-write")
def enrol():
    data = inputs.json_body({"path": str}, required=("path",))
    path = paths.get_path(inputs.slug_arg(data["path"]))
    if path is None:
        raise ApiProblem(404, "No published growth path with this slug.")
    try:
        paths.enrol(current_token_user(), path)
    except paths.PathError as error:
        raise ApiProblem(409, str(error)) from None
    db.session.commit()
    return jsonify(api.my_enrolment(current_token_user(), path)), 201


spec.add_operation("/enrolments/{slug}", "delete", {
    "summary": "Leave a growth path you chose yourself (read-write token)",
    "operationId": "leavePath", "tags": ["me"], "parameters": [SLUG],
    "responses": {"204": {"description": "Left the path."},
                  **_not_found("No published path with this slug."),
                  "409": spec.problem_response("Not enrolled, completed, or assigned.")},
})


@bp.delete("/enrolments/<slug>")
@token_required("read-write")
def leave(slug: str):
    inputs.query_args(set())
    path = paths.get_path(inputs.slug_arg(slug))
    if path is None:
        raise ApiProblem(404, "No published growth path with this slug.")
    try:
        paths.leave(current_token_user(), path)
    except paths.PathError as error:
        raise ApiProblem(409, str(error)) from None
    db.session.commit()
    return "", 204


spec.add_operation("/completions", "get", {
    "summary": "My module completions, newest first", "operationId": "listCompletions",
    "tags": ["me"], "parameters": [LIMIT, CURSOR],
    "responses": _ok("A page of completions.", "CompletionPage"),
})


@bp.get("/completions")
@token_required("read")
def list_completions():
    user = current_token_user()
    return jsonify(_paged("completions",
                          lambda offset, limit: api.my_completions(user, offset, limit)))


spec.add_operation("/paths", "get", {
    "summary": "Published growth paths", "operationId": "listPaths", "tags": ["paths"],
    "parameters": [LIMIT, CURSOR], "responses": _ok("A page of paths.", "PathPage"),
})


@bp.get("/paths")
@token_required("read")
def list_paths():
    return jsonify(_paged("paths", api.published_paths))


spec.add_operation("/paths/{slug}", "get", {
    "summary": "A growth path with its steps and my enrolment", "operationId": "getPath",
    "tags": ["paths"], "parameters": [SLUG],
    "responses": {**_ok("The path.", "PathDetail"),
                  **_not_found("No published path with this slug.")},
})


@bp.get("/paths/<slug>")
@token_required("read")
def get_path(slug: str):
    inputs.query_args(set())
    path = paths.get_path(inputs.slug_arg(slug))
    if path is None:
        raise ApiProblem(404, "No published growth path with this slug.")
    return jsonify(api.path_detail(current_token_user(), path))


spec.add_operation("/teams", "get", {
    "summary": "The teams I manage (managers)", "operationId": "listTeams", "tags": ["teams"],
    "responses": _ok("The managed teams.", "TeamList"),
})


def _require_manager():
    if not current_token_user().has_any_role("manager"):
        raise ApiProblem(403, "Only managers can use this operation.", kind="forbidden")


@bp.get("/teams")
@token_required("read")
def list_teams():
    inputs.query_args(set())
    _require_manager()
    return jsonify({"items": api.managed_teams(current_token_user())})


spec.add_operation("/teams/{team_id}/assignments", "get", {
    "summary": "Assignment progress per person of a team I manage",
    "operationId": "getTeamAssignments", "tags": ["teams"], "parameters": [TEAM_ID],
    "responses": _ok("Who follows which assigned path, with progress.", "TeamAssignments"),
})


@bp.get("/teams/<int:team_id>/assignments")
@token_required("read")
def team_assignments(team_id: int):
    inputs.query_args(set())
    _require_manager()
    user = current_token_user()
    data = api.team_assignments(user, team_id) if api.manages_team(user, team_id) else None
    if data is None:
        raise ApiProblem(403, "You do not manage this team.", kind="not-your-team")
    return jsonify(data)


spec.add_operation("/teams/{team_id}/engagement", "get", {
    "summary": "Engagement aggregates of a team (managers of the team, HR)",
    "operationId": "getTeamEngagement", "tags": ["teams"], "parameters": [TEAM_ID],
    "description": "The same thresholds as the engagement pages: a figure that fewer than k "
                   "people contribute to is null with the reason in `hidden`.",
    "responses": {**_ok("Thresholded aggregates.", "TeamEngagement"),
                  **_not_found("No such team (HR).")},
})


@bp.get("/teams/<int:team_id>/engagement")
@token_required("read")
def team_engagement(team_id: int):
    inputs.query_args(set())
    outcome, data = api.team_engagement(current_token_user(), team_id)
    if outcome == "forbidden":
        raise ApiProblem(403, "You do not manage this team.", kind="not-your-team")
    if outcome == "missing":
        raise ApiProblem(404, "No such team.")
    return jsonify(data)
