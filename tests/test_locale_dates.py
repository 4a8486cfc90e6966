"""Dates and date inputs in the person's language (issue 19): day first, through Babel."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text
from learnpath.web import dates

DAY = date(2026, 12, 4)


@pytest.mark.parametrize("locale,medium,long", [
    ("en", "4 Dec 2026", "4 December 2026"),
    ("nl", "4 dec 2026", "4 december 2026"),
])
def test_a_day_reads_day_first_in_both_languages(app, locale, medium, long):
    with app.test_request_context(), force_locale(locale):
        assert dates.show_day(DAY) == medium
        assert dates.show_day(DAY, "long") == long
        assert dates.show_day(None) == ""


def test_a_moment_is_shown_in_the_organisations_time_zone_with_a_24_hour_clock(app):
    moment = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam
    with app.test_request_context():
        with force_locale("en"):
            assert dates.show_moment(moment) == "4 Dec 2026, 16:00"
            assert dates.show_day(moment) == "4 Dec 2026"
        with force_locale("nl"):
            assert dates.show_moment(moment) == "4 dec 2026, 16:00"


@pytest.mark.parametrize("text,expected", [
    ("04-12-2026", DAY), ("4-12-2026", DAY), ("04/12/2026", DAY), ("4.12.2026", DAY),
    ("2026-12-04", DAY), (" 04 - 12 - 2026 ", DAY),
    ("12/32/2026", None), ("31-02-2026", None), ("2026-13-01", None), ("tomorrow", None),
    ("", None), (None, None), ("04-12-26", None),
])
def test_typed_days_are_read_day_first_or_iso(text, expected):
    assert dates.parse_day(text) == expected


@pytest.mark.parametrize("locale,placeholder,value", [
    ("en", "dd/mm/yyyy", "04/12/2026"), ("nl", "dd-mm-jjjj", "04-12-2026")])
def test_date_inputs_ask_for_and_show_the_persons_format(app, locale, placeholder, value):
    with app.test_request_context(), force_locale(locale):
        assert dates.input_placeholder() == placeholder
        assert dates.input_value(DAY) == value


@pytest.fixture
def path(app):
    module = module_authoring.create_module("step-one", "# Step one\n\nRead this.\n")
    module_authoring.publish(module, None)
    result = import_path_text("slug: feedback\ntitle: {nl: Feedback, en: Feedback}\n"
                              "kind: horizontal\nsteps:\n  - {module: step-one}\n",
                              "paths/feedback.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    db.session.commit()
    return paths.get_path("feedback")


def _assign(client, person, due):
    return client.post("/manager/assign", data={
        "path": "feedback", "target": f"person:{person.id}", "due_date": due, "note": ""})


@pytest.fixture
def managed(login_as, make_user, make_team, path):
    manager = login_as("employee", "manager", locale="nl")
    person = make_user()
    make_team(managers=[manager], members=[person])
    return person


def test_a_dutch_manager_assigns_with_a_dutch_due_date(client, managed, path):
    due = paths.today() + timedelta(days=30)
    page = client.get("/manager").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="due_date"[^>]*placeholder="dd-mm-jjjj"', page)
    assert 'type="date"' not in page  # the browser's picker shows the browser's format
    assert _assign(client, managed, due.strftime("%d-%m-%Y")).status_code == 302
    assert paths.get_enrolment(managed, path).due_date == due
    page = client.get("/manager").get_data(as_text=True)
    months = "jan feb mrt apr mei jun jul aug sep okt nov dec".split()
    assert f"{due.day} {months[due.month - 1]} {due.year}" in page


def test_a_date_that_is_not_a_day_is_refused_in_dutch_and_kept(client, managed):
    response = _assign(client, managed, "31-02-2030")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 04-12-2026." in html
    assert 'value="31-02-2030"' in html


def test_the_check_in_planner_reads_the_persons_format(client, login_as, make_user, make_team):
    manager = login_as("employee", "manager")
    person = make_user()
    make_team(managers=[manager], members=[person])
    on = paths.today() + timedelta(days=3)
    response = client.post("/check-ins/schedule", data={
        "schedule-once": "t1", "schedule-other": str(person.id), "schedule-template": "stay",
        "schedule-on": on.strftime("%d/%m/%Y")})
    assert response.status_code in (302, 303)
    assert dates.show_day(on, locale="en") in client.get("/check-ins").get_data(as_text=True)


def test_templates_use_the_locale_filters_only():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "learnpath" / "templates"
    for template in root.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"\|\s*(dateformat|datetimeformat|timeformat)\b|strftime", text), \
            template
