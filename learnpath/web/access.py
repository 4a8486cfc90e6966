"""Access rules for every endpoint and safe redirects.

Each view declares who may use it with @public, @login_required or @roles_required(...).
One before_request hook enforces the declaration, and refuses views that declare nothing,
so a new route cannot slip in unprotected (tests/test_access_rules.py walks the url_map too).
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, current_app, request
from flask_login import current_user

from learnpath.extensions import login_manager

ROLES = ("employee", "manager", "author", "hr", "admin")
# Flask's own static file endpoint serves public assets and cannot carry a marker.
EXEMPT_ENDPOINTS = frozenset({"static"})


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: tuple[str, ...] = ()  # empty: any signed-in, active person
    # API views: a bearer token with this scope, checked by the API feature's token_required.
    token_scope: str | None = None

    def describe(self) -> str:
        if self.token_scope:
            return f"token: {self.token_scope}"
        if self.public:
            return "public"
        return "roles: " + ", ".join(self.roles) if self.roles else "signed in"


def _mark(view, rule: AccessRule):
    view.access_rule = rule
    return view


def public(view):
    """Allow anyone, signed in or not."""
    return _mark(view, AccessRule(public=True))


def login_required(view):
    """Allow any signed-in, active person."""
    return _mark(view, AccessRule())


def roles_required(*roles: str):
    """Allow signed-in people holding at least one of these roles."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        return _mark(wrapper, AccessRule(roles=tuple(roles)))

    return decorator


def access_rule_for(endpoint: str) -> AccessRule | None:
    """Return the declared rule of an endpoint, or None when it declares none."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce_access_rules():
    """Check the current request against its endpoint's declared rule."""
    if request.endpoint is None or request.endpoint in EXEMPT_ENDPOINTS:
        return None  # routing errors become 404/405 later
    rule = access_rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if rule.token_scope:
        return None  # token_required authenticates the bearer token; cookies do not count
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule.roles and not current_user.has_any_role(*rule.roles):
        abort(403)
    return None


def is_safe_redirect(target: str | None) -> bool:
    """True only for a path on this site; refuses //host, /\\host, schemes and encoded forms."""
    if not target or len(target) > 2048:
        return False
    decoded = target
    for _ in range(3):  # catch double and triple encoding
        decoded = unquote(decoded)
    for candidate in (target, decoded):
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
            return False
        if "\\" in candidate:
            return False
        if not candidate.startswith("/") or candidate.startswith("//"):
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, fallback: str) -> str:
    """Return target when it is a safe local path, otherwise the fallback."""
    return target if is_safe_redirect(target) else fallback


def init_app(app: Flask) -> None:
    app.before_request(enforce_access_rules)
    app.jinja_env.globals["has_role"] = lambda *roles: (
        current_user.is_authenticated and current_user.has_any_role(*roles)
    )
