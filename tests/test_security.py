"""CSRF, security headers, body size limits, error pages and production settings."""

import pytest

import config
from learnpath import create_app


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "default-src 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(client, login_as):
    login_as()
    assert client.get("/").headers["Cache-Control"] == "private, no-store"


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_post_without_csrf_token_is_refused_with_a_message(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "x" * 12})
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_post_with_foreign_csrf_token_is_refused(app, client, make_user, csrf_token):
    user = make_user()
    foreign = app.test_client()
    token = foreign.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1]
    token = token.split('"')[0]
    response = client.post("/login", data={"email": user.email, "password": "correct horse "
                                           "battery", "csrf_token": token})
    assert response.status_code == 400


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_post_with_own_csrf_token_works(client, make_user, csrf_token):
    user = make_user()
    token = csrf_token("/login")
    response = client.post("/login", data={"email": user.email, "password": "correct horse "
                                           "battery", "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_logout_without_csrf_token_keeps_the_session(client, make_user, csrf_token):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                "csrf_token": csrf_token("/login")})
    assert client.post("/logout").status_code == 400
    assert client.get("/profile").status_code == 200


@pytest.mark.app_config(MAX_CONTENT_LENGTH=1024)
def test_oversized_body_gets_413(client):
    response = client.post("/login", data={"email": "a@example.com", "password": "x" * 5000})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_unknown_route_gets_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_wrong_method_gets_405(client):
    response = client.put("/login")
    assert response.status_code == 405
    assert "Not allowed" in response.get_data(as_text=True)


def test_unexpected_error_gets_a_friendly_500(app, client):
    from learnpath.web.access import public

    @public
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)


def test_error_page_speaks_dutch(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "nl"})
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    class Prod(config.ProductionConfig):
        SECRET_KEY = config.DEV_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="LEARNPATH_SECRET_KEY"):
        create_app(Prod)

    class ShortKey(Prod):
        SECRET_KEY = "short"

    with pytest.raises(RuntimeError, match="LEARNPATH_SECRET_KEY"):
        create_app(ShortKey)


def test_production_sets_secure_cookies():
    class Prod(config.ProductionConfig):
        SECRET_KEY = "x" * 48
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Prod)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login")
    assert "Secure" in response.headers.get("Set-Cookie", "Secure")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


PRODUCTION_COOKIES = {"WTF_CSRF_ENABLED": True, "SESSION_COOKIE_SECURE": True,
                      "REMEMBER_COOKIE_SECURE": True}


def _plain_http_warnings(caplog):
    return [r for r in caplog.records if "arrived over plain HTTP" in r.getMessage()]


@pytest.mark.app_config(**PRODUCTION_COOKIES)
def test_production_over_plain_http_warns_once_and_sign_in_says_cookies_are_needed(
        client, make_user, csrf_token, caplog):
    user = make_user()
    token = csrf_token("/login")
    client.get("/privacy/")
    assert len(_plain_http_warnings(caplog)) == 1
    assert "LEARNPATH_PROXY_HOPS" in _plain_http_warnings(caplog)[0].getMessage()
    client.delete_cookie("session")  # a browser keeps no Secure cookie it got over http://
    response = client.post("/login", data={"email": user.email, "password": "correct horse "
                                           "battery", "csrf_token": token})
    assert response.status_code == 400
    assert "needs cookies to sign you in" in response.get_data(as_text=True)
    assert any("production session cookies are Secure" in r.getMessage()
               for r in caplog.records if r.levelname == "WARNING")
    assert len(_plain_http_warnings(caplog)) == 1
    client.delete_cookie("session")
    dutch = client.post("/login", data={"csrf_token": token},
                        headers={"Accept-Language": "nl"})
    assert "heeft cookies nodig" in dutch.get_data(as_text=True)


@pytest.mark.app_config(**PRODUCTION_COOKIES)
def test_production_over_https_does_not_warn(client, caplog):
    client.get("/login", base_url="https://learn.example.org")
    assert _plain_http_warnings(caplog) == []


@pytest.mark.app_config(**PRODUCTION_COOKIES)
def test_plain_http_warning_says_an_untrusted_forwarded_proto_was_ignored(client, caplog):
    client.get("/login", headers={"X-Forwarded-Proto": "https"})
    [warning] = _plain_http_warnings(caplog)
    assert "ignored because LEARNPATH_PROXY_HOPS is 0" in warning.getMessage()


@pytest.mark.app_config(PROXY_HOPS=1, **PRODUCTION_COOKIES)
def test_a_trusted_proxy_saying_https_does_not_warn(client, caplog):
    client.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.9"})
    assert _plain_http_warnings(caplog) == []


def test_get_requests_never_change_data(app, client, login_as):
    """Every endpoint that changes state accepts only POST."""
    state_changing = {"accounts.logout", "accounts.set_language", "admin.user_set_active",
                      "admin.team_new", "admin.team_add_person", "admin.team_remove_person"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in state_changing:
            assert "GET" not in rule.methods, rule.endpoint


def test_no_get_request_writes_to_the_database(app, client, login_as, make_user, make_team):
    """Every GET route, signed in with every role: the row counts of every table stay equal.

    One warm-up pass first (the first read after a week ends closes it: aggregate rows), then a
    second pass that must leave every table exactly as it was.
    """
    from sqlalchemy import func, select

    from learnpath.extensions import db

    person = login_as("employee", "manager", "author", "hr", "admin")
    make_team(managers=[person], members=[make_user(), make_user()])
    db.session.commit()
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {arg: "1" for arg in rule.arguments}
        urls.append(rule.build(values, append_unknown=False)[1])

    def counts():
        db.session.expire_all()
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}

    statuses = {url: client.get(url).status_code for url in urls}
    assert all(code < 500 for code in statuses.values()), statuses
    before = counts()
    for url in urls:
        client.get(url)
    assert counts() == before
    assert len(urls) > 40
