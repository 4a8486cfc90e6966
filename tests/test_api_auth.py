"""API tokens: created and revoked on the profile page, hashed at rest, scoped, rate-limited;
the API never accepts the cookie session and answers every error with problem details."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from learnpath.api import tokens
from learnpath.api.models import PersonalAccessToken
from learnpath.extensions import db
from learnpath.paths.catalog import import_path_text
from learnpath.timeutil import utcnow


def bearer(user, scope="read", expires_at=None):
    _token, secret = tokens.create_token(user, "test", scope, expires_at)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["type"]
    return body


@pytest.fixture
def open_path(app):
    from learnpath.modules import authoring as module_authoring

    module = module_authoring.create_module("first-step", "# First step\n\nRead this.\n")
    module_authoring.publish(module, None)
    result = import_path_text("slug: basics\ntitle: {nl: Basis, en: Basics}\n"
                              "steps:\n  - {module: first-step}\n", "paths/basics.yml")
    assert result.status == "created"
    db.session.commit()


# Lifecycle -----------------------------------------------------------------------------------


def test_profile_creates_a_token_shown_once_and_stored_hashed(client, login_as):
    user = login_as()
    response = client.post("/profile/tokens", data={"name": "Power BI", "scope": "read",
                                                    "expires": "90"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    secret = re.search(r'value="(lp_[^"]+)"', html).group(1)
    token = db.session.scalar(select(PersonalAccessToken))
    assert token.user_id == user.id and token.name == "Power BI" and token.scope == "read"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.token_hash and token.prefix == secret[:10]
    assert tokens.aware(token.expires_at) > utcnow() + timedelta(days=89)
    profile = client.get("/profile").get_data(as_text=True)
    assert "Power BI" in profile and secret not in profile  # shown once only
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
                      ).get_json()["id"] == user.id


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_profile_token_forms_need_csrf(client, make_user, csrf_token):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                "csrf_token": csrf_token("/login")})
    form = {"name": "x", "scope": "read", "expires": "30"}
    assert client.post("/profile/tokens", data=form).status_code == 400
    assert db.session.scalar(select(PersonalAccessToken)) is None
    response = client.post("/profile/tokens", data={**form, "csrf_token": csrf_token("/profile")})
    assert response.status_code == 200 and "lp_" in response.get_data(as_text=True)
    token = db.session.scalar(select(PersonalAccessToken))
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 400
    assert db.session.get(PersonalAccessToken, token.id).revoked_at is None


def test_invalid_token_form_creates_nothing(client, login_as):
    login_as()
    response = client.post("/profile/tokens", data={"name": "", "scope": "admin",
                                                    "expires": "1000"})
    assert response.status_code == 302
    assert db.session.scalar(select(PersonalAccessToken)) is None


def test_revoked_token_gets_401(client, login_as):
    user = login_as()
    headers = bearer(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = db.session.scalar(select(PersonalAccessToken))
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 302
    response = client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert "revoked" in client.get("/profile").get_data(as_text=True).lower()


def test_cannot_revoke_someone_elses_token(client, login_as, make_user):
    other = make_user()
    headers = bearer(other)
    login_as()
    token = db.session.scalar(select(PersonalAccessToken))
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_expired_token_gets_401(client, make_user):
    headers = bearer(make_user(), expires_at=utcnow() - timedelta(seconds=1))
    body = assert_problem(client.get("/api/v1/me", headers=headers), 401)
    assert "expired" in body["detail"]


def test_token_of_deactivated_person_gets_401(client, make_user):
    from learnpath.accounts import services as accounts

    user = make_user()
    headers = bearer(user)
    accounts.set_active(user, False)
    db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer lp_unknown", "Bearer nonsense",
                                    "Basic dXNlcjpwYXNz", "Token lp_x"])
def test_missing_or_bad_token_gets_401_with_www_authenticate(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/enrolments", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_last_used_is_recorded(client, make_user):
    headers = bearer(make_user())
    client.get("/api/v1/me", headers=headers)
    assert db.session.scalar(select(PersonalAccessToken)).last_used_at is not None


def test_cookie_session_is_not_accepted_by_the_api(client, login_as):
    login_as()
    assert_problem(client.get("/api/v1/me"), 401)
    assert_problem(client.post("/api/v1/enrolments", json={"path": "basics"}), 401)


def test_every_api_route_needs_a_token(app, client):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule.endswith("openapi.json"):
            continue
        assert app.view_functions[rule.endpoint].access_rule.token_scope, rule.endpoint
        url = re.sub(r"<(?:int:)?([a-z_]+)>", lambda m: "1" if "int" in m.group(0) else "x",
                     rule.rule)
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        assert_problem(client.open(url, method=method), 401)


def test_erasure_and_export_hooks_cover_tokens(app, make_user):
    from learnpath.personal_data import registered

    user = make_user()
    bearer(user)
    entry = next(e for e in registered() if e.table == "personal_access_tokens")
    exported = entry.export(user)
    assert exported[0]["name"] == "test" and "token_hash" not in exported[0]
    assert not any(str(v).startswith("lp_") and len(str(v)) > 12 for v in exported[0].values())
    entry.erase(user)
    db.session.commit()
    assert db.session.scalar(select(PersonalAccessToken)) is None


# Scopes --------------------------------------------------------------------------------------


def test_read_token_on_write_endpoint_gets_403(client, make_user, open_path):
    headers = bearer(make_user(), "read")
    response = client.post("/api/v1/enrolments", headers=headers, json={"path": "basics"})
    body = assert_problem(response, 403)
    assert "read-write" in body["detail"]
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_read_write_token_enrols_and_leaves(client, make_user, open_path):
    headers = bearer(make_user(), "read-write")
    response = client.post("/api/v1/enrolments", headers=headers, json={"path": "basics"})
    assert response.status_code == 201
    assert response.get_json()["path"] == "basics" and response.get_json()["source"] == "self"
    listed = client.get("/api/v1/enrolments", headers=headers).get_json()["items"]
    assert [e["path"] for e in listed] == ["basics"]
    assert client.delete("/api/v1/enrolments/basics", headers=headers).status_code == 204
    assert client.get("/api/v1/enrolments", headers=headers).get_json()["items"] == []
    assert_problem(client.delete("/api/v1/enrolments/basics", headers=headers), 409)


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body,content_type,status,field", [
    ('{"path": ', "application/json", 400, None),            # malformed JSON
    ("[1, 2]", "application/json", 400, None),                # not an object
    ('{"path": 42}', "application/json", 400, "path"),        # wrong type
    ('{"path": "basics", "due": "x"}', "application/json", 400, "due"),  # unknown field
    ("{}", "application/json", 400, "path"),                  # missing field
    ("path=basics", "application/x-www-form-urlencoded", 415, None),
    ("[" * 50000 + "]" * 50000, "application/json", 400, None),  # nesting too deep
    ("NaN", "application/json", 400, None),                     # not JSON, though Python reads it
    ('{"path": "x\\u0000y"}', "application/json", 400, "path"),  # NUL: PostgreSQL refuses it
    ('{"path": "\\ud800"}', "application/json", 400, "path"),     # a lone surrogate
    ('{"path": 1e999}', "application/json", 400, "path"),
])
def test_bad_bodies_get_problem_details(client, make_user, open_path, body, content_type,
                                        status, field):
    headers = {**bearer(make_user(), "read-write"), "Content-Type": content_type}
    problem = assert_problem(client.post("/api/v1/enrolments", headers=headers, data=body),
                             status)
    if field:
        assert field in [error["field"] for error in problem["errors"]]


def test_unknown_query_parameter_and_bad_limit_get_400(client, make_user):
    headers = bearer(make_user())
    assert_problem(client.get("/api/v1/paths?page=2", headers=headers), 400)
    for limit in ("0", "101", "abc", "-1", "1e3"):
        assert_problem(client.get(f"/api/v1/paths?limit={limit}", headers=headers), 400)


def test_not_found_and_method_not_allowed_are_problems(client, make_user):
    headers = bearer(make_user())
    assert_problem(client.get("/api/v1/no-such-thing", headers=headers), 404)
    assert_problem(client.get("/api/v1/modules/no-such-module", headers=headers), 404)
    for odd in ("%00", "x%00y", "%ed%a0%80", "x" * 300):
        assert_problem(client.get(f"/api/v1/paths/{odd}", headers=headers), 404)
        assert_problem(client.get(f"/api/v1/modules/{odd}", headers=headers), 404)
    response = client.put("/api/v1/enrolments", headers=headers)
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_unexpected_errors_are_problems_not_html(app, client, make_user, monkeypatch):
    from learnpath.api import services as api

    headers = bearer(make_user())

    def explode(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "published_paths", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    body = assert_problem(client.get("/api/v1/paths", headers=headers), 500)
    assert "boom" not in str(body)


# Rate limit ----------------------------------------------------------------------------------


@pytest.mark.app_config(API_RATE_LIMIT="3 per minute")
def test_rate_limit_per_token_gives_429_problem(client, make_user):
    user = make_user()
    first, second = bearer(user), bearer(user)
    for _ in range(3):
        assert client.get("/api/v1/me", headers=first).status_code == 200
    response = client.get("/api/v1/me", headers=first)
    assert_problem(response, 429)
    assert "Retry-After" in response.headers
    assert client.get("/api/v1/me", headers=second).status_code == 200  # its own bucket


def test_profile_token_section_in_dutch(client, login_as):
    user = login_as(locale="nl")
    bearer(user)
    html = client.get("/profile").get_data(as_text=True)
    assert "API-tokens" in html and "Intrekken" in html and "Alleen lezen" in html
    assert 'href="/developers"' in html
