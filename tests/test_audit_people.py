"""Every administrator action on people is in the audit log, whichever way it was done:
the admin pages, the CSV upload on the admin page, and `learnpath users ...`."""

import io

from sqlalchemy import select

from learnpath.accounts import services
from learnpath.extensions import db
from learnpath.privacy.models import AuditEntry


def entries(target=None) -> list[tuple]:
    """(action, actor id, actor label, details) in order, for one person or everybody."""
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if target is not None:
        stmt = stmt.where(AuditEntry.target == target.pseudonym)
    return [(e.action, e.actor_id, e.actor_label, e.details) for e in db.session.scalars(stmt)]


def person(email):
    db.session.expire_all()
    return services.get_user_by_email(email)


def test_the_admin_page_logs_creation_details_roles_teams_and_deactivation(
        client, login_as, make_team):
    admin = login_as("admin")
    design, sales = make_team("Design"), make_team("Sales")
    response = client.post("/admin/users/new", data={
        "email": "new@example.com", "display_name": "New Person", "roles": ["employee"],
        "teams": [str(design.id)], "password": "a long enough password"})
    assert response.status_code == 302
    new = person("new@example.com")
    assert entries(new) == [
        ("person_created", admin.id, "web", {"roles": ["employee"]}),
        ("teams_changed", admin.id, "web", {"kind": "member", "added": ["Design"],
                                            "removed": []}),
    ]

    response = client.post(f"/admin/users/{new.id}", data={
        "email": "new@example.com", "display_name": "Renamed", "roles": ["employee", "hr"],
        "teams": [str(sales.id)], "password": "another long password"})
    assert response.status_code == 302
    assert entries(new)[2:] == [
        ("person_updated", admin.id, "web", {"changed": ["name", "password"]}),
        ("roles_changed", admin.id, "web", {"before": ["employee"], "after": ["employee", "hr"]}),
        ("teams_changed", admin.id, "web", {"kind": "member", "added": ["Sales"],
                                            "removed": ["Design"]}),
    ]
    # saving without a change logs nothing
    client.post(f"/admin/users/{new.id}", data={
        "email": "new@example.com", "display_name": "Renamed", "roles": ["employee", "hr"],
        "teams": [str(sales.id)]})
    assert len(entries(new)) == 5

    client.post(f"/admin/users/{new.id}/active", data={"active": "0"})
    client.post(f"/admin/users/{new.id}/active", data={"active": "0"})  # already: no entry
    client.post(f"/admin/users/{new.id}/active", data={"active": "1"})
    assert [e[0] for e in entries(new)[5:]] == ["person_deactivated", "person_reactivated"]


def test_the_team_page_logs_who_joined_and_left(client, login_as, make_user, make_team):
    admin = login_as("admin")
    team = make_team("Platform")
    someone = make_user()
    client.post(f"/admin/teams/{team.id}/people", data={"email": someone.email,
                                                        "kind": "manager"})
    client.post(f"/admin/teams/{team.id}/people/{someone.id}/manager/remove")
    assert entries(someone) == [
        ("teams_changed", admin.id, "web", {"kind": "manager", "added": ["Platform"],
                                            "removed": []}),
        ("roles_changed", admin.id, "web", {"before": ["employee"],
                                            "after": ["employee", "manager"]}),
        ("teams_changed", admin.id, "web", {"kind": "manager", "added": [],
                                            "removed": ["Platform"]}),
    ]


CSV = ("email,name,team,manager_email,roles\n"
       "boss@example.com,Bea Boss,Ops,,employee\n"
       "ann@example.com,Ann,Ops,boss@example.com,employee\n")


def _upload(client, text):
    return client.post("/admin/users/import", data={"file": (io.BytesIO(text.encode()), "p.csv")},
                       content_type="multipart/form-data")


def test_the_csv_upload_logs_each_created_and_updated_person(client, login_as, make_user):
    admin = login_as("admin")
    make_user(email="ann@example.com", name="Ann Old")
    assert _upload(client, CSV).status_code == 200
    boss, ann = person("boss@example.com"), person("ann@example.com")
    via = {"via": "import"}
    assert entries(boss) == [
        ("person_created", admin.id, "web", {"roles": ["employee"], **via}),
        ("teams_changed", admin.id, "web", {"kind": "member", "added": ["Ops"], "removed": [],
                                            **via}),
        ("teams_changed", admin.id, "web", {"kind": "manager", "added": ["Ops"], "removed": [],
                                            **via}),
        ("roles_changed", admin.id, "web", {"before": ["employee"],
                                            "after": ["employee", "manager"], **via}),
    ]
    assert entries(ann) == [
        ("person_updated", admin.id, "web", {"changed": ["name"], **via}),
        ("teams_changed", admin.id, "web", {"kind": "member", "added": ["Ops"], "removed": [],
                                            **via}),
    ]
    count = len(entries())
    assert _upload(client, CSV).status_code == 200  # unchanged: nothing new to log
    assert len(entries()) == count
    page = client.get("/privacy/audit").get_data(as_text=True)
    for text in ("Account created", "Details changed", "Teams changed", "joined: Ops",
                 "joined as manager: Ops", "(CSV import of people)"):
        assert text in page, text


def test_the_command_line_logs_created_and_imported_people(runner, tmp_path):
    result = runner.invoke(args=["users", "create", "--email", "cli@example.com", "--name",
                                 "Cli", "--role", "author", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    assert entries(person("cli@example.com")) == [
        ("person_created", None, "cli", {"roles": ["author"]})]

    people = tmp_path / "people.csv"
    people.write_text(CSV + "cli@example.com,Cli Renamed,Ops,,\n")
    result = runner.invoke(args=["users", "import", str(people)])
    assert result.exit_code == 0, result.output
    assert [e[:3] for e in entries(person("ann@example.com"))] == [
        ("person_created", None, "import"), ("teams_changed", None, "import")]
    assert [e[0] for e in entries(person("cli@example.com"))] == [
        "person_created", "roles_changed", "person_updated", "teams_changed"]
