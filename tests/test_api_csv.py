"""CSV exports in the conventions HR tools expect: UTF-8 with BOM, ?sep=semicolon for Dutch
Excel, an attachment name, and formula-safe cells."""

import csv
import io

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text


def _rows(response, delimiter=","):
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture
def team_with_assignment(app, make_user, make_team):
    module = module_authoring.create_module("first-step", "# First step\n\nText.\n")
    module_authoring.publish(module, None)
    assert import_path_text("slug: basics\ntitle: {nl: Basis, en: Basics}\nsteps:\n"
                            "  - {module: first-step}\n", "paths/basics.yml").status == "created"
    manager = make_user(roles=("manager",), password="correct horse battery")
    done, todo = make_user(name="Zoë Jansen"), make_user(name="=cmd|' /C calc'!A0")
    make_team("Support", managers=[manager], members=[done, todo])
    paths.assign(manager, paths.get_path("basics"), [done, todo], None, "", paths.today())
    module_learning.complete_module(done, module)
    db.session.commit()
    return manager


def test_team_progress_csv_for_managers(client, auth, team_with_assignment):
    auth.login(team_with_assignment)
    response = client.get("/manager/progress.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "charset=utf-8" in response.headers["Content-Type"]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and 'filename="learnpath-team-progress-' in (
        disposition)
    rows = _rows(response)
    assert rows[0][:4] == ["team", "person", "email", "path"]
    by_person = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_person["Zoë Jansen"]["status"] == "completed"  # UTF-8 survives
    assert "'=cmd|' /C calc'!A0" in by_person  # no formula injection


def test_semicolon_separator_for_dutch_excel(client, auth, team_with_assignment):
    auth.login(team_with_assignment)
    rows = _rows(client.get("/manager/progress.csv?sep=semicolon"), delimiter=";")
    assert rows[0][:3] == ["team", "person", "email"] and len(rows) == 3
    assert client.get("/manager/progress.csv?sep=tab").status_code == 400


def test_team_progress_csv_needs_the_manager_role(client, login_as):
    login_as("employee")
    assert client.get("/manager/progress.csv").status_code == 403


def test_hr_csv_has_bom_and_semicolon_option(client, login_as):
    login_as("hr")
    comma = _rows(client.get("/engagement/hr.csv"))
    assert comma[0][:2] == ["team", "people"]
    semicolon = _rows(client.get("/engagement/hr.csv?sep=semicolon"), delimiter=";")
    assert semicolon[0] == comma[0]
    assert client.get("/engagement/hr.csv?sep=pipe").status_code == 400
