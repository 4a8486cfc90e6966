"""Every endpoint declares who may use it, and the declaration is enforced."""

import pytest

from learnpath.web.access import EXEMPT_ENDPOINTS, public

SAMPLE_ARGS = {"user_id": 1, "team_id": 1, "kind": "member", "slug": "some-module",
               "filename": "modules/en/image.png", "number": 1, "token": "not-a-token",
               "enrolment_id": 1, "token_id": 1, "check_in_id": 1, "entry_id": 1,
               "plan_id": 1, "card_id": 1, "log_id": 1, "asset_id": 1}


def _endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT_ENDPOINTS:
            continue
        yield rule


def _url(rule):
    from flask import url_for

    return url_for(rule.endpoint, **{arg: SAMPLE_ARGS[arg] for arg in rule.arguments})


def test_every_endpoint_declares_an_access_rule(app):
    missing = [rule.endpoint for rule in _endpoints(app)
               if getattr(app.view_functions[rule.endpoint], "access_rule", None) is None]
    assert missing == []


def test_only_the_static_endpoint_is_exempt(app):
    assert EXEMPT_ENDPOINTS == {"static"}


def test_a_view_without_a_rule_is_refused(app, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    response = client.get("/forgotten")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def test_visitors_are_sent_to_sign_in_for_every_protected_page(app, client):
    with app.test_request_context():
        # API routes (token rules) answer 401 problem details instead: tests/test_api_auth.py.
        protected = [(rule, _url(rule)) for rule in _endpoints(app)
                     if not app.view_functions[rule.endpoint].access_rule.public
                     and not app.view_functions[rule.endpoint].access_rule.token_scope]
    assert protected
    for rule, url in protected:
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert "/login" in response.headers["Location"], rule.endpoint


def test_employee_is_refused_every_page_that_needs_another_role(app, client, login_as):
    login_as("employee")
    with app.test_request_context():
        restricted = [(rule, _url(rule)) for rule in _endpoints(app)
                      if app.view_functions[rule.endpoint].access_rule.roles]
    assert restricted
    for rule, url in restricted:
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 403, (rule.endpoint, response.status_code)


@pytest.mark.parametrize("path,role", [("/manager", "manager"), ("/author/", "author"),
                                       ("/hr", "hr"), ("/admin/", "admin")])
def test_role_landing_pages_open_for_their_role(client, login_as, path, role):
    login_as(role)
    assert client.get(path).status_code == 200


def test_public_marker_keeps_the_view_callable():
    @public
    def view():
        return "ok"

    assert view() == "ok" and view.access_rule.public
