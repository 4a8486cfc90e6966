"""The weekly check-in on a phone (issue 19): an empty Send is said at the question, one
question at a time, and the 0-10 scale on one line at 360 and 375 px."""

import os
import re
import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from phone_support import assert_fits, signed_in_page
from playwright.sync_api import expect

from learnpath.accounts import services as accounts
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db

SHOTS = os.environ.get("LEARNPATH_SCREENSHOTS")  # a folder: save what the tests saw


@pytest.fixture
def person(live_app):
    """A new person, so no other browser test has answered this week's questions yet."""
    email = f"pulse-{uuid.uuid4().hex[:10]}@example.com"
    with live_app.app_context():
        accounts.create_user(email, "Pulse Person", password=DEMO_PASSWORD,
                             roles=("employee",), locale="en")
        db.session.commit()
    return email


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_empty_send_is_said_at_the_question_on_the_home_page(browser, base_url, person,
                                                                javascript):
    page = signed_in_page(browser, base_url, person, javascript=javascript)
    card = page.get_by_role("article", name="Weekly check-in")
    energy = card.get_by_role("group", name=re.compile("Question 1 of 2"))
    expect(energy).to_be_visible()
    expect(card.get_by_role("group", name=re.compile("Question 2 of 2"))).to_be_hidden()

    with page.expect_response(re.compile(r"/pulse$")) as sent:
        card.get_by_role("button", name="Send").click()
    assert sent.value.status == 400
    expect(page.get_by_text("Bad request")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(energy).to_be_visible()
    expect(energy).to_have_accessible_description("Choose a value from 1 to 5.")
    expect(energy.get_by_role("radio").first).to_be_focused()
    _shot(page, f"pulse-error-375-{'js' if javascript else 'nojs'}")
    if javascript:
        violations = Axe().run(page).response["violations"]
        assert [v["id"] for v in violations if v["impact"] in ("critical", "serious")] == []

    energy.get_by_text("Good").click()
    card.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you!")).to_be_visible()
    expect(card.locator(".pulse-answered > summary")).to_contain_text("Your answer: 4 · Good")
    expect(card.get_by_role("group", name=re.compile("Question 1 of 2"))).to_be_hidden()
    expect(card.get_by_role("group", name=re.compile("Question 2 of 2"))).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("width", [360, 375])
def test_the_0_to_10_scale_fits_one_line(browser, base_url, person, width):
    page = signed_in_page(browser, base_url, person, width=width)
    card = page.get_by_role("article", name="Weekly check-in")
    card.get_by_role("button", name="Skip").first.click()  # the energy question: folded away
    enps = card.get_by_role("group", name=re.compile("Question 2 of 2"))
    expect(enps).to_be_visible()
    radios = enps.get_by_role("radio")
    expect(radios).to_have_count(11)
    boxes = [label.bounding_box() for label in enps.locator(".scale label").all()]
    assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one line
    assert boxes[0]["x"] >= 0 and boxes[-1]["x"] + boxes[-1]["width"] <= width
    assert_fits(page, width)
    assert all(box["width"] >= 24 for box in boxes), [b["width"] for b in boxes]
    _shot(page, f"pulse-enps-{width}")
    enps.get_by_text("10", exact=True).click()
    expect(radios.last).to_be_checked()
    page.context.close()


def test_both_questions_show_side_by_side_steps_on_a_wide_screen(browser, base_url, person):
    page = signed_in_page(browser, base_url, person, width=1280)
    card = page.get_by_role("article", name="Weekly check-in")
    expect(card.get_by_role("group", name=re.compile("Question 1 of 2"))).to_be_visible()
    expect(card.get_by_role("group", name=re.compile("Question 2 of 2"))).to_be_visible()
    page.context.close()
