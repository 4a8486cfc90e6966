"""Password reset by e-mail: no account enumeration, single-use 1-hour links, rate limits."""

import time
from datetime import timedelta

import pytest
from mail_support import inbox_fixture, link_in  # noqa: F401  (the inbox fixture)
from sqlalchemy import select, update

from learnpath.accounts.links import SignInLink
from learnpath.extensions import db
from learnpath.privacy.models import AuditEntry

PASSWORD = "correct horse battery"  # make_user's default (conftest.py)

NEW_PASSWORD = "a brand new secret"


def ask(client, email, address="192.0.2.1"):
    return client.post("/password/forgot", data={"email": email},
                       environ_base={"REMOTE_ADDR": address})


def normalised(response, email):
    return response.get_data(as_text=True).replace(email, "EMAIL")


def test_known_and_unknown_addresses_get_the_same_answer(app, client, make_user, inbox):
    person = make_user(email="known@example.com")
    known = ask(client, "known@example.com")
    unknown = ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert normalised(known, "known@example.com") == normalised(unknown, "nobody@example.com")
    assert "If an account uses" in known.get_data(as_text=True)
    [message] = inbox.wait_for(person.email)
    assert message["Subject"] == "Choose a new learnpath password"
    time.sleep(0.2)
    assert inbox.to("nobody@example.com") == []


def test_a_slow_mail_server_does_not_show_in_the_response_time(app, client, make_user, inbox):
    make_user(email="known@example.com")
    inbox.delay = 1.5  # the server takes 1.5 s to accept the message
    ask(client, "warm-up@example.com")  # templates compiled before anything is timed
    start = time.monotonic()
    ask(client, "known@example.com")
    known = time.monotonic() - start
    start = time.monotonic()
    ask(client, "nobody@example.com")
    unknown = time.monotonic() - start
    assert known < 1.0 and abs(known - unknown) < 0.5, (known, unknown)
    inbox.wait_for("known@example.com")


def test_a_deactivated_person_gets_no_link(app, client, make_user, inbox):
    person = make_user(active=False)
    assert ask(client, person.email).status_code == 200
    time.sleep(0.3)
    assert inbox.to(person.email) == []


def test_the_link_works_once_and_signs_out_every_other_session(app, client, make_user, inbox):
    person = make_user(locale="nl")
    other_device = app.test_client()
    assert other_device.post("/login", data={"email": person.email, "password": PASSWORD}
                             ).status_code == 302
    assert other_device.get("/profile").status_code == 200

    ask(client, person.email.upper())  # the address in any letter case
    [message] = inbox.wait_for(person.email)
    assert message["Subject"] == "Kies een nieuw wachtwoord voor learnpath"
    path = link_in(message)
    assert path.startswith("/password/reset/")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200  # this browser is signed in
    assert other_device.get("/profile").status_code == 302  # the other one is signed out
    db.session.refresh(person)
    assert person.check_password(NEW_PASSWORD)

    client.post("/logout")
    assert client.get(path).status_code == 410
    again = client.post(path, data={"new_password": "yet another one!", "confirm":
                                    "yet another one!"})
    assert again.status_code == 410
    assert "Send me a new link" in again.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["password_reset_requested", "password_reset"]


def test_the_link_expires_after_an_hour(app, client, make_user, inbox):
    person = make_user()
    ask(client, person.email)
    path = link_in(inbox.wait_for(person.email)[0])
    [link] = db.session.scalars(select(SignInLink)).all()
    assert link.purpose == "reset" and link.expires_at - link.created_at == timedelta(hours=1)
    db.session.execute(update(SignInLink).values(expires_at=link.created_at))
    db.session.commit()
    assert client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
                       ).status_code == 410
    db.session.refresh(person)
    assert person.check_password(PASSWORD)


def test_a_new_request_voids_the_earlier_link(app, client, make_user, inbox):
    person = make_user()
    ask(client, person.email)
    ask(client, person.email, address="192.0.2.2")
    first, second = (link_in(m) for m in inbox.wait_for(person.email, count=2))
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_a_bad_address_is_a_400_with_a_message(app, client):
    response = ask(client, "not an address")
    assert response.status_code == 400
    assert "Please enter a valid e-mail address" in response.get_data(as_text=True)


@pytest.mark.app_config(RESET_RATE_LIMIT_ADDRESS="2 per hour")
def test_requests_are_limited_per_address(app, client, make_user, inbox):
    person = make_user()
    codes = [ask(client, person.email, address=f"192.0.2.{n}").status_code for n in range(1, 4)]
    assert codes == [200, 200, 429]
    # An unknown address is limited just the same: the limit tells nothing either.
    codes = [ask(client, "nobody@example.com", address=f"198.51.100.{n}").status_code
             for n in range(1, 4)]
    assert codes == [200, 200, 429]
    assert len(inbox.wait_for(person.email, count=2)) == 2


@pytest.mark.app_config(RESET_RATE_LIMIT_CLIENT="3 per minute")
def test_requests_are_limited_per_client(app, client, inbox):
    codes = [ask(client, f"someone{n}@example.com").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many attempts" in ask(client, "x@example.com").get_data(as_text=True)
    assert ask(client, "x@example.com", address="192.0.2.99").status_code == 200


def test_the_sign_in_page_links_to_the_reset(app, client):
    text = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in text and "Forgot your password?" in text
    assert client.get("/password/forgot").status_code == 200
