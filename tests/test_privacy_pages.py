"""Privacy pages and commands: download, admin export and erasure, audit log, settings, CLI."""

import json
import re

import pytest
from sqlalchemy import select

import learnpath.models  # noqa: F401  every table, for the PostgreSQL schema
from learnpath.accounts import services as accounts
from learnpath.accounts.models import User
from learnpath.engagement.models import Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.privacy import services as privacy
from learnpath.privacy.models import AuditEntry


def test_privacy_page_is_public_in_both_languages(client):
    html = client.get("/privacy/").get_data(as_text=True)
    assert "What is stored, and why" in html and "24 months" in html
    assert "For the works council" in html
    assert "at least 5 people" in html
    assert "has not named a contact" in html
    dutch = client.get("/privacy/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Wat wordt er bewaard, en waarom" in dutch


def test_admin_sets_the_privacy_contact_shown_on_the_page(client, login_as):
    admin = login_as("admin")
    response = client.post("/privacy/settings",
                           data={"privacy_contact": "Dana DPO <dpo@example.com>"})
    assert response.status_code == 302
    html = client.get("/privacy/").get_data(as_text=True)
    assert "Dana DPO &lt;dpo@example.com&gt;" in html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting_changed"))
    assert entry.actor_id == admin.id


def test_settings_refuse_a_too_long_contact_and_keep_the_text(client, login_as):
    login_as("admin")
    response = client.post("/privacy/settings", data={"privacy_contact": "x" * 1001})
    assert response.status_code == 400
    assert "at most 1000 characters" in response.get_data(as_text=True)
    assert "x" * 1001 in response.get_data(as_text=True)


def test_employee_cannot_open_admin_privacy_pages(client, login_as):
    login_as("employee")
    for path in ("/privacy/settings", "/privacy/audit", "/privacy/people/1/erase"):
        assert client.get(path).status_code == 403


def test_download_own_data_from_the_profile(client, login_as):
    me = login_as("employee", email="mia@example.com", name="Mia")
    assert "Download my data" in client.get("/profile").get_data(as_text=True)
    response = client.post("/privacy/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert document["profile"]["email"] == "mia@example.com"
    assert document["roles"] == ["employee"]
    assert db.session.scalar(select(AuditEntry)) is None  # own exports are not audited
    assert me.pseudonym in response.headers["Content-Disposition"]


def test_export_of_someone_else_needs_an_admin(client, login_as, make_user):
    other = make_user(email="other@example.com")
    login_as("employee", "manager", "hr")
    assert client.post(f"/privacy/people/{other.id}/export").status_code == 403
    assert client.get("/privacy/export").status_code == 405


def test_admin_export_is_audited(client, login_as, make_user):
    other = make_user(email="other@example.com")
    admin = login_as("admin")
    response = client.post(f"/privacy/people/{other.id}/export")
    assert response.status_code == 200
    assert json.loads(response.get_data(as_text=True))["profile"]["email"] == "other@example.com"
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target) == ("data_exported", admin.id,
                                                           other.pseudonym)
    assert other.pseudonym in client.get("/privacy/audit").get_data(as_text=True)


def test_role_change_is_audited_and_shown(client, login_as, make_user):
    other = make_user(email="rolf@example.com", name="Rolf")
    login_as("admin")
    response = client.post(f"/admin/users/{other.id}", data={
        "email": "rolf@example.com", "display_name": "Rolf", "locale": "",
        "roles": ["employee", "manager"]})
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roles_changed"))
    assert entry.details == {"before": ["employee"], "after": ["employee", "manager"]}
    html = client.get("/privacy/audit").get_data(as_text=True)
    assert "Roles changed" in html and "Employee → Employee, Manager" in html


def test_erasure_needs_the_typed_email_and_keeps_what_was_typed(client, login_as, make_user):
    other = make_user(email="erin@example.com", name="Erin")
    login_as("admin")
    page = client.get(f"/privacy/people/{other.id}/erase").get_data(as_text=True)
    assert "This cannot be undone" in page
    response = client.post(f"/privacy/people/{other.id}/erase",
                           data={"confirm_email": "wrong@example.com"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not the e-mail address of Erin" in html and "wrong@example.com" in html
    assert db.session.get(User, other.id).erased_at is None


def _scene(make_user, make_team):
    admin = make_user(email="root@example.com", name="Root", roles=("admin", "hr"))
    manager = make_user(email="mgr@example.com", name="Magda", roles=("manager",))
    erin = make_user(email="erin@example.com", name="Erin Uniquename")
    colleague = make_user(email="col@example.com", name="Colin")
    team = make_team("Crew", managers=[manager], members=[erin, colleague])
    db.session.add(Kudos(from_id=erin.id, to_id=colleague.id, message="Nice one, Colin"))
    db.session.add(Kudos(from_id=colleague.id, to_id=erin.id, message="Thanks Erin Uniquename"))
    db.session.add(PulseAnswer(user_id=erin.id, question="energy", period="2026-W01", value=4))
    db.session.commit()
    return admin, manager, erin, colleague, team


def test_erased_person_disappears_from_every_page(client, auth, make_user, make_team):
    admin, manager, erin, colleague, team = _scene(make_user, make_team)
    from learnpath.api.tokens import create_token
    _token, manager_secret = create_token(manager, "reports")
    _token, erin_secret = create_token(erin, "mine")
    db.session.commit()
    auth.login(admin)
    response = client.post(f"/privacy/people/{erin.id}/erase",
                           data={"confirm_email": "ERIN@example.com "})
    assert response.status_code == 302
    assert client.get(f"/admin/users/{erin.id}").status_code == 404
    assert client.get(f"/privacy/people/{erin.id}/erase").status_code == 404
    for query in ("erin", "Uniquename", "erased"):
        html = client.get(f"/admin/users?q={query}").get_data(as_text=True)
        assert "Nobody matches your search" in html, query
    pages = ["/admin/users", f"/admin/teams/{team.id}", "/engagement/hr", "/engagement/hr.csv",
             "/privacy/audit", "/kudos", "/"]
    for login, paths in ((admin, pages), (manager, ["/engagement/teams", "/paths/team",
                                                    "/kudos", "/"]),
                         (colleague, ["/kudos", "/", "/profile"])):
        auth.logout()
        auth.login(login)
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            body = response.get_data(as_text=True).lower()
            assert "uniquename" not in body and "erin@" not in body, (login.email, path)
    for path in ("/api/v1/teams", f"/api/v1/teams/{team.id}/assignments"):
        response = client.get(path, headers={"Authorization": f"Bearer {manager_secret}"})
        assert response.status_code == 200, path
        assert "uniquename" not in response.get_data(as_text=True).lower()
    assert client.get("/api/v1/me",
                      headers={"Authorization": f"Bearer {erin_secret}"}).status_code == 401
    from learnpath.engagement.services import unseen_kudos
    assert unseen_kudos(db.session.get(User, colleague.id)) == []
    document = privacy.export_person(db.session.get(User, colleague.id), actor=colleague)
    text = json.dumps(document).lower()
    assert "uniquename" not in text and "erin" not in text


def test_erasing_yourself_signs_you_out(client, auth, make_user):
    make_user(email="second@example.com", roles=("admin",))
    me = make_user(email="me@example.com", roles=("admin",))
    auth.login(me, remember=True)
    page = client.get(f"/privacy/people/{me.id}/erase").get_data(as_text=True)
    assert "your own account" in page
    response = client.post(f"/privacy/people/{me.id}/erase",
                           data={"confirm_email": "me@example.com"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/privacy/")
    assert client.get("/profile").status_code == 302
    assert auth.login("me@example.com").status_code != 302  # sign-in refused


def test_the_last_admin_cannot_erase_themselves(client, login_as):
    me = login_as("admin", email="only@example.com")
    response = client.post(f"/privacy/people/{me.id}/erase",
                           data={"confirm_email": "only@example.com"})
    assert response.status_code == 400
    assert "last administrator" in response.get_data(as_text=True)
    assert client.get("/profile").status_code == 200


def test_csrf_protects_the_privacy_forms(app, client, login_as):
    me = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/privacy/export").status_code == 400
    assert client.post(f"/privacy/people/{me.id}/export").status_code == 400
    html = client.get("/profile").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/privacy/export", data={"csrf_token": token}).status_code == 200


# Command line -------------------------------------------------------------------------------

def test_cli_export_to_stdout_and_file(runner, make_user, tmp_path):
    person = make_user(email="cli@example.com")
    result = runner.invoke(args=["privacy", "export", "CLI@example.com"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["profile"]["email"] == "cli@example.com"
    target = tmp_path / "out.json"
    result = runner.invoke(args=["privacy", "export", "cli@example.com", "--output", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["profile"]["pseudonym"] == person.pseudonym
    labels = db.session.scalars(select(AuditEntry.actor_label)).all()
    assert labels == ["cli", "cli"]


@pytest.mark.parametrize("command", ["export", "erase"])
def test_cli_unknown_email_fails_clearly(runner, command):
    result = runner.invoke(args=["privacy", command, "nobody@example.com", "--yes"]
                           if command == "erase" else ["privacy", command, "nobody@example.com"])
    assert result.exit_code != 0
    assert "Nobody with the e-mail address nobody@example.com exists" in result.output


def test_cli_erase_asks_and_can_be_declined(runner, make_user):
    person = make_user(email="keep@example.com")
    result = runner.invoke(args=["privacy", "erase", "keep@example.com"], input="n\n")
    assert result.exit_code != 0
    assert db.session.get(User, person.id).erased_at is None
    result = runner.invoke(args=["privacy", "erase", "keep@example.com"], input="y\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, person.id).erased_at is not None
    again = runner.invoke(args=["privacy", "erase", "keep@example.com", "--yes"])
    assert again.exit_code != 0  # already erased: the address no longer names anyone
    accounts.create_user("keep@example.com", "New Keep")
    db.session.commit()


def test_cli_refuses_to_erase_the_last_admin(runner, make_user):
    make_user(email="boss@example.com", roles=("admin",))
    result = runner.invoke(args=["privacy", "erase", "boss@example.com", "--yes"])
    assert result.exit_code == 1
    assert "last administrator" in result.output


@pytest.mark.parametrize("months", ["0", "-1"])
def test_cli_prune_refuses_a_period_that_is_not_positive(runner, months):
    result = runner.invoke(args=["privacy", "prune", "--months", months])
    assert result.exit_code != 0
    assert "positive number of months" in result.output


def test_cli_prune_reports_what_it_removed(runner):
    result = runner.invoke(args=["privacy", "prune"])
    assert result.exit_code == 0, result.output
    assert "Pruned 0 pulse answers" in result.output


def test_roles_given_by_the_csv_import_or_a_team_are_audited(client, login_as, make_user,
                                                           make_team):
    from learnpath.accounts.csv_import import import_users_csv

    person = make_user(email="ivo@example.com", name="Ivo")
    report = import_users_csv(b"email,name,team,manager_email,roles\n"
                              b"ivo@example.com,Ivo,,,employee;author\n")
    db.session.commit()
    assert report.ok
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.actor_label == "import"))
    assert entry.details["after"] == ["author", "employee"] and entry.target == person.pseudonym
    team = make_team("Ops")
    admin = login_as("admin")
    client.post(f"/admin/teams/{team.id}/people", data={"email": "ivo@example.com",
                                                        "kind": "manager"})
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == admin.id and "manager" in entry.details["after"]
    assert "CSV import of people" in client.get("/privacy/audit").get_data(as_text=True)
