"""Bearer-token authentication for the JSON API.

Views on an openapi.ApiBlueprint use it through @bp.operation(...), which also documents
the token problems:

    @bp.get("/things")
    @bp.operation("listThings", "things", scope="read")   # or scope="read-write" for writes
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, ThingPageSchema)
    def things(args):
        user = current_token_user()
        ...

token_required marks the view in the access-rule system (learnpath/web/access.py), so the
deny-undeclared rule still holds, and checks the Authorization: Bearer header itself.
API blueprints never accept the cookie session: setup_api_blueprint() clears the
Flask-Login user before every request, so only a token makes current_user someone.
"""

import hashlib
from functools import wraps

from flask import Blueprint, current_app, g, request

from learnpath.api import tokens
from learnpath.api.problems import ApiProblem, from_api_problem
from learnpath.extensions import csrf, db, limiter, login_manager
from learnpath.web.access import AccessRule

SCOPES = ("read", "read-write")
REALM = 'Bearer realm="learnpath"'
_REASONS = {
    "missing": "Send a personal access token: Authorization: Bearer lp_...",
    "scheme": "Use the Bearer scheme: Authorization: Bearer lp_...",
    "malformed": "This is not a learnpath access token.",
    "unknown": "This token is not known.",
    "expired": "This token has expired. Create a new one on your profile page.",
    "revoked": "This token has been revoked.",
    "inactive": "The account of this token is deactivated.",
}


def _unauthorized(reason: str) -> ApiProblem:
    header = REALM if reason in ("missing", "scheme") else (
        f'{REALM}, error="invalid_token", error_description="{reason}"')
    return ApiProblem(401, _REASONS[reason], kind="unauthorized",
                      headers={"WWW-Authenticate": header})


def bearer_secret() -> str | None:
    """The secret from the Authorization header, or None when there is none."""
    header = request.headers.get("Authorization", "")
    if not header.strip():
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise _unauthorized("scheme")
    return secret.strip() or None


def token_required(scope: str = "read"):
    """Let the view run only with a valid bearer token that holds `scope`."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verdict = tokens.verify(bearer_secret())
            if verdict.token is None:
                raise _unauthorized(verdict.reason or "unknown")
            db.session.commit()  # last_used_at
            g.api_token = verdict.token
            login_manager._update_request_context_with_user(verdict.token.user)
            if not verdict.token.allows(scope):
                raise ApiProblem(
                    403, f"This token has scope {verdict.token.scope!r}; "
                         f"this operation needs {scope!r}.",
                    kind="insufficient-scope",
                    headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", '
                                                 f'scope="{scope}"'})
            return view(*args, **kwargs)

        wrapper.access_rule = AccessRule(token_scope=scope)
        return wrapper

    return decorator


def current_token():
    """The PersonalAccessToken of this request (inside a token_required view)."""
    return g.api_token


def current_token_user():
    """The person whose token authenticated this request."""
    return g.api_token.user


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "api-ip:" + (request.remote_addr or "unknown")


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _forget_cookie_user():
    login_manager._update_request_context_with_user(None)


def setup_api_blueprint(bp: Blueprint) -> Blueprint:
    """Make a blueprint an API blueprint: no cookies, no CSRF, per-token limits, problems."""
    csrf.exempt(bp)
    limiter.shared_limit(_rate_limit, scope="api", key_func=_rate_key)(bp)
    bp.before_request(_forget_cookie_user)
    bp.register_error_handler(ApiProblem, from_api_problem)
    return bp
