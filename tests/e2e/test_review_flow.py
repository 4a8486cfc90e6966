"""A daily review on a phone (375 px, no JavaScript): the home offer, a wrong answer with its
feedback and module, a right one, and the end of today's review."""

from datetime import timedelta

from phone_support import assert_fits
from playwright.sync_api import expect
from sqlalchemy import select

from learnpath.accounts import services as accounts
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db
from learnpath.modules.models import Module
from learnpath.reviews import services as reviews
from learnpath.reviews.questions import questions_of

EMAIL = "reviewer@example.com"


def _person_with_due_cards(app, count=2):
    """A person who answered a module's questions two days ago (the clock, moved back)."""
    with app.app_context():
        person = accounts.create_user(EMAIL, "Robin Reviewer", password=DEMO_PASSWORD,
                                      roles=("employee",), locale="en")
        def single(module):
            return [q for q in questions_of(module.current_version) if not q.multiple]

        module = next(m for m in db.session.scalars(
            select(Module).where(Module.status == "published", Module.language == "en")
            .order_by(Module.slug)) if len(single(m)) >= count)
        questions = single(module)[:count]
        # One card after another: the first is due a minute before the second.
        for i, question in enumerate(questions):
            reviews.add_cards(person, module.current_version, [question.key],
                              at=reviews.now() - timedelta(days=2) + timedelta(minutes=i))
        person.daily_reviews = count
        db.session.commit()
        right = [sorted(q.question.correct_indexes())[0] for q in questions]
        return module.slug, module.current_version.title, right


def test_a_review_on_a_phone_without_javascript(browser, base_url, live_app):
    slug, title, right = _person_with_due_cards(live_app)
    context = browser.new_context(base_url=base_url, java_script_enabled=False,
                                  viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("2 questions from your modules are ready")).to_be_visible()
    assert_fits(page)
    page.get_by_role("button", name="Review (2 min)").click()
    expect(page.get_by_text("Question 1 of today's 2")).to_be_visible()
    assert_fits(page)

    page.get_by_role("button", name="Check").click()  # nothing chosen
    expect(page.get_by_role("alert")).to_have_text("Choose an answer first.")

    # A wrong answer, tapped (the whole option is the target).
    page.locator("label.option").nth(1 if right[0] == 0 else 0).click()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="Not quite.")).to_be_visible()
    expect(page.get_by_text("✗ your answer")).to_be_visible()
    expect(page.get_by_text("✓ correct answer")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_have_attribute("href", f"/modules/{slug}")
    assert_fits(page)
    page.get_by_role("button", name="Next question").click()

    # A right answer, with the keyboard only: Space picks the option, Enter sends.
    expect(page.get_by_text("Question 2 of today's 2")).to_be_visible()
    page.locator("input[name=option]").nth(right[1]).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Right!")).to_be_visible()
    expect(page.get_by_text("That was today's review: 2 questions. See you tomorrow.")
           ).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("button", name="Review (2 min)")).to_have_count(0)
    context.close()
