"""Security headers on every response: CSP and friends, no shared caching of signed-in pages."""

from flask import Flask, current_app, request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def set_security_headers(response):
    """Add CSP and friends; keep signed-in pages out of shared caches."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user and current_user.is_authenticated and request.endpoint != "static":
        headers["Cache-Control"] = "private, no-store"
    return response


PLAIN_HTTP_WARNED = "learnpath.plain_http_warned"


def warn_once_about_plain_http():
    """Log once per app when production settings are reached over plain HTTP.

    Production cookies are Secure: a browser never sends them back over http://, so sign-in
    fails with a 400 that the person cannot explain. The operator needs to read why.
    """
    if request.is_secure or not current_app.config.get("SESSION_COOKIE_SECURE"):
        return
    mine = object()
    if current_app.extensions.setdefault(PLAIN_HTTP_WARNED, mine) is not mine:
        return  # another request (or thread) has said it already
    ignored = ""
    if (request.headers.get("X-Forwarded-Proto", "").lower() == "https"
            and not int(current_app.config.get("PROXY_HOPS") or 0)):
        ignored = (" It carried X-Forwarded-Proto: https, which is ignored because "
                   "LEARNPATH_PROXY_HOPS is 0.")
    current_app.logger.warning(
        "Production settings, but %s %s arrived over plain HTTP.%s Session cookies are Secure, "
        "so browsers will not send them back and every sign-in fails with 400. Serve learnpath "
        "over HTTPS (a TLS-terminating proxy) and set LEARNPATH_PROXY_HOPS to the number of "
        "proxies so their X-Forwarded-Proto is trusted. (Logged once.)",
        request.method, request.path, ignored)


def init_app(app: Flask) -> None:
    app.before_request(warn_once_about_plain_http)
    app.after_request(set_security_headers)
