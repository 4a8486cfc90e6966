"""Check-ins in the JSON API, and private notes that never leave their writer (issue 22):
not on any page, in any export, the API, the digest or search, for anyone else."""

import json
from datetime import timedelta

import pytest
from flask import url_for

from learnpath.accounts import services as accounts
from learnpath.api import tokens
from learnpath.conversations import services
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.paths import catalog
from learnpath.paths.enrolments import today
from learnpath.privacy import services as privacy
from learnpath.xapi.models import XapiOutbox
from tests.conftest import AuthActions

SECRET = "PRIVATE-NOTE-7f3a"
SHARED = "SHARED-NOTE-2b9c"


def bearer(user, scope="read"):
    _token, secret = tokens.create_token(user, "test", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def held(app, make_user, make_team):
    """A check-in with a private note of the manager, a shared note and an enrol action."""
    module = module_authoring.create_module("listening", "# Listening\n\nText.\n")
    module_authoring.publish(module, None)
    path, _status = catalog.save_path(catalog.PathData(
        "listening-path", "Luisteren", "Listening", "", "", "horizontal", [],
        [(module.id, False)]))
    manager = make_user(name="Mia Manager", roles=("manager", "employee"))
    person = make_user(name="Piet Person")
    make_team("Crew", managers=[manager], members=[person])
    check_in = services.schedule(manager, person, "quarterly", today(), today())
    services.add_entry(manager, check_in, "private", SECRET)
    services.add_entry(manager, check_in, "shared", SHARED)
    services.add_entry(manager, check_in, "action", "Follow the listening path",
                       owner="person", due_on=today() + timedelta(days=30), path=path,
                       path_action="enrol", today=today())
    db.session.commit()
    return manager, person, check_in


def test_the_person_lists_their_check_ins_with_actions_and_no_notes(client, held):
    manager, person, check_in = held
    response = client.get("/api/v1/check-ins", headers=bearer(person))
    assert response.status_code == 200
    body = response.get_json()
    (item,) = body["items"]
    assert item["id"] == check_in.id and item["role"] == "person"
    assert item["with"] == "Mia Manager" and item["kind"] == "quarterly"
    assert item["title"]["nl"] == "Het kwartaalgesprek over ontwikkeling"
    assert item["status"] == "scheduled" and item["confirmed_by_you"] is False
    (action,) = item["actions"]
    assert action == {"text": "Follow the listening path", "owner": "you",
                      "due_on": (today() + timedelta(days=30)).isoformat(),
                      "path": "listening-path", "path_action": "enrol", "done": False}
    assert body["next_cursor"] is None
    text = response.get_data(as_text=True)
    assert SECRET not in text and SHARED not in text


def test_the_manager_sees_the_same_check_in_from_their_side_without_their_notes(client, held):
    manager, person, _check_in = held
    text = client.get("/api/v1/check-ins", headers=bearer(manager)).get_data(as_text=True)
    item = json.loads(text)["items"][0]
    assert item["role"] == "manager" and item["with"] == "Piet Person"
    assert item["actions"][0]["owner"] == "other"
    assert SECRET not in text  # not even for its writer: the API carries no notes


def test_others_get_an_empty_list_and_no_token_gets_a_401(client, held, make_user):
    assert client.get("/api/v1/check-ins", headers=bearer(make_user())).get_json()[
        "items"] == []
    assert client.get("/api/v1/check-ins").status_code == 401


def test_pages_of_check_ins_follow_the_cursor(client, held):
    manager, person, _check_in = held
    for days in (1, 2):
        services.schedule(manager, person, "stay", today() + timedelta(days=days), today())
    db.session.commit()
    headers = bearer(person)
    first = client.get("/api/v1/check-ins?limit=2", headers=headers).get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(f"/api/v1/check-ins?limit=2&cursor={first['next_cursor']}",
                        headers=headers).get_json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    other = bearer(manager)
    assert client.get(f"/api/v1/check-ins?cursor={first['next_cursor']}",
                      headers=other).status_code == 403  # a cursor is its owner's


def _get_pages(app, user, urls):
    browser = app.test_client()
    AuthActions(browser).login(user)
    for url in urls:
        response = browser.get(url)
        yield url, response.status_code, response.get_data(as_text=True)


# Searches that would find the note if anything indexed it; none holds the whole note, which a
# results page shows back in its search box.
SEARCHES = ("/modules?q=PRIVATE+NOTE+7f3a", "/modules?q=7f3a&literal=1",
            "/modules?q=PRIVATE+NOTE&partial=1")


def _every_page(app, held):
    """(url, status for the person, status for an admin with every role) of every page that
    could show something of a check-in: its own pages, search, and the other roles' pages."""
    manager, person, check_in = held
    team = accounts.get_team_by_name("Crew")
    with app.test_request_context():
        mine = url_for("engagement_dash.mine")
    own = [(f"/check-ins/{check_in.id}", 200, 404),
           (f"/check-ins/{check_in.id}/check-in.ics", 200, 404)]
    everyone = [(url, 200, 200) for url in (
        "/", "/check-ins", *SEARCHES, "/paths", "/skills", "/reviews", "/kudos", "/privacy/",
        "/developers", mine, "/engagement/how")]
    by_role = [(url, 403, 200) for url in (
        "/manager", "/hr", "/engagement/hr", "/engagement/teams", f"/engagement/teams/{team.id}",
        "/admin/", "/admin/users", f"/admin/users/{person.id}", f"/admin/users/{manager.id}",
        f"/admin/teams/{team.id}", "/privacy/audit", f"/privacy/people/{manager.id}/erase")]
    return own + everyone + by_role


def test_a_private_note_is_on_no_page_for_anyone_but_its_writer(app, held, make_user):
    manager, person, check_in = held
    admin = make_user(roles=("admin", "hr", "author", "manager", "employee"))
    pages = _every_page(app, held)
    for viewer, column in ((person, 1), (admin, 2)):
        expected = {page[0]: page[column] for page in pages}
        for url, status, body in _get_pages(app, viewer, list(expected)):
            # the page was really there (a 404 would pass the check below for nothing)
            assert status == expected[url], (viewer.display_name, url, status)
            assert SECRET not in body, (viewer.display_name, url)
    seen = dict((url, body) for url, _s, body in _get_pages(app, manager,
                                                              [f"/check-ins/{check_in.id}"]))
    assert SECRET in seen[f"/check-ins/{check_in.id}"]


def test_the_searches_above_search_the_catalog(app, held):
    """The searches are real catalog searches: a module with the words is found by each."""
    module = module_authoring.create_module("note-words", "# PRIVATE NOTE 7f3a\n\nText.\n")
    module_authoring.publish(module, None)
    db.session.commit()
    for url, status, body in _get_pages(app, held[1], SEARCHES):
        assert status == 200 and "/modules/note-words" in body, url


def test_a_private_note_is_only_in_its_writers_export(app, held, make_user):
    manager, person, _check_in = held
    admin = make_user(roles=("admin",))
    assert SECRET in json.dumps(privacy.export_person(manager, actor=admin), default=str)
    export = json.dumps(privacy.export_person(person, actor=admin), default=str)
    assert SECRET not in export


def test_the_person_downloads_an_export_without_the_managers_private_note(app, held):
    _manager, person, _check_in = held
    browser = app.test_client()
    AuthActions(browser).login(person)
    response = browser.post("/privacy/export")
    assert response.status_code == 200
    assert SECRET not in response.get_data(as_text=True)


def test_the_other_side_cannot_edit_or_even_find_a_private_note(app, held):
    manager, person, check_in = held
    private = next(e for e in services.entries_for(manager, check_in) if e.kind == "private")
    browser = app.test_client()
    AuthActions(browser).login(person)
    response = browser.post(f"/check-ins/{check_in.id}/entries/{private.id}",
                            data={"edit-text": "changed"})
    assert response.status_code == 404
    db.session.refresh(private)
    assert private.text == SECRET


def test_a_held_check_in_is_an_attended_statement_for_each_side_only(client, held, make_user):
    manager, person, check_in = held
    services.confirm_held(manager, check_in)
    assert client.get("/api/v1/xapi/check-ins", headers=bearer(person)).get_json()[
        "statements"] == []  # not held until both confirm
    services.confirm_held(person, check_in)
    db.session.commit()
    response = client.get("/api/v1/xapi/check-ins", headers=bearer(person))
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    (statement,) = response.get_json()["statements"]
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert statement["object"]["definition"]["name"]["nl-NL"] == (
        "Het kwartaalgesprek over ontwikkeling")
    text = response.get_data(as_text=True)
    for never in (SECRET, SHARED, "Mia Manager", "Piet Person", person.email,
                  "Follow the listening path"):
        assert never not in text
    theirs = client.get("/api/v1/xapi/check-ins", headers=bearer(manager)).get_json()
    assert theirs["statements"][0]["id"] != statement["id"]
    assert client.get("/api/v1/xapi/check-ins", headers=bearer(make_user())).get_json()[
        "statements"] == []


def test_check_ins_never_go_to_the_learning_record_store(held):
    manager, person, check_in = held
    services.confirm_held(manager, check_in)
    services.confirm_held(person, check_in)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(XapiOutbox.id))) == 0
