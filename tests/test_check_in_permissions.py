"""Every check-in route, walked from the URL map, refuses everyone who is not one of the two
sides with a 404 (not 403: whether a check-in exists is not revealed), even an administrator,
HR or an author; and the other side's private note is a 404 on every route that names it."""

import pytest

from learnpath.conversations import services
from learnpath.extensions import db
from learnpath.paths.enrolments import today
from tests.conftest import AuthActions

ALL_ROLES = ("admin", "hr", "author", "manager", "employee")


@pytest.fixture
def setting(app, make_user, make_team):
    manager = make_user(roles=("manager", "employee"))
    person = make_user()
    make_team(managers=[manager], members=[person])
    check_in = services.schedule(manager, person, "stay", today(), today())
    private = services.add_entry(manager, check_in, "private", "PRIVATE-1a2b")
    db.session.commit()
    return manager, person, check_in, private


def _check_in_rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("conversations.")
             and "check_in_id" in r.arguments]
    assert len(rules) >= 8  # show, notes, actions, entries, carry-out, kudos, held, .ics
    return rules


def _url(rule, check_in_id, entry_id):
    return rule.rule.replace("<int:check_in_id>", str(check_in_id)).replace(
        "<int:entry_id>", str(entry_id))


def _client(app, user):
    browser = app.test_client()
    AuthActions(browser).login(user)
    return browser


@pytest.mark.parametrize("roles", [("employee",), ALL_ROLES])
def test_every_check_in_route_is_a_404_for_anyone_else(app, setting, make_user, roles):
    _manager, _person, check_in, private = setting
    outsider = _client(app, make_user(roles=roles))
    for rule in _check_in_rules(app):
        url = _url(rule, check_in.id, private.id)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = outsider.open(url, method=method, data={"note-text": "x"})
            assert response.status_code == 404, (method, url)
            assert "PRIVATE-1a2b" not in response.get_data(as_text=True)


def test_the_other_sides_private_note_is_a_404_wherever_it_is_named(app, setting):
    _manager, person, check_in, private = setting
    theirs = _client(app, person)
    for rule in _check_in_rules(app):
        if "entry_id" not in rule.arguments:
            continue
        url = _url(rule, check_in.id, private.id)
        assert theirs.post(url, data={"edit-text": "x"}).status_code == 404, url
    db.session.refresh(private)
    assert private.text == "PRIVATE-1a2b"


def test_signed_out_visitors_are_sent_to_sign_in_everywhere(app, setting):
    _manager, _person, check_in, private = setting
    visitor = app.test_client()
    rules = _check_in_rules(app) + [r for r in app.url_map.iter_rules()
                                    if r.endpoint.startswith("check_in_templates.")]
    for rule in rules:
        url = _url(rule, check_in.id, private.id).replace("<slug>", "stay")
        response = visitor.get(url) if "GET" in rule.methods else visitor.post(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_a_check_in_id_that_does_not_exist_is_a_404(app, setting):
    manager, _person, check_in, _private = setting
    mine = _client(app, manager)
    assert mine.get("/check-ins/999999").status_code == 404
    assert mine.get("/check-ins/999999/check-in.ics").status_code == 404
    assert mine.post(f"/check-ins/{check_in.id}/entries/999999/carry-out").status_code in (
        400, 404)
