"""Check-ins (issue 22): templates authors edit, the suggested schedule, the digest reminders."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from mail_support import inbox_fixture  # noqa: F401  (the inbox fixture)
from sqlalchemy import select

from learnpath.accounts.models import TeamMembership
from learnpath.conversations import schedule, services, templates
from learnpath.conversations.models import CheckIn, CheckInTemplateRow
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.paths.enrolments import today
from learnpath.paths.reminders import send_reminders
from tests.conftest import AuthActions

FORM = {"title_en": "The first-week chat", "title_nl": "Het eerste-weekgesprek",
        "questions_en": "How was your first week?\n\nWhat surprised you?",
        "questions_nl": "Hoe was je eerste week?\nWat verraste je?",
        "module_en": "", "module_nl": ""}


def _csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def _post(client, url, data):
    token = _csrf(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def author_client(app, client, login_as):
    login_as("author", "employee")
    app.config["WTF_CSRF_ENABLED"] = True
    return client


# --- Templates ---------------------------------------------------------------------------

def test_the_three_starters_are_listed_and_an_author_adds_a_template(author_client):
    page = author_client.get("/author/check-in-templates/").get_data(as_text=True)
    for title in ("The 30-day conversation", "The quarterly development conversation",
                  "The stay conversation"):
        assert title in page
    response = _post(author_client, "/author/check-in-templates/new", FORM)
    assert response.status_code == 303
    row = db.session.scalar(select(CheckInTemplateRow))
    assert row.key == "the-first-week-chat"
    assert templates.get_template(row.key).questions_in("en") == (
        "How was your first week?", "What surprised you?")
    assert "Het eerste-weekgesprek" in author_client.get(
        "/author/check-in-templates/", headers={"Accept-Language": "nl"}).get_data(as_text=True)


def test_editing_a_starter_keeps_its_key_and_check_ins_show_the_new_questions(
        app, author_client, make_user, make_team):
    response = _post(author_client, "/author/check-in-templates/stay",
                     {**FORM, "title_en": "Why you stay", "questions_en": "What keeps you?"})
    assert response.status_code == 303
    assert templates.get_template("stay").title_in("en") == "Why you stay"
    assert templates.all_templates()["stay"].questions_in("en") == ("What keeps you?",)
    assert list(templates.all_templates())[:3] == ["thirty-day", "quarterly", "stay"]


@pytest.mark.parametrize("field,value,message", [
    ("title_en", "", "Give the template a title."),
    ("title_nl", "x" * 121, "Keep the title under 120 characters."),
    ("questions_nl", "  \n ", "Write at least one question, one per line."),
    ("questions_en", "\n".join(f"Q{n}?" for n in range(13)), "12 questions at most"),
    ("module_en", "no-such-module", "Choose a published module in this language."),
])
def test_bad_template_input_is_a_400_with_the_input_kept(author_client, field, value,
                                                         message):
    response = _post(author_client, "/author/check-in-templates/new", {**FORM, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    kept = "Het eerste-weekgesprek" if field != "title_nl" else "The first-week chat"
    assert message in page and kept in page
    assert db.session.scalar(select(CheckInTemplateRow)) is None


def test_an_unknown_template_is_a_404(author_client):
    assert author_client.get("/author/check-in-templates/nope").status_code == 404
    assert _post(author_client, "/author/check-in-templates/stay", FORM).status_code == 303
    response = author_client.post("/author/check-in-templates/nope", data=FORM)
    assert response.status_code in (400, 404)


def test_an_expired_form_keeps_what_was_typed(author_client):
    response = author_client.post("/author/check-in-templates/new",
                                  data={**FORM, "csrf_token": "stale"})
    assert response.status_code == 400
    assert "Het eerste-weekgesprek" in response.get_data(as_text=True)


@pytest.mark.parametrize("roles", [("employee",), ("manager", "employee"), ("hr",), ("admin",)])
def test_only_authors_edit_templates(client, login_as, roles):
    login_as(*roles)
    for url in ("/author/check-in-templates/", "/author/check-in-templates/new",
                "/author/check-in-templates/stay"):
        assert client.get(url).status_code == 403
        if not url.endswith("/"):
            assert client.post(url, data=FORM).status_code == 403
    assert db.session.scalar(select(CheckInTemplateRow)) is None


def test_a_check_in_can_use_an_authors_template(app, make_user, make_team):
    templates.save_template(None, FORM)
    manager, person = make_user(roles=("manager",)), make_user()
    make_team(managers=[manager], members=[person])
    check_in = services.schedule(manager, person, "the-first-week-chat", today(), today())
    assert check_in.template_key == "the-first-week-chat"
    with pytest.raises(services.CheckInError):
        services.schedule(manager, person, "no-such-template", today(), today())


# --- The suggested schedule --------------------------------------------------------------

def _joined(person, days_ago):
    for membership in db.session.scalars(select(TeamMembership).where(
            TeamMembership.user_id == person.id)):
        membership.joined_at = datetime.now(UTC) - timedelta(days=days_ago)
    db.session.commit()


@pytest.fixture
def crew(app, make_user, make_team):
    manager = make_user(name="Mia Manager", roles=("manager", "employee"))
    newcomer, veteran = make_user(name="Nina New"), make_user(name="Victor Veteran")
    make_team("Crew", managers=[manager], members=[newcomer, veteran])
    _joined(newcomer, 20)
    _joined(veteran, 400)
    return manager, newcomer, veteran


def test_a_newcomer_is_due_the_30_day_conversation_and_others_the_quarterly(crew):
    manager, newcomer, veteran = crew
    due = {(s.person.id, s.template_key): s.due_on
           for s in schedule.suggestions(manager, "manager", today())}
    assert due[(newcomer.id, "thirty-day")] == today() + timedelta(days=10)
    assert (newcomer.id, "quarterly") not in due
    assert due[(veteran.id, "quarterly")] == schedule.quarter_bounds(today())[1]
    mine = schedule.suggestions(newcomer, "person", today())
    assert [(s.manager.id, s.template_key) for s in mine] == [(manager.id, "thirty-day")]


def test_a_planned_check_in_takes_the_suggestion_away(crew):
    manager, newcomer, veteran = crew
    services.schedule(manager, newcomer, "thirty-day", today(), today())
    services.schedule(manager, veteran, "quarterly", today(), today())
    db.session.commit()
    assert schedule.suggestions(manager, "manager", today()) == []  # newcomers: no quarterly


def test_a_30_day_conversation_long_past_is_no_longer_suggested(crew):
    manager, newcomer, _veteran = crew
    _joined(newcomer, 61)
    keys = {(s.person.id, s.template_key)
            for s in schedule.suggestions(manager, "manager", today())}
    assert (newcomer.id, "thirty-day") not in keys and (newcomer.id, "quarterly") in keys


def test_joining_a_team_records_the_date(app, make_user, make_team):
    person = make_user()
    make_team(members=[person])
    membership = db.session.scalar(select(TeamMembership).where(
        TeamMembership.user_id == person.id))
    assert membership.joined_at is not None


def test_both_home_pages_show_what_is_due_with_a_link_that_fills_the_form(app, crew):
    manager, newcomer, _veteran = crew
    mine = app.test_client()
    AuthActions(mine).login(manager)
    home = mine.get("/").get_data(as_text=True)
    assert "Due on the suggested schedule" in home
    assert "The 30-day conversation with Nina New" in home
    link = f"/check-ins?with={newcomer.id}&amp;kind=thirty-day"
    assert link in home
    form = mine.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf'<option selected value="{newcomer.id}">|'
                     rf'<option value="{newcomer.id}" selected', form)
    theirs = app.test_client()
    AuthActions(theirs).login(newcomer)
    home = theirs.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Het 30-dagengesprek met je manager Mia Manager" in home


def test_bad_prefill_values_are_ignored(app, crew):
    manager, _newcomer, _veteran = crew
    mine = app.test_client()
    AuthActions(mine).login(manager)
    for query in ("with=abc&kind=%C3%A9", "with=99999999999999&kind=" + "x" * 300, "with=&kind="):
        assert mine.get(f"/check-ins?{query}").status_code == 200


# --- Reminders in the digest -------------------------------------------------------------

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 in Amsterdam


def test_the_digest_reminds_both_sides_of_tomorrows_check_in_once_a_day(inbox, crew):
    manager, newcomer, _veteran = crew
    db.session.add(CheckIn(manager_id=manager.id, person_id=newcomer.id,
                           created_by_id=manager.id, template_key="thirty-day",
                           scheduled_on=date(2026, 3, 3), status="scheduled"))
    db.session.add(CheckIn(manager_id=manager.id, person_id=newcomer.id,
                           created_by_id=manager.id, template_key="stay",
                           scheduled_on=date(2026, 3, 9), status="scheduled"))
    db.session.commit()
    report = send_reminders(now=NOW)
    db.session.commit()
    assert {d.user.id for d in report.sent} == {manager.id, newcomer.id}
    (message,) = inbox.to(newcomer.email)
    assert message["Subject"] == "Reminder: 1 check-in coming up"
    body = message.get_content()
    assert "The 30-day conversation with Mia Manager" in body
    assert "The stay conversation" not in body  # a week away
    assert "/check-ins/" in body
    assert send_reminders(now=NOW + timedelta(hours=6)).digests == []  # the same day
    again = send_reminders(now=NOW + timedelta(days=1))  # the day itself
    assert {d.user.id for d in again.sent} == {manager.id, newcomer.id}


def test_the_digest_never_holds_a_note(inbox, crew):
    manager, newcomer, _veteran = crew
    check_in = services.schedule(manager, newcomer, "stay", date(2026, 3, 2), date(2026, 3, 2))
    services.add_entry(manager, check_in, "private", "SECRET-NOTE")
    services.add_entry(manager, check_in, "shared", "SHARED-NOTE")
    db.session.commit()
    send_reminders(now=NOW)
    for _recipients, message in inbox.messages:
        assert "SECRET-NOTE" not in message.get_content()
        assert "SHARED-NOTE" not in message.get_content()


def test_nothing_for_held_or_cancelled_check_ins(inbox, crew):
    manager, newcomer, _veteran = crew
    for status in ("held", "cancelled"):
        db.session.add(CheckIn(manager_id=manager.id, person_id=newcomer.id,
                               created_by_id=manager.id, template_key="stay",
                               scheduled_on=date(2026, 3, 2), status=status))
    db.session.commit()
    assert send_reminders(now=NOW).digests == []


def test_a_double_submit_adds_one_template(author_client):
    page = author_client.get("/author/check-in-templates/new").get_data(as_text=True)
    once = re.search(r'name="once" value="([^"]+)"', page)[1]
    data = {**FORM, "csrf_token": _csrf(page), "once": once}
    assert author_client.post("/author/check-in-templates/new", data=data).status_code == 303
    assert author_client.post("/author/check-in-templates/new", data=data).status_code == 303
    assert len(db.session.scalars(select(CheckInTemplateRow)).all()) == 1


def test_the_agenda_links_the_module_the_questions_come_from(app, client, login_as, make_user,
                                                             make_team):
    module = module_authoring.create_module("het-stay-gesprek", "# Het stay-gesprek\n\nTekst.\n",
                                            "nl")
    module_authoring.publish(module, None)
    manager = login_as("manager", "employee")
    person = make_user()
    make_team(managers=[manager], members=[person])
    stay = services.schedule(manager, person, "stay", today(), today())
    other = services.schedule(manager, person, "quarterly", today(), today())
    db.session.commit()
    page = client.get(f"/check-ins/{stay.id}").get_data(as_text=True)
    assert 'href="/modules/het-stay-gesprek"' in page  # the Dutch module, for lack of English
    assert "/modules/" not in client.get(f"/check-ins/{other.id}").get_data(as_text=True)


def _joined_on(person, moment):
    for membership in db.session.scalars(select(TeamMembership).where(
            TeamMembership.user_id == person.id)):
        membership.joined_at = moment
    db.session.commit()


def test_the_digest_reminds_both_sides_of_a_30_day_conversation_on_its_day(inbox, crew):
    manager, newcomer, veteran = crew
    _joined_on(newcomer, datetime(2026, 1, 31, 10, tzinfo=UTC))  # 30 days before 2 March
    report = send_reminders(now=NOW)
    db.session.commit()
    assert {d.user.id for d in report.sent} == {manager.id, newcomer.id}
    (message,) = inbox.to(manager.email)
    assert message["Subject"] == "Reminder: 1 check-in is due"
    body = message.get_content()
    assert "The 30-day conversation with Nina New, by 2 March 2026" in body
    assert f"/check-ins?with={newcomer.id}&kind=thirty-day" in body
    assert "Victor Veteran" not in body  # his quarterly is reminded two weeks before the end
    assert "Mia Manager" in inbox.to(newcomer.email)[0].get_content()
    assert send_reminders(now=NOW + timedelta(days=1)).digests == []


def test_the_quarterly_conversation_is_reminded_two_weeks_before_the_quarter_ends(inbox,
                                                                                   crew):
    manager, newcomer, veteran = crew
    _joined_on(newcomer, datetime(2025, 1, 1, tzinfo=UTC))
    _joined_on(veteran, datetime(2025, 1, 1, tzinfo=UTC))
    services.schedule(manager, veteran, "quarterly", date(2026, 3, 20), date(2026, 3, 1))
    db.session.commit()
    report = send_reminders(now=datetime(2026, 3, 17, 8, tzinfo=UTC))  # 31 March - 14 days
    assert {d.user.id for d in report.sent} == {manager.id, newcomer.id}  # veteran: planned
    body = inbox.to(newcomer.email)[0].get_content()
    assert "The quarterly development conversation with Mia Manager, by 31 March 2026" in body
