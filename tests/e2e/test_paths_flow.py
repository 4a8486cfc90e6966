"""A manager assigns a path to the team; an employee finishes it and opens the certificate."""

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def finish_module(page: Page):
    """Answer the knowledge check (first try, then the right answers, shown on request) and
    mark as done."""
    for fieldset in page.locator("#quiz fieldset").all():
        fieldset.locator("input").first.check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("status")).to_be_visible()
    reveal = page.get_by_role("button", name="Show the answers")  # only after a wrong answer
    if reveal.count():
        reveal.click()
        expect(page.get_by_text("✓ correct answer").first).to_be_visible()
    for fieldset in page.locator("#quiz fieldset").all():
        for box in fieldset.locator("input[type=checkbox]").all():
            box.uncheck()
        for label in fieldset.locator("label.option-correct").all():
            label.locator("input").check()
    page.get_by_role("button", name="Check my answers again").click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"You answered (\d+) of \1 questions"))
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Well done! The module is marked as done.")).to_be_visible()


def test_manager_assigns_and_employee_completes_with_certificate(browser, base_url):
    due = date.today() + timedelta(days=21)
    manager = browser.new_context(base_url=base_url).new_page()
    sign_in(manager, "manager@example.com")
    manager.get_by_role("link", name="My teams").click()
    manager.get_by_label("Growth path").select_option(label="Feedback and recognition")
    manager.get_by_label("Assign to").select_option(label="Whole team: Product")
    manager.get_by_label("Due date (optional)").fill(due.isoformat())
    manager.get_by_label("A personal note (optional)").fill("Let's grow together this quarter")
    manager.get_by_role("button", name="Assign").click()
    expect(manager.get_by_text("Assigned to 6 people.")).to_be_visible()
    expect(manager.locator("table.matrix")).to_contain_text("Daan Jansen")

    employee = browser.new_context(base_url=base_url).new_page()
    sign_in(employee, "employee@example.com")
    home = employee.locator("main")
    expect(home).to_contain_text("Feedback and recognition")
    expect(home).to_contain_text("assigned")
    expect(home).to_contain_text("due")
    employee.get_by_role("link", name="Feedback and recognition").click()
    expect(employee.get_by_text("Let's grow together this quarter")).to_be_visible()
    for _ in range(3):
        employee.locator(".step-next a").click()
        # finish_module reads the page's questions at once: wait until the module is the page
        # (without this, a busy machine let it read the path page and send an empty answer).
        employee.wait_for_url(re.compile(r"/modules/[^/?#]+$"))
        finish_module(employee)
        employee.goto("/paths/feedback-and-recognition")
    expect(employee.locator("main")).to_contain_text("Completed")
    employee.get_by_role("button", name="View your certificate").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("Daan Jansen")
    expect(employee.locator("main")).to_contain_text("Feedback and recognition")

    # The link works for anyone who has it, without signing in.
    stranger = browser.new_context(base_url=base_url).new_page()
    stranger.goto(employee.url)
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Daan Jansen")
