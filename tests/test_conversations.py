"""Check-ins (issue 22, DESIGN.md section 6b): planning, asking, who may, and the home page."""

import re
from datetime import timedelta

import pytest

from learnpath.conversations import services
from learnpath.conversations.kinds import TEMPLATES
from learnpath.conversations.models import CheckIn
from learnpath.extensions import db
from learnpath.paths.enrolments import today
from learnpath.privacy import services as privacy
from tests.conftest import AuthActions


def _count():
    return db.session.scalar(db.select(db.func.count(CheckIn.id)))


def _once(html: str, prefix: str) -> str:
    return re.search(rf'name="{prefix}-once" value="([^"]+)"', html)[1]


def _schedule(client, person, on, template="thirty-day", once="t1"):
    return client.post("/check-ins/schedule", data={
        "schedule-once": once, "schedule-other": str(person.id),
        "schedule-template": template, "schedule-on": on.isoformat()})


@pytest.fixture
def team(app, login_as, make_user, make_team):
    manager = login_as("manager", "employee", name="Mia Manager")
    person = make_user(name="Piet Person")
    make_team("Crew", managers=[manager], members=[person])
    return manager, person


def test_templates_come_in_both_languages_with_a_few_questions():
    assert set(TEMPLATES) == {"thirty-day", "quarterly", "stay"}
    for kind in TEMPLATES.values():
        for language in ("en", "nl"):
            assert 3 <= len(kind.questions_in(language)) <= 6


def test_a_manager_plans_a_check_in_and_both_see_it_on_their_home_page(app, client, team):
    manager, person = team
    on = today() + timedelta(days=3)
    response = _schedule(client, person, on)
    assert response.status_code == 303
    check_in = db.session.scalar(db.select(CheckIn))
    assert (check_in.manager_id, check_in.person_id, check_in.requested_by_person) == (
        manager.id, person.id, False)
    assert "Piet Person" in client.get("/").get_data(as_text=True)
    theirs = app.test_client()
    AuthActions(theirs).login(person)
    home = theirs.get("/").get_data(as_text=True)
    assert "Upcoming check-ins" in home and "Mia Manager" in home
    assert "The 30-day conversation" in home


def test_a_person_asks_their_manager_for_a_check_in(app, client, team):
    manager, person = team
    theirs = app.test_client()
    AuthActions(theirs).login(person)
    page = theirs.get("/check-ins").get_data(as_text=True)
    assert "Ask for a check-in" in page and "Plan a check-in" not in page
    response = theirs.post("/check-ins/request", data={
        "ask-once": _once(page, "ask"), "ask-other": str(manager.id), "ask-template": "stay",
        "ask-on": (today() + timedelta(days=7)).isoformat()})
    assert response.status_code == 303
    check_in = db.session.scalar(db.select(CheckIn))
    assert check_in.requested_by_person and check_in.manager_id == manager.id
    assert "requested" in client.get("/").get_data(as_text=True)


def test_no_check_in_with_someone_outside_ones_teams(client, team, make_user, make_team):
    stranger = make_user(name="Sam Stranger")
    make_team("Other", members=[stranger])
    response = _schedule(client, stranger, today() + timedelta(days=1))
    assert response.status_code == 403
    assert "a team you manage" in response.get_data(as_text=True)
    assert _count() == 0


def test_a_person_cannot_ask_someone_who_is_not_their_manager(app, team, make_user):
    _manager, person = team
    other_manager = make_user(roles=("manager",))
    theirs = app.test_client()
    AuthActions(theirs).login(person)
    response = theirs.post("/check-ins/request", data={
        "ask-once": "x1", "ask-other": str(other_manager.id), "ask-template": "stay",
        "ask-on": today().isoformat()})
    assert response.status_code == 403 and _count() == 0


def test_a_date_in_the_past_is_refused_and_the_input_kept(client, team):
    _manager, person = team
    response = _schedule(client, person, today() - timedelta(days=1), template="quarterly")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose today or a date in the future." in html
    assert (today() - timedelta(days=1)).strftime("%d/%m/%Y") in html  # in the person's format
    assert re.search(r'selected value="quarterly"|value="quarterly" selected', html)
    assert _count() == 0


@pytest.mark.parametrize("data,message", [
    ({"schedule-on": "not a date"}, "Enter a date as dd/mm/yyyy"),
    ({"schedule-on": ""}, "Choose a date."),
    ({"schedule-template": "nonsense"}, "Choose a kind of check-in"),
    ({"schedule-other": "abc"}, "Choose a person"),
    ({"schedule-once": ""}, "This form is out of date"),
])
def test_malformed_input_gets_a_400_with_a_message(client, team, data, message):
    _manager, person = team
    form = {"schedule-once": "t1", "schedule-other": str(person.id),
            "schedule-template": "stay",
            "schedule-on": (today() + timedelta(days=2)).isoformat(), **data}
    response = client.post("/check-ins/schedule", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_a_double_submit_plans_one_check_in(client, team):
    _manager, person = team
    page = client.get("/check-ins").get_data(as_text=True)
    token = _once(page, "schedule")
    assert token != _once(client.get("/check-ins").get_data(as_text=True), "schedule")
    for _ in range(3):
        assert _schedule(client, person, today(), once=token).status_code == 303
    assert _count() == 1


def test_signed_out_people_are_sent_to_sign_in(app):
    anonymous = app.test_client()
    assert anonymous.get("/check-ins").status_code == 302
    assert anonymous.post("/check-ins/schedule").status_code in (302, 400)


def test_others_do_not_see_a_check_in(app, client, team, make_user, make_team):
    _manager, person = team
    _schedule(client, person, today() + timedelta(days=1))
    colleague = make_user(name="Colleague")
    make_team("Crew 2", members=[colleague])
    theirs = app.test_client()
    AuthActions(theirs).login(colleague)
    assert "Piet Person" not in theirs.get("/").get_data(as_text=True)
    assert "Piet Person" not in theirs.get("/check-ins").get_data(as_text=True)


def test_the_pages_speak_dutch(app, client, team):
    manager, _person = team
    manager.locale = "nl"
    db.session.commit()
    page = client.get("/check-ins").get_data(as_text=True)
    assert "Een check-in plannen" in page
    assert TEMPLATES["stay"].questions_in("nl")[0] in page


def test_the_home_page_lists_check_ins_in_a_bounded_number_of_queries(client, team, queries,
                                                                       make_user, make_team):
    manager, person = team
    _schedule(client, person, today() + timedelta(days=1))
    client.get("/")
    with queries() as before:
        client.get("/")
    for _n in range(5):
        other = make_user()
        make_team(managers=[manager], members=[other])
        services.schedule(manager, other, "stay", today(), today())
    db.session.commit()
    with queries() as after:
        client.get("/")
    assert len(after) == len(before)


def test_check_ins_are_exported_and_erased_with_the_person(app, client, team):
    manager, person = team
    _schedule(client, person, today() + timedelta(days=1))
    exported = privacy.export_person(person, actor=person)["check_ins"]
    assert exported == [{**exported[0], "role": "person", "template": "thirty-day"}]
    assert privacy.export_person(manager, actor=manager)["check_ins"][0]["role"] == "manager"
    privacy.erase_person(person, actor=manager)
    db.session.commit()
    check_in = db.session.scalar(db.select(CheckIn))
    assert check_in.person_id is None and check_in.manager_id == manager.id
