"""An employee takes a module: reads, answers wrongly, then rightly, and marks it done."""

import re

from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def answer_all(page: Page, right: bool):
    """Pick the first option of every question (wrong) or the correct ones (right), which are
    marked once the answers are shown."""
    for fieldset in page.locator("#quiz fieldset").all():
        if right:
            for label in fieldset.locator("label.option-correct").all():
                label.locator("input").check()
            for label in fieldset.locator("label.option:not(.option-correct)").all():
                box = label.locator("input[type=checkbox]")
                if box.count():
                    box.uncheck()
        else:
            fieldset.locator("input").first.check()


def take_module(page: Page, javascript: bool):
    page.goto("/modules?language=en")
    page.get_by_role("link", name="Giving feedback that lands").click()
    expect(page.get_by_role("heading", name="Knowledge check")).to_be_visible()
    expect(page.get_by_text("Answer the knowledge check above first")).to_be_visible()

    page.get_by_role("button", name="Check my answers").click()  # nothing ticked yet
    expect(page.locator("#quiz").get_by_role("alert")).to_contain_text(
        "Please answer every question.")
    expect(page.locator("#quiz .field-error").first).to_have_text(
        "Choose an answer to this question.")

    answer_all(page, right=False)
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("status")).to_contain_text("questions correctly")
    expect(page.get_by_text("Not quite.").first).to_be_visible()
    # a wrong attempt marks what was chosen wrongly, not the correct options; those on request
    expect(page.locator("#quiz label.option-correct:not(:has(input:checked))")).to_have_count(0)
    page.get_by_role("button", name="Show the answers").click()
    expect(page.get_by_text("✓ correct answer").first).to_be_visible()

    answer_all(page, right=True)
    page.get_by_role("button", name="Check my answers again").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"You answered (\d+) of \1 questions correctly"))

    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Well done! The module is marked as done.")).to_be_visible()
    expect(page.get_by_text("You completed this module on")).to_be_visible()
    expect(page.get_by_text("Best knowledge-check score: 100%.")).to_be_visible()


def test_employee_takes_a_module_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "lotte.bakker@example.com")
    take_module(page, javascript=False)
    context.close()


def test_employee_takes_a_module_with_javascript(page: Page):
    sign_in(page, "milan.visser@example.com")
    take_module(page, javascript=True)
    page.goto("/")
    expect(page.get_by_role("link", name="Giving feedback that lands")).to_be_visible()
