"""The check-in page (issue 22 part 2): agenda, topics, shared and private notes, agreed actions
that create enrolments, and confirming it happened; who may see and change what."""

import json
import re
from datetime import timedelta

import pytest

from learnpath.accounts import services as accounts
from learnpath.api import tokens
from learnpath.conversations import services
from learnpath.conversations.models import CheckIn, CheckInEntry
from learnpath.engagement import services as engagement
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text
from learnpath.paths.models import Enrolment
from learnpath.privacy import services as privacy
from tests.conftest import AuthActions

SECRET = "Private worry of the manager about the reorganisation"


@pytest.fixture
def path(app):
    module = module_authoring.create_module("ci-step", "# Step\n\nRead this.\n")
    module_authoring.publish(module, None)
    result = import_path_text("slug: ci-path\ntitle: {nl: Pad, en: Coaching path}\n"
                              "kind: horizontal\nsteps:\n  - {module: ci-step}\n",
                              "paths/ci-path.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    db.session.commit()
    return paths.get_path("ci-path")


@pytest.fixture
def pair(app, client, login_as, make_user, make_team):
    """A manager (signed in on `client`), their person (signed in on the returned client)
    and a check-in between them."""
    manager = login_as("manager", "employee", name="Mia Manager")
    person = make_user(name="Piet Person")
    make_team("Crew", managers=[manager], members=[person])
    check_in = services.schedule(manager, person, "quarterly", paths.today(), paths.today())
    db.session.commit()
    theirs = app.test_client()
    AuthActions(theirs).login(person)
    return manager, person, check_in, theirs


def _note(client, check_in, kind, text, once=None):
    return client.post(f"/check-ins/{check_in.id}/notes", data={
        "note-kind": kind, "note-text": text, "note-once": once or f"n-{kind}-{len(text)}"})


def _action(client, check_in, path=None, path_action="", owner="person", days=7, once="a1"):
    return client.post(f"/check-ins/{check_in.id}/actions", data={
        "action-text": "Start the coaching path", "action-owner": owner,
        "action-due_on": (paths.today() + timedelta(days=days)).isoformat(),
        "action-path_action": path_action, "action-path": path.slug if path else "",
        "action-once": once})


def test_the_agenda_shows_questions_paths_overdue_and_skills(client, pair, path):
    manager, person, check_in, _theirs = pair
    paths.assign(manager, path, [person], paths.today(), "", paths.today())
    db.session.commit()
    enrolment = db.session.scalar(db.select(Enrolment))
    enrolment.due_date = paths.today() - timedelta(days=3)
    db.session.commit()
    page = client.get(f"/check-ins/{check_in.id}").get_data(as_text=True)
    assert "Where do you want to grow next quarter?" in page
    assert "Coaching path" in page and "overdue since" in page


def test_kudos_are_on_the_agenda_only_when_the_person_agrees(app, client, pair, make_user):
    manager, person, check_in, theirs = pair
    engagement.give_kudos(manager, person, "Brilliant onboarding of the new colleague")
    db.session.commit()
    assert "Brilliant onboarding" not in client.get(f"/check-ins/{check_in.id}").get_data(
        as_text=True)
    assert client.post(f"/check-ins/{check_in.id}/kudos", data={"show": "1"}).status_code == 403
    assert theirs.post(f"/check-ins/{check_in.id}/kudos", data={"show": "1"}).status_code == 303
    assert "Brilliant onboarding" in client.get(f"/check-ins/{check_in.id}").get_data(
        as_text=True)


def test_shared_notes_both_see_private_notes_only_the_writer(app, client, pair):
    manager, person, check_in, theirs = pair
    assert _note(client, check_in, "private", SECRET).status_code == 303
    assert _note(client, check_in, "shared", "We agreed on a mentor").status_code == 303
    assert _note(theirs, check_in, "topic", "I want to talk about workload").status_code == 303
    mine = client.get(f"/check-ins/{check_in.id}").get_data(as_text=True)
    other = theirs.get(f"/check-ins/{check_in.id}").get_data(as_text=True)
    assert SECRET in mine and SECRET not in other
    for text in ("We agreed on a mentor", "I want to talk about workload"):
        assert text in mine and text in other
    # Not in the other side's export, not for an admin, not in the other side's API.
    assert SECRET not in json.dumps(privacy.export_person(person, actor=person))
    assert SECRET in json.dumps(privacy.export_person(manager, actor=manager))
    admin = accounts.create_user("admin-ci@example.com", "Admin", password="x" * 12,
                                 roles=("admin",))
    db.session.commit()
    admins = app.test_client()
    AuthActions(admins).login(admin, password="x" * 12)
    assert admins.get(f"/check-ins/{check_in.id}").status_code == 404
    for url in ("/", "/check-ins", "/modules?q=worry+reorganisation"):
        for browser in (theirs, admins):
            response = browser.get(url)
            assert response.status_code == 200, url  # a real page, not a 404 that passes
            assert SECRET not in response.get_data(as_text=True)
    for reader in (person, admin):  # the API takes no cookie: ask it with a token
        _token, key = tokens.create_token(reader, "test", "read")
        db.session.commit()
        for url in ("/api/v1/me", "/api/v1/check-ins"):
            response = client.get(url, headers={"Authorization": f"Bearer {key}"})
            assert response.status_code == 200, url
            assert SECRET not in response.get_data(as_text=True)


def test_editing_the_other_sides_private_note_is_a_404(client, pair):
    manager, person, check_in, theirs = pair
    _note(client, check_in, "private", SECRET)
    _note(client, check_in, "shared", "Shared by the manager")
    private, shared = db.session.scalars(db.select(CheckInEntry).order_by(CheckInEntry.id))
    response = theirs.post(f"/check-ins/{check_in.id}/entries/{private.id}",
                           data={"edit-text": "overwritten"})
    assert response.status_code == 404 and SECRET not in response.get_data(as_text=True)
    assert theirs.post(f"/check-ins/{check_in.id}/entries/{shared.id}",
                       data={"edit-text": "overwritten"}).status_code == 403
    assert client.post(f"/check-ins/{check_in.id}/entries/{private.id}",
                       data={"edit-text": "Changed my mind"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(CheckInEntry, private.id).text == "Changed my mind"
    assert db.session.get(CheckInEntry, shared.id).text == "Shared by the manager"


def test_someone_else_cannot_open_or_change_a_check_in(app, pair, make_user, make_team):
    _manager, _person, check_in, _theirs = pair
    outsider = make_user()
    other = app.test_client()
    AuthActions(other).login(outsider)
    assert other.get(f"/check-ins/{check_in.id}").status_code == 404
    for url in ("notes", "actions", "kudos", "held", "entries/1", "entries/1/carry-out"):
        assert other.post(f"/check-ins/{check_in.id}/{url}").status_code == 404, url
    assert other.get("/check-ins/99999").status_code == 404


def test_an_enrol_action_creates_the_enrolment_when_the_person_confirms(client, pair, path):
    manager, person, check_in, theirs = pair
    assert _action(client, check_in, path, "enrol").status_code == 303
    entry = db.session.scalar(db.select(CheckInEntry))
    assert paths.get_enrolment(person, path) is None  # not before confirmation
    url = f"/check-ins/{check_in.id}/entries/{entry.id}/carry-out"
    assert client.post(url).status_code == 403  # the person enrols, not the manager
    assert theirs.post(url).status_code == 303
    assert theirs.post(url).status_code == 303  # a double submit: one enrolment
    enrolment = paths.get_enrolment(person, path)
    assert enrolment.source == "self" and enrolment.state == "active"
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 1


def test_an_assign_action_creates_an_assignment_with_its_due_date(client, pair, path):
    manager, person, check_in, theirs = pair
    _action(client, check_in, path, "assign", owner="manager", days=14)
    entry = db.session.scalar(db.select(CheckInEntry))
    url = f"/check-ins/{check_in.id}/entries/{entry.id}/carry-out"
    assert theirs.post(url).status_code == 403
    assert client.post(url).status_code == 303
    enrolment = paths.get_enrolment(person, path)
    assert enrolment.source == "assigned" and enrolment.assigned_by_id == manager.id
    assert enrolment.due_date == paths.today() + timedelta(days=14)


def test_assigning_a_path_to_someone_who_is_no_longer_ones_report_is_a_403(client, pair, path):
    manager, person, check_in, _theirs = pair
    _action(client, check_in, path, "assign", owner="manager", once="a-before")
    team = accounts.teams_of(person)[0]
    accounts.remove_from_team(team, person, "member")
    db.session.commit()
    assert _action(client, check_in, path, "assign", owner="manager",
                   once="a-after").status_code == 403
    entry = db.session.scalar(db.select(CheckInEntry))
    response = client.post(f"/check-ins/{check_in.id}/entries/{entry.id}/carry-out")
    assert response.status_code == 403 and paths.get_enrolment(person, path) is None


@pytest.mark.parametrize("days,message", [(-1, "Choose today or a date in the future.")])
def test_an_action_dated_in_the_past_is_refused_with_the_input_kept(client, pair, days,
                                                                   message):
    _manager, _person, check_in, _theirs = pair
    response = _action(client, check_in, days=days)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert "Start the coaching path" in html
    assert db.session.scalar(db.select(db.func.count(CheckInEntry.id))) == 0


def test_bad_note_input_gets_a_400(client, pair):
    _manager, _person, check_in, _theirs = pair
    assert _note(client, check_in, "secret-kind", "x").status_code == 400
    response = _note(client, check_in, "topic", "x" * 3000)
    assert response.status_code == 400 and "under 2000 characters" in response.get_data(
        as_text=True)
    assert _note(client, check_in, "topic", "   ").status_code == 400


def test_a_double_submit_adds_one_note(client, pair):
    _manager, _person, check_in, _theirs = pair
    page = client.get(f"/check-ins/{check_in.id}").get_data(as_text=True)
    token = re.search(r'name="note-once" value="([^"]+)"', page)[1]
    for _ in range(3):
        assert _note(client, check_in, "shared", "Once", once=token).status_code == 303
    assert db.session.scalar(db.select(db.func.count(CheckInEntry.id))) == 1


def test_both_confirm_and_the_check_in_is_held(client, pair):
    _manager, _person, check_in, theirs = pair
    assert client.post(f"/check-ins/{check_in.id}/held").status_code == 303
    assert client.post(f"/check-ins/{check_in.id}/held").status_code == 303
    db.session.expire_all()
    assert db.session.get(CheckIn, check_in.id).status == "scheduled"
    assert theirs.post(f"/check-ins/{check_in.id}/held").status_code == 303
    db.session.expire_all()
    assert db.session.get(CheckIn, check_in.id).status == "held"


def test_the_check_in_page_speaks_dutch(client, pair):
    manager, _person, check_in, _theirs = pair
    manager.locale = "nl"
    db.session.commit()
    page = client.get(f"/check-ins/{check_in.id}").get_data(as_text=True)
    assert "Afgesproken acties" in page and "Waar wil je het komend kwartaal in groeien?" in page


def test_the_check_in_page_runs_a_bounded_number_of_queries(client, pair, path, queries):
    manager, person, check_in, theirs = pair
    _note(client, check_in, "shared", "one")
    _action(client, check_in, path, "enrol", once="first")
    client.get(f"/check-ins/{check_in.id}")
    with queries() as before:
        client.get(f"/check-ins/{check_in.id}")
    for n in range(5):
        _note(client, check_in, "shared", f"note {n}", once=f"q{n}")
        _action(client, check_in, path, "enrol", once=f"qa{n}")
    with queries() as after:
        client.get(f"/check-ins/{check_in.id}")
    assert len(after) == len(before)


def test_erasure_deletes_private_notes_and_unsigns_the_rest(client, pair):
    manager, person, check_in, theirs = pair
    _note(theirs, check_in, "private", "Person's own private note")
    _note(theirs, check_in, "topic", "Workload")
    privacy.erase_person(person, actor=manager)
    db.session.commit()
    rows = db.session.scalars(db.select(CheckInEntry)).all()
    assert [(r.kind, r.text, r.author_id) for r in rows] == [("topic", "Workload", None)]


def test_a_check_in_downloads_as_a_calendar_file_without_notes(app, client, pair):
    manager, person, check_in, theirs = pair
    _note(client, check_in, "shared", "Shared, but not for the calendar")
    response = theirs.get(f"/check-ins/{check_in.id}/check-in.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{check_in.scheduled_on:%Y%m%d}" in body
    assert "SUMMARY:The quarterly development conversation with Mia Manager" in body.replace(
        "\r\n ", "")
    assert "Shared, but not" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    outsider = app.test_client()
    assert outsider.get(f"/check-ins/{check_in.id}/check-in.ics").status_code == 302


def test_calendar_text_is_escaped():
    from datetime import date

    from learnpath.conversations.ics import check_in_ics
    body = check_in_ics("x@y", date(2027, 1, 4), "A; B, C\\D\nE", "https://example.com/c")
    assert "SUMMARY:A\\; B\\, C\\\\D\\nE" in body and "DTEND;VALUE=DATE:20270105" in body
