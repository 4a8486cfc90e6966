"""Admin pages: people, roles, teams and deactivation."""

from learnpath.accounts import services
from learnpath.accounts.models import User
from learnpath.extensions import db


def _user(email):
    return services.get_user_by_email(email)


def test_admin_creates_a_person_with_roles_and_team(client, login_as, make_team):
    login_as("admin")
    team = make_team("Design")
    response = client.post("/admin/users/new", data={
        "email": "New.Person@Example.com", "display_name": "New Person", "locale": "nl",
        "roles": ["employee", "author"], "teams": [str(team.id)],
        "password": "a long enough password"})
    assert response.status_code == 302
    person = _user("new.person@example.com")
    assert person.roles == {"employee", "author"}
    assert [t.name for t in services.teams_of(person)] == ["Design"]


def test_duplicate_email_in_other_case_is_refused(client, login_as, make_user):
    login_as("admin")
    make_user(email="taken@example.com")
    response = client.post("/admin/users/new", data={
        "email": "TAKEN@example.com", "display_name": "Copy", "roles": ["employee"]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "already exists" in html
    assert 'value="Copy"' in html  # nothing the admin typed is lost


def test_admin_form_reports_bad_fields(client, login_as):
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "email": "nope", "display_name": "x" * 200, "roles": ["employee", "wizard"]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "valid e-mail address" in html and "at most 120 characters" in html
    assert "Not a valid choice" in html or "not a valid choice" in html.lower()


def test_the_new_person_form_speaks_of_a_new_person(client, login_as):
    login_as("admin")
    html = client.get("/admin/users/new").get_data(as_text=True)
    assert "Leave empty to keep the current password" not in html
    assert "without a password the person cannot sign in" in html.lower()
    assert "Same as their browser" in html and "Same as my browser" not in html
    assert ">Add this person<" in html
    response = client.post("/admin/users/new", data={"display_name": "No Mail"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter the person&#39;s e-mail address." in html
    assert "your e-mail address" not in html


def test_the_edit_person_form_speaks_of_an_existing_person(client, login_as, make_user):
    login_as("admin", locale="nl")
    person = make_user()
    html = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Laat leeg om het huidige wachtwoord te houden" in html
    assert ">Wijzigingen opslaan<" in html
    services.create_user("nopw@example.com", "No Password")
    db.session.commit()
    no_password = _user("nopw@example.com")
    html = client.get(f"/admin/users/{no_password.id}").get_data(as_text=True)
    assert "heeft geen wachtwoord" in html


def test_admin_changes_roles(client, login_as, make_user):
    login_as("admin")
    person = make_user()
    response = client.post(f"/admin/users/{person.id}", data={
        "email": person.email, "display_name": person.display_name,
        "roles": ["employee", "manager", "hr"]})
    assert response.status_code == 302
    assert db.session.get(User, person.id).roles == {"employee", "manager", "hr"}


def test_admin_cannot_remove_own_admin_role(client, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}", data={
        "email": admin.email, "display_name": admin.display_name, "roles": ["employee"]})
    assert response.status_code == 400
    assert "admin" in db.session.get(User, admin.id).roles


def test_deactivation_signs_the_person_out(app, client, login_as, make_user):
    login_as("admin")
    person = make_user()
    theirs = app.test_client()
    theirs.post("/login", data={"email": person.email, "password": "correct horse battery"})
    assert theirs.get("/profile").status_code == 200
    response = client.post(f"/admin/users/{person.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert theirs.get("/profile").status_code == 302
    assert not db.session.get(User, person.id).active


def test_admin_cannot_deactivate_self(client, login_as):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    assert db.session.get(User, admin.id).active


def test_unknown_person_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/999999").status_code == 404


def test_people_search_and_bad_page_numbers(client, login_as, make_user):
    login_as("admin")
    make_user(name="Findable Fiona")
    make_user(name="Hidden Harry")
    html = client.get("/admin/users?q=fiona").get_data(as_text=True)
    assert "Findable Fiona" in html and "Hidden Harry" not in html
    assert client.get("/admin/users?page=abc").status_code == 200
    assert client.get("/admin/users?page=-3").status_code == 200
    assert client.get("/admin/users?page=99999").status_code == 200


def test_team_lifecycle(client, login_as, make_user):
    login_as("admin")
    manager = make_user()
    member = make_user()
    response = client.post("/admin/teams/new", data={"name": "Platform"})
    assert response.status_code == 302
    team = services.get_team_by_name("platform")
    client.post(f"/admin/teams/{team.id}/people", data={"email": manager.email, "kind": "manager"})
    client.post(f"/admin/teams/{team.id}/people", data={"email": member.email, "kind": "member"})
    assert services.team_people(team, "manager") == [manager]
    assert services.team_people(team, "member") == [member]
    assert "manager" in db.session.get(User, manager.id).roles
    client.post(f"/admin/teams/{team.id}/people/{member.id}/member/remove")
    assert services.team_people(team, "member") == []
    assert db.session.get(User, member.id) is not None  # removed from the team, not deleted


def test_duplicate_team_name_is_refused(client, login_as, make_team):
    login_as("admin")
    make_team("Sales")
    response = client.post("/admin/teams/new", data={"name": "sales"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_adding_unknown_person_to_team_is_a_400(client, login_as, make_team):
    login_as("admin")
    team = make_team()
    response = client.post(f"/admin/teams/{team.id}/people",
                           data={"email": "ghost@example.com", "kind": "member"})
    assert response.status_code == 400
    assert "Nobody with this e-mail address exists" in response.get_data(as_text=True)


def test_a_person_can_be_in_more_than_one_team(make_user, make_team):
    person = make_user()
    make_team("A", members=[person])
    make_team("B", members=[person])
    assert [t.name for t in services.teams_of(person)] == ["A", "B"]
