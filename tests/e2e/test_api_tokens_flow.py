"""Create an API token on the profile page, use it with curl-like requests, revoke it."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from learnpath.accounts import services as accounts
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db


def call(base_url: str, path: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(base_url + path,
                                     headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_token_shown_once_works_and_stops_after_revoking(live_app, base_url, page: Page):
    with live_app.app_context():
        accounts.create_user("api.person@example.com", "Api Person", password=DEMO_PASSWORD)
        db.session.commit()
    page.goto("/login")
    page.get_by_label("E-mail address").fill("api.person@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/profile")
    page.get_by_label("Name", exact=True).last.fill("Weekly report")
    page.get_by_label("Access").select_option("read")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    secret = page.get_by_label(re.compile("Token")).input_value()
    assert secret.startswith("lp_")

    status, body = call(base_url, "/api/v1/me", secret)
    assert status == 200 and body["email"] == "api.person@example.com"

    page.get_by_role("link", name="Back to your profile").click()
    row = page.get_by_role("row", name=re.compile("Weekly report"))
    expect(row).to_contain_text("Read only")
    assert secret not in page.content()
    row.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.get_by_role("row", name=re.compile("Weekly report"))).to_contain_text("Revoked")

    status, body = call(base_url, "/api/v1/me", secret)
    assert status == 401 and body["status"] == 401

    page.get_by_role("link", name="API page").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("learnpath API")
