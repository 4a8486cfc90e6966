"""SCIM 2.0 provisioning at /scim/v2: scim2-tester's compliance checks, plus our own rules."""

import pytest
from sqlalchemy import select

from learnpath.accounts import scim
from learnpath.accounts import services as accounts
from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.privacy.models import AuditEntry

PASSWORD = "correct horse battery"  # make_user's default (conftest.py)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
JSON = "application/scim+json"


@pytest.fixture
def token(app):
    _token, secret = scim.create_token("HR system", None)
    db.session.commit()
    return secret


@pytest.fixture
def api(client, token):
    def call(method, path, body=None, secret=token):
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": JSON}
        return client.open(f"/scim/v2{path}", method=method, json=body, headers=headers)

    return call


def new_user(api, user_name, **extra):
    body = {"schemas": [USER], "userName": user_name, **extra}
    response = api("POST", "/Users", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_scim2_tester_finds_the_endpoint_compliant(app, token):
    from scim2_client.engines.wsgi import WSGISCIMClient
    from scim2_tester import Status, check_server

    client = WSGISCIMClient(app, base_url="http://localhost/scim/v2",
                            headers={"Authorization": f"Bearer {token}"})
    results = check_server(client)
    failed = [(r.title, r.reason) for r in results if r.status != Status.SUCCESS]
    assert not failed, failed
    titles = {r.title for r in results}
    # Discovery, CRUD of Users and Groups, and PATCH of every attribute were all checked.
    assert {"service_provider_config_endpoint", "query_all_schemas", "object_creation",
            "object_replacement", "object_deletion", "check_add_attribute",
            "check_replace_attribute", "check_remove_attribute"} <= titles
    assert len(results) > 100


def test_without_a_valid_token_nothing_is_served(app, api, make_user):
    assert api("GET", "/Users", secret="").status_code == 401
    assert api("GET", "/Users", secret="lpscim_wrong").status_code == 401
    from learnpath.api import tokens as api_tokens

    person = make_user(roles=("employee", "admin"))
    _row, personal = api_tokens.create_token(person, "mine", "read-write")
    db.session.commit()
    assert api("GET", "/Users", secret=personal).status_code == 401  # scoped: SCIM tokens only
    token = scim.list_tokens()[0]
    scim.revoke_token(token, None)
    db.session.commit()
    assert api("GET", "/Users").status_code == 401


def test_a_user_becomes_a_person_in_the_team_of_their_department(app, api):
    boss = new_user(api, "boss@example.com", displayName="Bea Baas")
    ada = new_user(api, "ada@example.com", name={"givenName": "Ada", "familyName": "Lovelace"},
                   preferredLanguage="nl-NL", schemas=[USER, ENTERPRISE],
                   **{ENTERPRISE: {"department": "Support", "manager": {"value": boss["id"]}}})
    person = accounts.get_user_by_email("ada@example.com")
    assert (person.display_name, person.locale, person.active) == ("Ada Lovelace", "nl", True)
    team = accounts.get_team_by_name("Support")
    assert [p.email for p in accounts.team_people(team, "member")] == ["ada@example.com"]
    assert [p.email for p in accounts.team_people(team, "manager")] == ["boss@example.com"]
    assert person.primary_team_id == team.id
    # Filtering, as identity providers look people up before creating them.
    found = api("GET", '/Users?filter=userName eq "ada@example.com"').get_json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == ada["id"]


def test_an_unknown_manager_is_refused_with_invalid_value(app, api):
    response = api("POST", "/Users", {
        "schemas": [USER, ENTERPRISE], "userName": "ada@example.com",
        ENTERPRISE: {"manager": {"value": "no-such-id"}}})
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidValue"
    assert accounts.get_user_by_email("ada@example.com") is None


def test_a_duplicate_user_name_is_refused_with_uniqueness(app, api):
    new_user(api, "ada@example.com")
    response = api("POST", "/Users", {"schemas": [USER], "userName": "ada@example.com"})
    assert response.status_code == 409
    assert response.get_json()["scimType"] == "uniqueness"
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_a_person_imported_before_is_taken_over_not_duplicated(app, api, make_user):
    person = make_user(email="ada@example.com")
    new_user(api, "Ada@Example.com", displayName="Ada L.")
    db.session.refresh(person)
    assert person.display_name == "Ada L."
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_active_false_ends_every_session_at_once(app, api, make_user):
    person = make_user(email="ada@example.com")
    created = new_user(api, "ada@example.com")
    browser = app.test_client()
    assert browser.post("/login", data={"email": person.email, "password": PASSWORD}
                        ).status_code == 302
    assert browser.get("/profile").status_code == 200
    response = api("PATCH", f"/Users/{created['id']}", {
        "schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert response.status_code in (200, 204), response.get_json()
    assert browser.get("/profile").status_code == 302  # signed out at once
    db.session.refresh(person)
    assert not person.active
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "scim_user_deactivated" in actions


def test_deleting_a_user_deactivates_the_person_and_keeps_their_history(app, api):
    created = new_user(api, "ada@example.com")
    assert api("DELETE", f"/Users/{created['id']}").status_code == 204
    person = accounts.get_user_by_email("ada@example.com")
    assert person is not None and not person.active
    assert api("GET", f"/Users/{created['id']}").status_code == 404


def test_a_group_is_a_team_with_exactly_its_members(app, api):
    ada = new_user(api, "ada@example.com")
    bob = new_user(api, "bob@example.com")
    response = api("POST", "/Groups", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Sales",
        "members": [{"value": ada["id"]}, {"value": bob["id"]}]})
    assert response.status_code == 201, response.get_json()
    group = response.get_json()
    team = accounts.get_team_by_name("Sales")
    assert sorted(p.email for p in accounts.team_people(team, "member")) == [
        "ada@example.com", "bob@example.com"]
    api("PATCH", f"/Groups/{group['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "remove", "path": f'members[value eq "{bob["id"]}"]'}]})
    assert [p.email for p in accounts.team_people(team, "member")] == ["ada@example.com"]
    unknown = api("PATCH", f"/Groups/{group['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": "no-such-user"}]}]})
    assert unknown.status_code == 400 and unknown.get_json()["scimType"] == "invalidValue"


def test_a_malformed_filter_is_refused_with_invalid_filter(app, api):
    response = api("GET", '/Users?filter=userName eq "unterminated')
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidFilter"


def test_a_patch_of_an_unknown_attribute_is_refused_with_invalid_path(app, api):
    created = new_user(api, "ada@example.com")
    response = api("PATCH", f"/Users/{created['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "replace", "path": "shoeSize", "value": 42}]})
    assert response.status_code == 400
    assert response.get_json()["scimType"] in ("invalidPath", "noTarget")


def test_the_admin_creates_and_revokes_tokens(app, client, login_as):
    login_as("admin")
    response = client.post("/admin/scim", data={"name": "Entra ID"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "it is not shown again" in text
    [row] = [t for t in scim.list_tokens() if t.name == "Entra ID"]
    assert row.token_hash not in text and row.prefix in text
    assert client.post(f"/admin/scim/{row.id}/revoke").status_code == 302
    db.session.refresh(row)
    assert row.revoked_at is not None
