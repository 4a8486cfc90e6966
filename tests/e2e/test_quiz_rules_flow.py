"""The knowledge-check rules in the browser at 375 px, with and without JavaScript: a message at
the unanswered question, a wrong attempt that does not give the answers away, the answers on
request or after the second wrong attempt, and the pass mark that Mark as done follows."""

import os

import pytest
from phone_support import assert_fits, signed_in_page
from playwright.sync_api import expect

from learnpath.extensions import db
from learnpath.modules import authoring, services

SHOTS = os.environ.get("LEARNPATH_SCREENSHOTS")  # a folder: save what the tests saw
SLUG = "quiz-rules-in-the-browser"
SOURCE = """---
title: Quiz rules in the browser
duration: 3
---

Describe what you saw, not who you think someone is.

<quiz>
What comes first?
- [x] The behaviour
> Yes: start with what you saw.
- [ ] Your judgement
> A judgement puts people on the defence.

Behaviour can change; a judgement cannot.
</quiz>

<quiz>
Good feedback is [[specific]].
---
Specific feedback tells someone what to keep doing.
</quiz>
"""


@pytest.fixture(scope="module")
def quiz_module(live_app):
    with live_app.app_context():
        if services.get_module(SLUG) is None:
            authoring.publish(authoring.create_module(SLUG, SOURCE), None)
            db.session.commit()
    return SLUG


def _shot(page, name):
    if SHOTS:
        page.locator("#quiz").screenshot(path=os.path.join(SHOTS, f"{name}.png"))


@pytest.mark.parametrize(("javascript", "email"), [
    (True, "sophie.bos@example.com"), (False, "sem.dijkstra@example.com")], ids=["js", "no-js"])
def test_quiz_rules_at_375(browser, base_url, quiz_module, javascript, email):
    page = signed_in_page(browser, base_url, email, javascript=javascript)
    page.goto(f"/modules/{quiz_module}")
    quiz = page.locator("#quiz")
    done = page.locator("#done")
    expect(quiz.get_by_text("Get 2 of 2 questions right to finish this module.")).to_be_visible()
    expect(done.get_by_role("button", name="Mark as done")).to_have_count(0)

    # Unanswered: a message at the question, the answer given so far kept
    quiz.get_by_label("The behaviour").check()
    quiz.get_by_role("button", name="Check my answers").click()
    expect(quiz.get_by_role("alert")).to_contain_text("1 question has no answer yet.")
    expect(quiz.locator("fieldset").nth(1).locator(".field-error")).to_have_text(
        "Fill in every blank of this question.")
    expect(quiz.get_by_label("The behaviour")).to_be_checked()
    assert_fits(page)
    _shot(page, f"unanswered-375-{'js' if javascript else 'nojs'}")

    # A wrong attempt: the wrong choice and its feedback, not the correct option
    quiz.get_by_label("Your judgement").check()
    quiz.get_by_label("Blank 1").fill("vague")
    quiz.get_by_role("button", name="Check my answers").click()
    expect(quiz.get_by_role("status")).to_contain_text("You answered 0 of 2 questions correctly.")
    expect(quiz.get_by_text("A judgement puts people on the defence.")).to_be_visible()
    expect(quiz.get_by_text("✗ not correct").first).to_be_visible()
    expect(quiz.get_by_text("✓ correct answer")).to_have_count(0)
    expect(quiz.locator(".option-correct")).to_have_count(0)
    expect(quiz.get_by_text("Behaviour can change; a judgement cannot.")).to_have_count(0)
    expect(done).to_contain_text("you need 2 of 2 questions right; your best so far is 0.")
    assert_fits(page)

    if javascript:  # the second wrong attempt reveals
        quiz.get_by_role("button", name="Check my answers again").click()
        expect(quiz.get_by_role("status")).to_contain_text("The correct answers are marked below.")
    else:  # on request
        quiz.get_by_role("button", name="Show the answers").click()
    expect(quiz.get_by_text("✓ correct answer")).to_be_visible()
    expect(quiz.get_by_text("Answer: specific")).to_be_visible()
    expect(quiz.get_by_role("button", name="Show the answers")).to_have_count(0)
    assert_fits(page)

    quiz.get_by_label("The behaviour").check()
    quiz.get_by_label("Blank 1").fill("  Specific ")
    quiz.get_by_role("button", name="Check my answers again").click()
    expect(quiz.get_by_role("status")).to_contain_text("You answered 2 of 2 questions correctly.")
    done.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("You completed this module on")).to_be_visible()
    page.context.close()
