"""RFC 9457 problem details: every API error is application/problem+json."""

from flask import Response, json, request
from werkzeug.exceptions import HTTPException, InternalServerError

from learnpath.web.errors import register_error_format

PROBLEM_TYPE_BASE = "/developers#problem-"
TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 413: "Content Too Large",
    415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests",
    500: "Internal Server Error",
}


class ApiProblem(Exception):
    """Raise in an API view to answer with a problem-details response."""

    def __init__(self, status: int, detail: str | None = None, *, kind: str | None = None,
                 headers: dict | None = None, **extra):
        super().__init__(detail or TITLES.get(status, "Error"))
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = headers or {}
        self.extra = extra


def problem(status: int, detail: str | None = None, *, kind: str | None = None,
            headers: dict | None = None, **extra) -> Response:
    """Build a problem-details response; `kind` names a documented problem type."""
    body = {
        "type": PROBLEM_TYPE_BASE + kind if kind else "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def from_api_problem(error: ApiProblem) -> Response:
    return problem(error.status, error.detail, kind=error.kind, headers=error.headers,
                   **error.extra)


def from_http_exception(error: HTTPException) -> Response:
    """Turn any werkzeug HTTP error under /api into problem details."""
    code = error.code or 500
    headers = {}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="learnpath"'
    detail = {
        404: "No such resource.",
        405: f"Method {request.method} is not allowed here.",
        429: "Too many requests for this token. Wait and retry.",
    }.get(code)
    extra, kind = {}, None
    if code == 400:
        detail = getattr(error, "user_message", None) or "The request could not be understood."
        if getattr(error, "problem_errors", None):
            extra["errors"] = error.problem_errors
            kind = "invalid-request"
    if code == 429:
        retry = getattr(error, "retry_after", None)
        if retry:
            headers["Retry-After"] = str(int(retry))
    response = problem(code, detail, headers=headers, kind=kind, **extra)
    if code == 429 and getattr(error, "response", None) is not None:
        for key in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                    "X-RateLimit-Reset"):
            if key in error.response.headers:
                response.headers[key] = error.response.headers[key]
    return response


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def from_error(error: HTTPException) -> Response:
    """The problem details for an error web/errors.py meets under /api (500s say no more)."""
    if isinstance(error, InternalServerError):
        return problem(500, "An unexpected error happened; it has been logged.")
    return from_http_exception(error)


def init_app(app) -> None:
    """Errors under /api are problem details, not pages; ApiProblem raised in a view too."""
    register_error_format(app, is_api_request, from_error)
    app.register_error_handler(ApiProblem, from_api_problem)
