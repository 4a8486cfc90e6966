"""The sign-in tables are in the privacy registry: exported with a person, gone on erasure."""

from datetime import timedelta

from sqlalchemy import func, select

from learnpath.accounts import links, scim
from learnpath.accounts.links import SignInLink
from learnpath.accounts.scim import ScimResource, ScimToken
from learnpath.accounts.sso import SsoIdentity
from learnpath.extensions import db
from learnpath.privacy import services as privacy


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_links_identities_scim_data_and_tokens_are_exported_and_erased(app, make_user):
    admin = make_user(roles=("employee", "admin"))
    person = make_user(roles=("employee", "admin"))
    secret = links.issue(person, "reset", timedelta(hours=1))
    db.session.add(SsoIdentity(user=person, issuer="https://idp.example.com", subject="s-1",
                               email=person.email))
    db.session.add(ScimResource(id="abc", resource_type="User", user_id=person.id,
                                data={"userName": person.email}))
    scim.create_token("HR", person)
    db.session.commit()

    data = privacy.export_person(person, actor=admin)
    assert data["sign_in_links"][0]["purpose"] == "reset"
    assert secret not in str(data) and links.hash_token(secret) not in str(data)
    assert data["sso_identities"][0]["subject"] == "s-1"
    assert data["scim"][0]["data"] == {"userName": person.email}
    assert data["scim_tokens"][0]["name"] == "HR"

    assert privacy.erase_person(person, actor=admin)
    db.session.commit()
    assert count(SignInLink) == count(SsoIdentity) == count(ScimResource) == 0
    [token] = db.session.scalars(select(ScimToken)).all()
    assert token.created_by_id is None  # the token stays for the HR system, without a name
