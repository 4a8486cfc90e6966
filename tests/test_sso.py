"""OpenID Connect single sign-on against a real provider (oidc-provider run by Node.js)."""

import html
import re

import pytest
from oidc_support import local, oidc_provider, query, sign_in_at_provider  # noqa: F401
from sqlalchemy import func, select

from learnpath.accounts.models import User
from learnpath.accounts.sso import SsoIdentity
from learnpath.extensions import db
from learnpath.privacy.models import AuditEntry

PASSWORD = "correct horse battery"  # make_user's default (conftest.py)


@pytest.fixture
def sso(app, oidc_provider):  # noqa: F811
    oidc_provider.configure(app)
    return oidc_provider


def start(client, next_url=None):
    response = client.get("/sso/login" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def finish(client, callback_url):
    return client.get(local(callback_url))


def signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


def identities() -> int:
    return db.session.scalar(select(func.count(SsoIdentity.id)))


def people() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_sign_in_links_the_person_with_the_same_verified_e_mail(app, client, make_user, sso):
    person = make_user(email="ada@example.com", name="Ada Lovelace")
    authorize = start(client, "/profile")
    params = query(authorize)
    assert authorize.startswith(sso.issuer + "/auth?")
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) >= 43
    assert params["nonce"] and params["state"] and "openid" in params["scope"].split()
    response = finish(client, sign_in_at_provider(authorize, "ada@example.com"))
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert signed_in(client)
    [identity] = db.session.scalars(select(SsoIdentity)).all()
    assert (identity.issuer, identity.subject, identity.user_id) == (
        sso.issuer, "ada@example.com", person.id)
    assert db.session.scalars(select(AuditEntry.action)).all() == ["sso_linked"]

    # The next time the identity itself signs the person in: nothing new is linked.
    client.post("/logout")
    assert not signed_in(client)
    finish(client, sign_in_at_provider(start(client), "ada@example.com"))
    assert signed_in(client) and identities() == 1


def test_a_wrong_state_is_refused(app, client, make_user, sso):
    make_user(email="ada@example.com")
    callback = sign_in_at_provider(start(client), "ada@example.com")
    forged = callback.replace(f"state={query(callback)['state']}", "state=forged-state")
    response = finish(client, forged)
    assert response.status_code == 400
    assert "could not be completed" in response.get_data(as_text=True)
    assert not signed_in(client) and identities() == 0


def test_a_replayed_code_is_refused(app, client, make_user, sso):
    make_user(email="ada@example.com")
    callback = sign_in_at_provider(start(client), "ada@example.com")
    with client.session_transaction() as saved:
        state_data = {k: v for k, v in saved.items() if k.startswith("_state_")}
    assert finish(client, callback).status_code == 302
    client.post("/logout")
    with client.session_transaction() as session:  # as if the state were still pending
        session.update(state_data)
    response = finish(client, callback)  # the provider refuses a code used before
    assert response.status_code == 400
    assert not signed_in(client) and identities() == 1


def test_an_unverified_e_mail_is_refused_and_no_account_is_created(app, client, make_user,
                                                                  sso):
    app.config["OIDC_JIT_DOMAINS"] = "example.com"
    before = people()
    response = finish(client, sign_in_at_provider(start(client), "unverified@example.com"))
    assert response.status_code == 403
    assert "no verified e-mail address" in response.get_data(as_text=True)
    assert not signed_in(client) and people() == before and identities() == 0


def test_entra_ids_verified_domain_claim_counts_as_verified(app, client, make_user, sso):
    person = make_user(email="entra@example.com")
    response = finish(client, sign_in_at_provider(start(client), "entra@example.com"))
    assert response.status_code == 302 and signed_in(client)
    assert db.session.scalar(select(SsoIdentity.user_id)) == person.id


def test_an_unverified_e_mail_does_not_take_over_an_existing_person(app, client, make_user,
                                                                   sso):
    make_user(email="unverified@example.com")
    response = finish(client, sign_in_at_provider(start(client), "unverified@example.com"))
    assert response.status_code == 403 and identities() == 0 and not signed_in(client)


def test_a_nonce_mismatch_is_refused(app, client, make_user, sso):
    make_user(email="ada@example.com")
    callback = sign_in_at_provider(start(client), "ada@example.com")
    with client.session_transaction() as session:
        key = next(k for k in session if k.startswith("_state_"))
        entry = dict(session[key])
        entry["data"] = {**entry["data"], "nonce": "not-the-nonce-we-sent"}
        session[key] = entry
    response = finish(client, callback)
    assert response.status_code == 400
    assert not signed_in(client) and identities() == 0


def test_a_response_from_an_unknown_issuer_is_refused(app, client, make_user, sso):
    make_user(email="ada@example.com")
    callback = sign_in_at_provider(start(client), "ada@example.com")
    assert query(callback)["iss"] == sso.issuer  # RFC 9207: the provider names itself
    other = callback.replace("iss=", "iss=https%3A%2F%2Fevil.example.com&was=")
    response = finish(client, other)
    assert response.status_code == 400
    assert "unknown issuer" in response.get_data(as_text=True)
    assert not signed_in(client) and identities() == 0


def test_a_provider_naming_another_issuer_in_discovery_is_refused(app, client, sso):
    # The same provider reached under another name: its discovery names 127.0.0.1.
    app.config.update(OIDC_ISSUER=sso.issuer.replace("127.0.0.1", "localhost"))
    response = client.get("/sso/login")
    assert response.status_code == 502
    assert "unknown issuer" in response.get_data(as_text=True)


def test_just_in_time_accounts_only_for_allowed_domains(app, client, sso):
    app.config["OIDC_JIT_DOMAINS"] = "example.org, example.net"
    response = finish(client, sign_in_at_provider(start(client), "nieuw@example.org"))
    assert response.status_code == 302 and signed_in(client)
    person = db.session.scalar(select(User).where(User.email == "nieuw@example.org"))
    assert person.roles == {"employee"} and person.password_hash is None
    client.post("/logout")

    before = people()
    response = finish(client, sign_in_at_provider(start(client), "someone@elsewhere.test"))
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "There is no learnpath account for someone@elsewhere.test" in text
    assert "elsewhere.test are not created on sign-in" in text
    assert people() == before and not signed_in(client)


def test_a_deactivated_person_cannot_sign_in_with_sso(app, client, make_user, sso):
    person = make_user(email="ada@example.com")
    finish(client, sign_in_at_provider(start(client), "ada@example.com"))
    client.post("/logout")
    from learnpath.accounts import services

    services.set_active(db.session.get(User, person.id), False)
    db.session.commit()
    response = finish(client, sign_in_at_provider(start(client), "ada@example.com"))
    assert response.status_code == 403 and not signed_in(client)


def test_sign_out_ends_the_provider_session_too(app, client, make_user, sso):
    make_user(email="ada@example.com")
    finish(client, sign_in_at_provider(start(client), "ada@example.com"))
    response = client.post("/logout")
    assert response.status_code == 200
    [target] = set(re.findall(r'href="([^"]+/session/end[^"]*)"', response.get_data(as_text=True)))
    target = html.unescape(target)
    assert target.startswith(sso.issuer + "/session/end?")
    params = query(target)
    assert params["id_token_hint"] and params["post_logout_redirect_uri"] == (
        "http://localhost/login")
    assert not signed_in(client)


def test_sso_only_hides_passwords_except_for_the_break_glass_admin(app, client, make_user,
                                                                  sso):
    app.config.update(OIDC_SSO_ONLY=True, OIDC_BREAK_GLASS_EMAILS="root@example.com")
    make_user(email="root@example.com", roles=("employee", "admin"))
    employee = make_user(email="emp@example.com")
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with your organisation account" in page
    assert 'type="password"' not in page
    assert 'type="password"' in client.get("/login?password=1").get_data(as_text=True)
    refused = client.post("/login", data={"email": employee.email, "password": PASSWORD})
    assert refused.status_code == 403
    assert "Please sign in with your organisation account." in refused.get_data(as_text=True)
    assert client.post("/login", data={"email": "root@example.com", "password": PASSWORD}
                       ).status_code == 302


def test_without_configuration_there_is_no_sso(app, client):
    assert client.get("/sso/login").status_code == 404
    assert client.get("/sso/callback?code=x&state=y").status_code == 404
    assert "organisation account" not in client.get("/login").get_data(as_text=True)
