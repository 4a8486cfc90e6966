"""Invitations: sent through a real local SMTP server, the e-mailed link works once."""

import io
from datetime import timedelta

from mail_support import inbox_fixture, link_in  # noqa: F401  (the inbox fixture)
from sqlalchemy import select, update

from learnpath.accounts.links import SignInLink
from learnpath.extensions import db
from learnpath.privacy.models import AuditEntry

NEW_PASSWORD = "a brand new secret"


def invite(client, person):
    return client.post(f"/admin/users/{person.id}/invite")


def test_the_link_in_the_invitation_works_once_and_only_once(app, client, login_as, make_user,
                                                             inbox):
    login_as("admin")
    person = make_user(name="Anna de Vries", password=None, locale="nl")
    response = invite(client, person)
    assert response.status_code == 302
    [message] = inbox.wait_for(person.email)
    assert message["Subject"] == "Je bent uitgenodigd voor learnpath"
    assert message["Content-Language"] == "nl"
    assert "Anna de Vries" in message.get_content()
    path = link_in(message)
    assert path.startswith("/invitation/")

    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 200
    assert "Choose your password" in page.get_data(as_text=True)
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "Anna de Vries" in home.get_data(as_text=True)
    db.session.refresh(person)
    assert person.check_password(NEW_PASSWORD) and person.last_login_at is not None

    # Once used, the link is gone: a page (410) that offers a new link, for GET and POST alike.
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 410
    text = again.get_data(as_text=True)
    assert "This link no longer works" in text and 'action="/password/forgot"' in text
    replay = client.post(path, data={"new_password": "another password!", "confirm":
                                     "another password!"})
    assert replay.status_code == 410
    db.session.refresh(person)
    assert person.check_password(NEW_PASSWORD)


def test_the_secret_is_stored_only_as_a_hash(app, client, login_as, make_user, inbox):
    login_as("admin")
    person = make_user(password=None)
    invite(client, person)
    secret = link_in(inbox.wait_for(person.email)[0]).rsplit("/", 1)[1]
    [row] = db.session.scalars(select(SignInLink)).all()
    assert secret not in row.token_hash and len(row.token_hash) == 64
    assert row.expires_at - row.created_at == timedelta(days=7)


def test_sending_again_makes_the_previous_link_stop_working(app, client, login_as, make_user,
                                                            inbox):
    login_as("admin")
    person = make_user(password=None)
    invite(client, person)
    invite(client, person)
    first, second = (link_in(m) for m in inbox.wait_for(person.email, count=2))
    assert first != second
    client.post("/logout")
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_expired_invitation_offers_a_new_link(app, client, login_as, make_user, inbox):
    login_as("admin")
    person = make_user(password=None)
    invite(client, person)
    path = link_in(inbox.wait_for(person.email)[0])
    db.session.execute(update(SignInLink).values(
        expires_at=SignInLink.created_at - timedelta(seconds=1)))
    db.session.commit()
    client.post("/logout")
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert "Send me a new link" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.password_hash is None


def test_an_unknown_or_overlong_link_is_refused(app, client, make_user, inbox):
    assert client.get("/invitation/not-a-real-token").status_code == 410
    assert client.get("/invitation/" + "x" * 500).status_code == 410


def test_a_short_password_is_refused_and_the_link_still_works(app, client, login_as, make_user,
                                                              inbox):
    login_as("admin")
    person = make_user(password=None)
    invite(client, person)
    path = link_in(inbox.wait_for(person.email)[0])
    client.post("/logout")
    response = client.post(path, data={"new_password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "Use between 10 and 256 characters." in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_a_deactivated_person_is_not_invited(app, client, login_as, make_user, inbox):
    login_as("admin")
    person = make_user(password=None, active=False)
    response = invite(client, person)
    assert response.status_code == 303
    assert inbox.to(person.email) == []
    assert db.session.scalars(select(SignInLink)).all() == []


def test_an_unreachable_mail_server_changes_nothing(app, client, login_as, make_user):
    from test_reminders import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    login_as("admin")
    person = make_user(password=None)
    response = invite(client, person)
    assert response.status_code == 503
    assert "could not be sent" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.invited_at is None
    assert db.session.scalars(select(SignInLink)).all() == []


def test_the_people_list_shows_who_was_invited_and_who_signed_in(app, client, login_as,
                                                                 make_user, inbox):
    admin = login_as("admin", name="Admin")
    invited = make_user(name="Invited Person", password=None)
    make_user(name="Never Invited", password=None)
    invite(client, invited)
    text = client.get("/admin/users").get_data(as_text=True)
    assert "Invited " in text and "not signed in yet" in text
    assert "Cannot sign in: not invited" in text
    assert "Signed in " in text  # the admin
    assert admin.last_login_at is not None


CSV = ("email,name,team,manager_email,roles\n"
       "lena@example.com,Lena Jansen,Support,,\n"
       "omar@example.com,Omar Haddad,Support,lena@example.com,\n")


def test_the_import_page_can_invite_everyone_imported(app, client, login_as, inbox):
    login_as("admin")
    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(CSV.encode()), "people.csv"), "invite": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "2 invitations sent." in response.get_data(as_text=True)
    for address in ("lena@example.com", "omar@example.com"):
        [message] = inbox.wait_for(address)
        assert message["Subject"] == "You are invited to learnpath"
    # Imported again: people with a pending invitation are invited anew, nobody twice at once.
    client.post("/logout")
    path = link_in(inbox.to("lena@example.com")[0])
    assert client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
                       ).status_code == 302
    audit = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert audit.count("invitation_sent") == 2 and audit[-1] == "invitation_accepted"


def test_the_import_page_without_the_option_sends_nothing(app, client, login_as, inbox):
    login_as("admin")
    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(CSV.encode()), "people.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert inbox.messages == []


def test_users_import_invite_on_the_command_line(app, runner, inbox, tmp_path, client):
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(CSV)
    result = runner.invoke(args=["users", "import", "--invite", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "Invitations: 2 sent, 0 failed." in result.output
    path = link_in(inbox.wait_for("omar@example.com")[0])
    assert client.get(path).status_code == 200
    # Running it again invites only who still cannot sign in, with a fresh link.
    client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    result = runner.invoke(args=["users", "import", "--invite", str(csv_file)])
    assert "Invitations: 1 sent, 0 failed." in result.output
    assert len(inbox.to("omar@example.com")) == 1
    assert len(inbox.wait_for("lena@example.com", count=2)) == 2


def test_on_a_fresh_quickstart_an_imported_person_gets_in_by_invitation(app, runner, backend,
                                                                        inbox, tmp_path,
                                                                        client):
    if backend != "sqlite":
        return  # quickstart runs the migrations itself; PostgreSQL's schema is the fixture's
    db.drop_all()
    assert runner.invoke(args=["quickstart", "--no-serve"]).exit_code == 0
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("email,name,team,manager_email,roles\n"
                        "nieuw@example.com,Nina Nieuw,Support,,\n")
    result = runner.invoke(args=["users", "import", "--invite", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "Invitations: 1 sent, 0 failed." in result.output  # the demo people have passwords
    path = link_in(inbox.wait_for("nieuw@example.com")[0])
    assert client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
                       ).status_code == 302
    assert "Nina Nieuw" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.post("/login", data={"email": "nieuw@example.com", "password": NEW_PASSWORD}
                       ).status_code == 302
