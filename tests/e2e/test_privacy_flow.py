"""Download your own data, then an admin erases you with a confirmation step, in a browser."""

import json
import re

from playwright.sync_api import Browser, Page, expect

from learnpath.accounts import services as accounts
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_download_own_data_then_erasure_by_an_admin(live_app, base_url, page: Page,
                                                    browser: Browser):
    with live_app.app_context():
        accounts.create_user("leaving.person@example.com", "Leaving Person",
                             password=DEMO_PASSWORD)
        db.session.commit()

    sign_in(page, "leaving.person@example.com")
    page.goto("/profile")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data (JSON)").click()
    document = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert document["profile"]["email"] == "leaving.person@example.com"
    page.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy: your data in learnpath")

    admin_context = browser.new_context(base_url=base_url)
    admin = admin_context.new_page()
    sign_in(admin, "admin@example.com")
    admin.goto("/admin/users?q=Leaving")
    admin.get_by_role("link", name="Leaving Person").click()
    admin.get_by_role("link", name="Erase this person…").click()
    expect(admin.get_by_text("This cannot be undone.")).to_be_visible()
    field = admin.get_by_label("Type the person's e-mail address to confirm")
    field.fill("someone.else@example.com")
    admin.get_by_role("button", name="Erase for good").click()
    expect(admin.get_by_text("This is not the e-mail address of Leaving Person.")).to_be_visible()
    expect(field).to_have_value("someone.else@example.com")
    field.fill("leaving.person@example.com")
    admin.get_by_role("button", name="Erase for good").click()
    expect(admin.get_by_text("The person has been erased.")).to_be_visible()
    admin.goto("/admin/users?q=Leaving")
    expect(admin.get_by_text("Nobody matches your search.")).to_be_visible()
    admin.goto("/privacy/audit")
    expect(admin.get_by_role("cell", name="Person erased")).to_be_visible()
    admin_context.close()

    page.goto("/profile")  # the erased person's session died at once
    expect(page).to_have_url(re.compile(r"/login"))
    sign_in(page, "leaving.person@example.com")
    expect(page.get_by_text("The e-mail address or password is not correct.")).to_be_visible()
