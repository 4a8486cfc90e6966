"""Sign in, switch language, sign out, and a refused sign-in, in a real browser."""

import re

from phone_support import assert_fits
from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_switch_language_and_sign_out(page: Page):
    sign_in(page, "manager@example.com")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Sanne de Vries")
    expect(page.get_by_role("link", name="My teams")).to_be_visible()

    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fprofile$"))


def test_refused_sign_in_shows_the_message_and_keeps_the_email(page: Page):
    sign_in(page, "employee@example.com", "wrong password")
    expect(page.get_by_text("The e-mail address or password is not correct.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("employee@example.com")
    expect(page.get_by_label("Password")).to_have_value("")


def test_employee_sees_no_admin_navigation_on_a_phone(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "employee@example.com")
    nav = page.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="Menu").click()  # on a phone the links sit behind a menu
    expect(nav.get_by_role("link", name="Profile")).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(nav.get_by_role("link", name="My teams")).to_have_count(0)
    assert_fits(page, 360)
    page.get_by_role("button", name="Sign out").click()


def test_admin_adds_a_person_with_the_keyboard_reachable_form(page: Page):
    sign_in(page, "admin@example.com")
    page.goto("/admin/users/new")
    page.get_by_label("E-mail address").fill("new.hire@example.com")
    page.get_by_label("Name").fill("New Hire")
    page.get_by_label("Author").check()
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_text("New Hire has been added.")).to_be_visible()
    page.goto("/admin/users?q=new.hire")
    expect(page.get_by_role("link", name="New Hire")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
