"""An employee searches the catalog: highlighted results as they type, then a facet."""

import re

from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_results_follow_the_search_box_and_a_facet(page: Page):
    sign_in(page, "milan.visser@example.com")
    page.goto("/modules")
    page.get_by_label("Search the catalog").press_sequentially("feedb", delay=30)
    expect(page.locator(".search-hit mark").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=feedb"))
    expect(page.get_by_role("status")).to_contain_text("module")
    english = page.locator(".search-hit[lang=en]")
    expect(english.first).to_be_visible()

    page.locator("#facet-language").get_by_label(re.compile("Nederlands")).check()
    expect(english).to_have_count(0)
    expect(page.locator(".search-hit[lang=nl]").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"language=nl"))
    expect(page.locator(".search-hit mark").first).to_be_visible()


def test_search_and_filters_work_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "lotte.bakker@example.com")
    page.goto("/modules")
    page.get_by_label("Search the catalog").fill("feedback gegeven")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".search-hit mark").first).to_be_visible()
    expect(page.locator(".search-hit[lang=nl]").first).to_be_visible()

    page.locator(".filter-drawer > summary").click()  # without JavaScript the drawer is closed
    page.locator("#facet-duration").get_by_label("5 minutes or less").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"duration=5"))
    expect(page.locator(".search-hit").first).to_be_visible()
    context.close()
