"""Open Badges 3.0: a path certificate as an OpenBadgeCredential, valid against 1EdTech's schema."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from xapi_support import build_catalog, learn

from learnpath.badges.openbadges import identity_hash
from learnpath.extensions import db
from learnpath.paths.models import Certificate

jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]' installs it")
DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((DATA / "ob_v3p0_achievementcredential_schema.json").read_text())


def _errors(document: dict) -> list[str]:
    validator = jsonschema.Draft201909Validator(SCHEMA)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]


@pytest.mark.parametrize("example", ["ob_v3p0_example_complete.json",
                                     "ob_v3p0_example_minimal.json"])
def test_the_known_good_examples_validate(example):
    assert _errors(json.loads((DATA / example).read_text())) == []


def test_a_broken_credential_does_not_validate():
    broken = json.loads((DATA / "ob_v3p0_example_minimal.json").read_text())
    del broken["credentialSubject"]["achievement"]["criteria"]
    assert _errors(broken)


@pytest.fixture
def certificate(app, make_user):
    path = build_catalog()
    user = make_user(email="Grace@Example.com", name="Grace Hopper", locale="nl")
    learn(user, path)
    cert = db.session.scalar(select(Certificate))
    assert cert is not None
    return cert, user


def test_a_certificate_is_a_valid_open_badge_credential(app, client, certificate):
    cert, user = certificate
    anonymous = app.test_client()
    response = anonymous.get(f"/certificates/{cert.token}/badge.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    badge = response.get_json()
    assert _errors(badge) == []
    assert "OpenBadgeCredential" in badge["type"]
    # Served at its id URL (hosted verification).
    base = app.config["BASE_URL"].rstrip("/")
    assert badge["id"] == f"{base}/certificates/{cert.token}/badge.json"
    issuer = anonymous.get(badge["issuer"]["id"].removeprefix(base)).get_json()
    assert issuer == badge["issuer"] and issuer["type"] == ["Profile"]
    assert issuer["name"] == app.config["ORGANISATION_NAME"]

    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["name"] == "Feedback geven"  # the person's language (nl)
    assert "Feedback that lands" in achievement["criteria"]["narrative"]
    alignments = {a["targetCode"]: a for a in achievement["alignment"]}
    assert alignments["giving-feedback"]["targetUrl"].startswith(
        "http://data.europa.eu/esco/skill/")
    assert alignments["giving-feedback"]["targetFramework"] == "ESCO"
    assert alignments["listening"]["targetUrl"].startswith(base)  # no ESCO URI: our own page


def test_the_recipient_is_a_salted_hash_never_the_email_or_name(app, certificate):
    cert, user = certificate
    text = app.test_client().get(f"/certificates/{cert.token}/badge.json").get_data(
        as_text=True)
    assert "grace@example.com" not in text.lower() and "Grace" not in text
    identity, = json.loads(text)["credentialSubject"]["identifier"]
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"
    assert identity["identityHash"] == identity_hash("grace@example.com", identity["salt"])


def test_download_link_on_the_certificate_page(app, certificate):
    cert, _ = certificate
    anonymous = app.test_client()
    html = anonymous.get(f"/certificates/{cert.token}").get_data(as_text=True)
    assert f"/certificates/{cert.token}/badge.json?download=1" in html
    response = anonymous.get(f"/certificates/{cert.token}/badge.json?download=1")
    assert "attachment" in response.headers["Content-Disposition"]
    assert anonymous.get("/certificates/not-a-token/badge.json").status_code == 404
