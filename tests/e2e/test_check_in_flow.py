"""A check-in from both sides: the schedule suggests it, the manager plans it, both prepare
topics, they hold it (notes, an action that enrols in a path) and both confirm it."""

from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from learnpath.accounts import services as accounts
from learnpath.accounts.models import TeamMembership
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db

PERSON = "julia.mulder@example.com"
PRIVATE = "Ask HR about a mentor for Julia"


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _joined_twenty_days_ago(app):
    with app.app_context():
        person = accounts.get_user_by_email(PERSON)
        for membership in db.session.scalars(select(TeamMembership).where(
                TeamMembership.user_id == person.id)):
            membership.joined_at = datetime.now(UTC) - timedelta(days=20)
        db.session.commit()


def test_schedule_prepare_hold_and_confirm_as_both_sides(browser, base_url, live_app):
    _joined_twenty_days_ago(live_app)
    manager = browser.new_context(base_url=base_url).new_page()
    sign_in(manager, "manager@example.com")

    # Schedule: the home page says the 30-day conversation is due; its link fills the form.
    due = manager.locator(".check-ins-due")
    expect(due).to_contain_text("The 30-day conversation with Julia Mulder")
    due.get_by_role("link", name="Plan it").first.click()
    expect(manager.locator("#schedule-other")).to_have_value(
        manager.locator("#schedule-other option", has_text="Julia Mulder").get_attribute("value"))
    expect(manager.locator("#schedule-template")).to_have_value("thirty-day")
    manager.locator("#schedule-on").fill((date.today() - timedelta(days=1)).isoformat())
    manager.get_by_role("button", name="Plan check-in").click()
    expect(manager.get_by_text("Choose today or a date in the future.")).to_be_visible()
    expect(manager.locator("#schedule-template")).to_have_value("thirty-day")  # input kept
    on = date.today() + timedelta(days=3)
    manager.locator("#schedule-on").fill(on.isoformat())
    manager.get_by_role("button", name="Plan check-in").click()
    expect(manager.get_by_text("Check-in planned.")).to_be_visible()
    expect(manager.locator(".check-ins-due")).to_have_count(0)  # planned: no longer due

    # Prepare: the manager adds a topic and a private note.
    manager.locator(".check-ins li", has_text="Julia Mulder").get_by_role("link").click()
    expect(manager.get_by_role("heading", name="The 30-day conversation")).to_be_visible()
    check_in_url = manager.url
    manager.locator("#note-kind").select_option("topic")
    manager.locator("#note-text").fill("How the onboarding went")
    manager.get_by_role("button", name="Add", exact=True).click()
    expect(manager.get_by_text("Added.")).to_be_visible()
    manager.locator("#note-kind").select_option("private")
    manager.locator("#note-text").fill(PRIVATE)
    manager.get_by_role("button", name="Add", exact=True).click()
    expect(manager.locator(".check-in-notes")).to_contain_text(PRIVATE)

    # The person sees it coming on the home page, prepares a topic, never sees the note.
    person = browser.new_context(base_url=base_url).new_page()
    sign_in(person, PERSON)
    expect(person.locator(".check-ins")).to_contain_text("with your manager Sanne de Vries")
    person.goto(check_in_url)
    notes = person.locator(".check-in-notes")
    expect(notes).to_contain_text("How the onboarding went")
    expect(person.locator("main")).not_to_contain_text(PRIVATE)
    person.locator("#note-kind").select_option("topic")
    person.locator("#note-text").fill("I would like a buddy in Sales")
    person.get_by_role("button", name="Add", exact=True).click()
    expect(notes).to_contain_text("I would like a buddy in Sales")
    person.get_by_role("button", name="Show my kudos on the agenda").click()
    expect(person.get_by_role("button", name="Hide my kudos")).to_be_visible()

    # Hold: a shared note and an action that enrols the person in a path.
    manager.goto(check_in_url)
    expect(manager.locator(".check-in-notes")).to_contain_text("I would like a buddy in Sales")
    manager.locator("#note-kind").select_option("shared")
    manager.locator("#note-text").fill("Julia settles in well; a buddy from Sales it is.")
    manager.get_by_role("button", name="Add", exact=True).click()
    manager.locator("#action-text").fill("Start the feedback path")
    manager.locator("#action-owner").select_option("person")
    manager.locator("#action-due_on").fill((date.today() + timedelta(days=30)).isoformat())
    manager.locator("#action-path_action").select_option("enrol")
    manager.locator("#action-path").select_option(label="Feedback and recognition")
    manager.get_by_role("button", name="Agree on this action").click()
    expect(manager.get_by_text("Action agreed.")).to_be_visible()
    manager.get_by_role("button", name="Confirm the check-in happened").click()
    expect(manager.get_by_text("Thank you for confirming.")).to_be_visible()
    expect(manager.locator(".lead")).not_to_contain_text("(held)")  # one side is not enough

    # Confirm: the person enrols as agreed and confirms; now it is held for both.
    person.goto(check_in_url)
    expect(person.locator(".check-in-notes")).to_contain_text("a buddy from Sales it is")
    person.get_by_role("button", name="Confirm: enrol now").click()
    expect(person.get_by_text("Done: the path is on the list.")).to_be_visible()
    person.get_by_role("button", name="Confirm the check-in happened").click()
    expect(person.locator(".lead")).to_contain_text("(held)")
    person.goto("/")
    expect(person.locator("main")).to_contain_text("Feedback and recognition")
    manager.goto(check_in_url)
    expect(manager.locator(".lead")).to_contain_text("(held)")
    expect(manager.locator(".check-in-actions")).to_contain_text("(done)")
