"""Single sign-on end to end in a real browser, through a real OpenID provider (Node.js)."""

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).parent.parent))
from oidc_support import Provider  # noqa: E402


@pytest.fixture
def provider(live_app, live_server):
    provider = Provider([f"{live_server}/sso/callback"], [f"{live_server}/login"])
    before = {key: live_app.config.get(key) for key in
              ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")}
    provider.configure(live_app)
    yield provider
    live_app.config.update(before)
    provider.stop()


def only_this_machine(page: Page) -> None:
    """The provider's development pages import a web font: keep the browser on loopback."""
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())


def test_sign_in_and_out_through_the_organisation_account(page: Page, provider, live_server):
    only_this_machine(page)
    page.goto("/login")
    page.get_by_role("link", name="Sign in with your organisation account").click()

    expect(page).to_have_url(re.compile(re.escape(provider.issuer) + r"/interaction/"))
    page.locator("input[name=login]").fill("employee@example.com")
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page

    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Daan Jansen")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(provider.issuer) + r"/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(re.escape(live_server) + r"/login(\?state=[^&]+)?$"))
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fprofile$"))
