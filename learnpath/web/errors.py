"""Friendly error pages, in the person's language, for every HTTP error.

A feature whose requests want another error format (the JSON API's problem details) registers
it with register_error_format(app, applies, render): for requests where applies() is true,
render(error) answers instead of the page. web/ itself knows no feature.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from learnpath.extensions import db
from learnpath.web.access import is_safe_redirect
from learnpath.web.i18n import lazy_text as _l

FORMATS_KEY = "learnpath.error_formats"

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you "
                                "entered and try again.")),
    401: (_l("Please sign in"), _l("You need to sign in to see this page.")),
    403: (_l("No access"), _l("You do not have access to this page. If you think you should, "
                              "ask your administrator.")),
    404: (_l("Page not found"), _l("We could not find this page. It may have moved, or the "
                                   "address may be mistyped.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts. Please send a "
                              "smaller file.")),
    429: (_l("Too many attempts"), _l("There were too many attempts in a short time. Please wait "
                                      "a minute and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error happened on our side. It has been "
                                         "logged. Please try again in a moment.")),
}
CSRF_MESSAGE = _l("This form has expired or did not come from this site, so nothing was saved. "
                  "Go back, reload the page and try again.")
COOKIE_MESSAGE = _l("Your browser did not send this site's cookie back, so nothing was saved. "
                    "learnpath needs cookies to sign you in and to protect its forms: allow "
                    "cookies for this site, reload the page and try again.")


def render_error(code: int, message=None):
    title, default_message = MESSAGES.get(code, (_l("Error"), _l("Something went wrong.")))
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default_message,
        back=page_before()), code


def page_before() -> str | None:
    """The page the person came from, as a local path: only a page of this site, never this
    same address (a reload would fail again), never another site's."""
    referrer = request.referrer
    if not referrer or len(referrer) > 2048:
        return None
    parts = urlsplit(referrer)
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return None
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    if not is_safe_redirect(target) or (parts.path == request.path and request.method == "GET"):
        return None
    return target


def register_error_format(app: Flask, applies: Callable[[], bool],
                          render: Callable[[HTTPException], object]) -> None:
    """Answer errors of the requests for which applies() is true with render(error)."""
    app.extensions.setdefault(FORMATS_KEY, []).append((applies, render))


def _other_format(error: HTTPException):
    """The registered renderer's response for this request, or None for the error page."""
    for applies, render in current_app.extensions.get(FORMATS_KEY, ()):
        if applies():
            return render(error)
    return None


def handle_http_exception(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    other = _other_format(error)
    if other is not None:
        return other
    # An exception may carry a message for the person (web/text.py's BadText does).
    response = render_error(error.code, getattr(error, "user_message", None))
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
    return response


def handle_csrf_error(error: CSRFError):
    other = _other_format(error)
    if other is not None:
        return other
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        _log_missing_session_cookie()
        return render_error(400, COOKIE_MESSAGE)
    return render_error(400, CSRF_MESSAGE)


def _log_missing_session_cookie() -> None:
    if current_app.config.get("SESSION_COOKIE_SECURE") and not request.is_secure:
        current_app.logger.warning(
            "%s %s refused with 400: no session cookie, because the request came over plain "
            "HTTP and production session cookies are Secure (browsers send them over HTTPS "
            "only). Serve learnpath over HTTPS and set LEARNPATH_PROXY_HOPS for the TLS proxy.",
            request.method, request.path)
    else:
        current_app.logger.info("%s %s refused with 400: the browser sent no session cookie "
                                "(cookies blocked, or a form posted from elsewhere).",
                                request.method, request.path)


def handle_server_error(error: InternalServerError):
    db.session.rollback()
    other = _other_format(error)
    if other is not None:
        return other
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_server_error)
