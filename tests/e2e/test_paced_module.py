"""A module on a phone (issue 19): one part at a time with progress, next/back, arrow keys and
swipes, the knowledge check as the last card and a visible finish; a wide screen and a browser
without JavaScript get the whole page."""

import re

import pytest
from playwright.sync_api import Page, expect

from learnpath.accounts.models import User
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db
from learnpath.modules import services as modules
from learnpath.paths import enrolments

SLUG = "running-a-short-meeting"  # an introduction and three parts, then the knowledge check
PATH = "effective-meetings-and-writing"  # its next step: "Writing a clear e-mail"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def correct_options(live_app):
    """Input ids of the right answers, and Lucas on the path the module opens."""
    with live_app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "lucas.vos@example.com"))
        enrolments.enrol(user, enrolments.get_path(PATH))
        db.session.commit()
        version = modules.get_published(SLUG).current_version
        return [f"q{question.id}-{index}" for question in version.questions
                for index in sorted(question.correct_indexes())]


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def expect_cards(page: Page, count: int):
    expect(page.locator("[data-card]:visible")).to_have_count(count)


def swipe(page: Page, dx: int):
    page.evaluate("""(dx) => {
        const card = document.querySelector('[data-card]:not([hidden])');
        const at = (x) => [new Touch({identifier: 1, target: card, clientX: x, clientY: 300})];
        const fire = (type, x) =>
            card.dispatchEvent(new TouchEvent(type, {bubbles: true, changedTouches: at(x)}));
        fire('touchstart', 200);
        fire('touchend', 200 + dx);
    }""", dx)


def test_a_module_reads_as_paced_cards_on_a_phone(browser, base_url, correct_options):
    context = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True)
    page = context.new_page()
    sign_in(page, "lucas.vos@example.com")
    page.goto(f"/modules/{SLUG}")

    title = page.get_by_role("heading", level=1, name="Running a short meeting")
    expect(title).to_be_in_viewport()
    count = page.locator(".reader-count")
    next_button = page.get_by_role("button", name="Next")
    back = page.get_by_role("button", name="Back")
    expect(count).to_have_text("Part 1 / 5")
    expect(page.locator("progress[data-reader-bar]")).to_have_attribute("value", "1")
    expect(back).to_be_disabled()
    expect(next_button).to_be_in_viewport()  # the controls stay at the bottom of the screen
    expect_cards(page, 1)
    expect(page.locator("#quiz")).to_be_hidden()

    next_button.click()
    expect(count).to_have_text("Part 2 / 5")
    expect(page.locator("progress[data-reader-bar]")).to_have_attribute("value", "2")
    expect(next_button).to_be_focused()  # Enter again turns the next page
    expect(page.get_by_role("heading", name="Before: the purpose in one sentence")).to_be_visible()
    expect_cards(page, 1)
    back.click()
    expect(count).to_have_text("Part 1 / 5")

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(count).to_have_text("Part 3 / 5")
    expect(page.get_by_role("heading", name="During: three roles")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(count).to_have_text("Part 2 / 5")

    swipe(page, -150)  # to the left: the next card
    expect(count).to_have_text("Part 3 / 5")
    swipe(page, 150)
    expect(count).to_have_text("Part 2 / 5")
    swipe(page, 20)  # a small movement is no swipe
    expect(count).to_have_text("Part 2 / 5")

    page.keyboard.press("ArrowLeft")  # the contents list is on the first card, collapsed
    contents = page.locator("details.contents-phone")
    expect(contents).to_be_visible()
    contents.locator("summary").click()
    contents.get_by_role("link", name="At the end: decisions and owners").click()
    expect(count).to_have_text("Part 4 / 5")

    next_button.click()
    expect(count).to_have_text("Part 5 / 5")
    expect(next_button).to_be_disabled()
    expect(page.get_by_role("heading", name="Knowledge check")).to_be_visible()
    page.locator("#quiz input").first.focus()
    page.keyboard.press("ArrowRight")  # on a radio button the arrows choose, they do not turn
    expect(count).to_have_text("Part 5 / 5")
    for option in correct_options:
        page.locator(f"#{option}").check()
    page.locator("#quiz button[type=submit]").click()
    page.get_by_role("button", name="Mark as done").click()

    finish = page.locator("#finish")
    expect(finish).to_be_visible()
    expect(count).to_have_text("Part 5 / 5")
    expect(finish.get_by_role("heading", name="What you learned")).to_be_visible()
    expect(finish).to_contain_text("Next in your path Effective meetings and writing:")
    expect(finish.get_by_role("link", name="Writing a clear e-mail")).to_be_visible()
    expect(finish.get_by_role("link", name=re.compile("Give them kudos"))).to_be_visible()
    context.close()


def test_a_wide_screen_shows_the_whole_module(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, "sophie.bos@example.com")
    page.goto(f"/modules/{SLUG}")
    expect_cards(page, 5)
    expect(page.locator("[data-reader-controls]")).to_be_hidden()
    expect(page.locator(".contents-wide")).to_be_visible()
    expect(page.locator("details.contents-phone")).to_be_hidden()
    expect(page.get_by_role("heading", name="Knowledge check")).to_be_visible()
    page.set_viewport_size(PHONE)  # turning a tablet or narrowing the window paces it
    expect(page.locator(".reader-count")).to_have_text("Part 1 / 5")
    expect_cards(page, 1)
    context.close()


def test_without_javascript_a_phone_gets_the_whole_page_with_contents(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "sophie.bos@example.com")
    page.goto(f"/modules/{SLUG}")
    expect_cards(page, 5)
    expect(page.locator("[data-reader-controls]")).to_be_hidden()
    contents = page.locator("details.contents-phone")
    expect(contents).to_be_visible()
    expect(contents.get_by_role("link", name="During: three roles")).to_be_hidden()
    contents.locator("summary").click()
    expect(contents.get_by_role("link", name="During: three roles")).to_be_visible()
    context.close()
