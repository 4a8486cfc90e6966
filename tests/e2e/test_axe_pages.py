"""axe-core on every page of every role, at 375 and 1280 px: 0 critical and 0 serious
violations (issue 19). One browser context per role keeps the run short."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from learnpath.accounts.models import Team, TeamMembership, User
from learnpath.conversations import services as conversations
from learnpath.conversations.models import CheckIn
from learnpath.demo import DEMO_PASSWORD
from learnpath.extensions import db
from learnpath.modules.models import Module
from learnpath.paths.enrolments import today
from learnpath.paths.models import GrowthPath
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
