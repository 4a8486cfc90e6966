"""axe-core on every page of every role, at 375 and 1280 px: 0 critical and 0 serious
violations (issue 19). One browser context per role keeps the run short. The second half checks
the states a learner reaches only by sending a form (a wrong answer, a passed check, a review,
the weekly check-in with an error)."""

import re
import uuid
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from phone_support import signed_in_page
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from learnpath.accounts import services as accounts
from learnpath.accounts.models import Team, TeamMembership, User
from learnpath.conversations import services as conversations
from learnpath.conversations.models import CheckIn
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db
from learnpath.modules import authoring, services
from learnpath.modules.models import Module
from learnpath.paths.enrolments import today
from learnpath.paths.models import GrowthPath
from learnpath.reviews import services as reviews
from learnpath.reviews.questions import questions_of
from learnpath.skills.models import Skill

WIDTHS = (375, 1280)
BLOCKING = ("critical", "serious")
_axe = Axe()


def _a_check_in(app) -> int:
    """The demo manager's check-in with the demo employee (planned here when there is none)."""
    found = db.session.scalar(select(CheckIn.id).order_by(CheckIn.id))
    if found is None:
        manager, person = (db.session.scalar(select(User).where(User.email == email))
                           for email in ("manager@example.com", "employee@example.com"))
        found = conversations.schedule(manager, person, "stay", today() + timedelta(days=3),
                                       today()).id
        db.session.commit()
    return found


def _objects(app) -> dict:
    """Slugs and ids of demo objects whose pages take one."""
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.status == "published")
                                   .order_by(Module.id))
        quiz_module = next(m for m in db.session.scalars(
            select(Module).where(Module.status == "published").order_by(Module.id))
            if m.current_version and m.current_version.questions)
        return {
            "module": module.slug, "quiz": quiz_module.slug,
            "path": db.session.scalar(select(GrowthPath.slug).order_by(GrowthPath.id)),
            "skill": db.session.scalar(select(Skill.slug).order_by(Skill.id)),
            "team": db.session.scalar(select(Team.id).order_by(Team.id)),
            "user": db.session.scalar(select(User.id).where(User.email == "employee@example.com")),
            "check_in": _a_check_in(app),
            "managed": db.session.scalar(
                select(TeamMembership.team_id).join(User, User.id == TeamMembership.user_id)
                .where(User.email == "manager@example.com", TeamMembership.kind == "manager")
                .order_by(TeamMembership.team_id)),
        }


def _pages(role: str, o: dict) -> list[str]:
    return {
        "employee": ["/", "/modules", f"/modules/{o['module']}", f"/modules/{o['quiz']}",
                     "/modules/writing-a-clear-email",
                     "/paths", f"/paths/{o['path']}", "/skills", "/kudos", "/check-ins",
                     "/engagement/me", "/engagement/how", "/profile", "/profile/password",
                     "/privacy/", "/developers", "/reviews"],
        "manager": ["/", "/manager", "/engagement/teams", "/check-ins",
                    f"/check-ins/{o['check_in']}", f"/engagement/teams/{o['managed']}/plan"],
        "author": ["/author/", "/author/new", "/author/upload", f"/author/{o['module']}/edit",
                   f"/author/{o['module']}/history", f"/author/{o['module']}/stats",
                   "/author/paths/", "/author/paths/new", f"/author/paths/{o['path']}/edit",
                   "/author/paths/skills/", "/author/paths/skills/new",
                   f"/author/paths/skills/{o['skill']}/edit", f"/author/{o['module']}/diff",
                   "/author/write", f"/author/{o['module']}/write", "/author/check-in-templates/",
                   "/author/check-in-templates/new"],
        "hr": ["/", "/hr", "/engagement/hr"],
        "admin": ["/admin/", "/admin/users", "/admin/users/new", f"/admin/users/{o['user']}",
                  "/admin/users/import", "/admin/teams", f"/admin/teams/{o['team']}",
                  "/admin/scim", "/admin/xapi/", "/privacy/settings", "/privacy/audit"],
    }[role]


def _blocking(page) -> list[str]:
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(" ".join(n["target"]) if isinstance(n["target"][0], str)
                        else str(n["target"]) for n in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def _check(page, paths) -> list[str]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            response = page.goto(path)
            assert response.status < 400, (path, response.status)
            found += [f"{path} at {width} px: {problem}" for problem in _blocking(page)]
    return found


@pytest.mark.parametrize("role", ["employee", "manager", "author", "hr", "admin"])
def test_no_serious_or_critical_violations_on_the_pages_of(browser: Browser, base_url,
                                                           live_app, role):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail address").fill(f"{role}@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    found = _check(page, _pages(role, _objects(live_app)))
    context.close()
    assert found == [], "\n".join(found)


def test_no_serious_or_critical_violations_before_signing_in(browser: Browser, base_url):
    context = browser.new_context(base_url=base_url)
    found = _check(context.new_page(), ["/login", "/password/forgot"])
    context.close()
    assert found == [], "\n".join(found)


# After a POST --------------------------------------------------------------------------------
# The states a learner reaches by sending a form, which no GET shows: the knowledge check after
# a wrong answer (its feedback and "Show the answers"), the module after passing (the finish
# panel), a review question answered wrongly, and the weekly check-in sent without a choice.
# Each at 375 and 1280 px, reached at that width by a new person who has not answered yet.

AXE_SLUG = "axe-after-answers"
AXE_SOURCE = """---
title: Axe after answers
language: en
duration: 3
---

Describe what you saw, not who you think someone is.

## Behaviour first

Start with what happened: the words, the moment.

## Then the effect

Say what it did, and ask what the other person saw.

<quiz>
What comes first?
- [x] The behaviour
> Yes: start with what you saw.
- [ ] Your judgement
> A judgement puts people on the defence.

Behaviour can change; a judgement cannot.
</quiz>

<quiz>
Which help the other person listen?
- [x] A concrete example
> Examples make it real.
- [ ] A label for their character
> Labels close the conversation.
- [x] A question about their view
</quiz>

<quiz>
Good feedback is [[specific]].
---
Specific feedback tells someone what to keep doing.
</quiz>
"""


@pytest.fixture(scope="module")
def axe_module(live_app) -> str:
    with live_app.app_context():
        if services.get_module(AXE_SLUG) is None:
            authoring.publish(authoring.create_module(AXE_SLUG, AXE_SOURCE), None)
            db.session.commit()
    return AXE_SLUG


def _new_person(app, cards_of: str | None = None) -> str:
    """A new employee (nothing answered yet); with cards_of, its choice questions are due for
    review (added two days ago)."""
    email = f"axe-{uuid.uuid4().hex[:10]}@example.com"
    with app.app_context():
        person = accounts.create_user(email, "Axe Person", password=DEMO_PASSWORD,
                                      roles=("employee",), locale="en")
        if cards_of:
            version = services.get_module(cards_of).current_version
            for i, question in enumerate(questions_of(version)):
                reviews.add_cards(person, version, [question.key],
                                  at=reviews.now() - timedelta(days=2, minutes=-i))
        db.session.commit()
    return email


def _answer_quiz(page, right: bool) -> None:
    """Answer every question of the axe module, all right or all wrong, and send."""
    quiz = page.locator("#quiz")
    expect(quiz).to_be_visible()  # on a phone, #quiz opens the last card
    quiz.get_by_label("The behaviour" if right else "Your judgement").check()
    quiz.get_by_label("A concrete example").check()
    quiz.get_by_label("A question about their view" if right
                      else "A label for their character").check()
    quiz.get_by_label("Blank 1").fill("specific" if right else "vague")
    quiz.get_by_role("button", name="Check my answers").click()


def _axe_at(page, width: int, what: str) -> list[str]:
    page.wait_for_load_state("load")
    return [f"{what} at {width} px: {problem}" for problem in _blocking(page)]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_knowledge_check_after_a_wrong_answer(browser, base_url, live_app, axe_module,
                                                  width):
    page = signed_in_page(browser, base_url, _new_person(live_app), width=width)
    page.goto(f"/modules/{axe_module}#quiz")
    _answer_quiz(page, right=False)
    quiz = page.locator("#quiz")
    expect(quiz.get_by_role("status")).to_contain_text("You answered 0 of 3 questions correctly.")
    expect(quiz.get_by_text("A judgement puts people on the defence.")).to_be_visible()
    expect(quiz.get_by_text("✗ not correct").first).to_be_visible()
    expect(quiz.get_by_role("button", name="Show the answers")).to_be_visible()
    found = _axe_at(page, width, "knowledge check, wrong answer")
    quiz.get_by_role("button", name="Show the answers").click()  # the answers, revealed
    expect(quiz.get_by_text("✓ correct answer").first).to_be_visible()
    expect(quiz.get_by_text("Answer: specific")).to_be_visible()
    found += _axe_at(page, width, "knowledge check, answers shown")
    page.context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_module_after_passing_with_its_finish_panel(browser, base_url, live_app, axe_module,
                                                         width):
    page = signed_in_page(browser, base_url, _new_person(live_app), width=width)
    page.goto(f"/modules/{axe_module}#quiz")
    _answer_quiz(page, right=True)
    expect(page.locator("#quiz").get_by_role("status")).to_contain_text(
        "You answered 3 of 3 questions correctly.")
    found = _axe_at(page, width, "knowledge check, passed")
    page.locator("#done").get_by_role("button", name="Mark as done").click()
    finish = page.locator("#finish")
    expect(finish.get_by_role("heading", name="Well done: you finished this module")
           ).to_be_visible()
    expect(finish.get_by_role("heading", name="Give kudos")).to_be_visible()
    found += _axe_at(page, width, "module finished")
    page.context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_review_question_after_answering(browser, base_url, live_app, axe_module, width):
    page = signed_in_page(browser, base_url, _new_person(live_app, cards_of=axe_module),
                          width=width)
    page.goto("/reviews")
    page.get_by_role("button", name="Check").click()  # nothing chosen: the inline error
    expect(page.get_by_role("alert")).to_have_text("Choose an answer first.")
    found = _axe_at(page, width, "review, no answer")
    page.get_by_label("Your judgement").check()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="Not quite.")).to_be_visible()
    expect(page.get_by_text("✗ your answer")).to_be_visible()
    expect(page.get_by_text("Behaviour can change; a judgement cannot.")).to_be_visible()
    found += _axe_at(page, width, "review, wrong answer")
    page.context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_weekly_check_in_with_an_inline_error(browser, base_url, live_app, width):
    page = signed_in_page(browser, base_url, _new_person(live_app), width=width)
    card = page.get_by_role("article", name="Weekly check-in")
    energy = card.get_by_role("group", name=re.compile("Question 1 of 2"))
    with page.expect_response(re.compile(r"/pulse$")) as sent:
        card.get_by_role("button", name="Send").first.click()  # the first question's
    assert sent.value.status == 400
    expect(energy).to_have_accessible_description("Choose a value from 1 to 5.")
    found = _axe_at(page, width, "weekly check-in, sent empty")
    page.context.close()
    assert found == [], "\n".join(found)
