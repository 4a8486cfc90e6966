"""Action plans (issue 22, DESIGN.md section 6b): the prompt when a month closes, the editor
and its bad input, the team's home page, "Did this help?" asked once, and what HR sees."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from learnpath.accounts.models import Team
from learnpath.engagement import plans, snapshots
from learnpath.engagement.activity import local_today
from learnpath.engagement.models import ActionPlan, ActionPlanAnswer
from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion
from learnpath.privacy import services as privacy
from tests.conftest import AuthActions
from tests.test_demo import seed_demo


def _count(model=ActionPlan):
    return db.session.scalar(db.select(db.func.count(model.id)))


@pytest.fixture
def crew(app, make_user, make_team):
    """A manager, five members (k = 5) and the team's closed weeks."""
    manager = make_user(roles=("employee", "manager"), name="Mia Manager")
    members = [make_user(name=f"Member {i}") for i in range(5)]
    team = make_team("Crew", managers=[manager], members=members)
    snapshots.read(snapshots.trend_weeks())
    return manager, members, team


def _client(app, user):
    client = app.test_client()
    response = AuthActions(client).login(user)
    assert response.status_code == 302
    return client


def _form(team, **extra):
    data = {"month": plans.closed_month(team), "focus": "recognition",
            "suggestions": ["thank-you-round"], "own_1": "", "own_2": "", "once": "form-1"}
    data.update(extra)
    return data


def _plan(team, manager, today=None, **extra):
    plan = plans.create_plan(manager, team, plans.closed_month(team, today), "recognition",
                             ["thank-you-round"], [], token="seed", today=today, **extra)
    db.session.commit()
    return plan


def _answer(plan, people, values):
    for person, value in zip(people, values, strict=False):
        db.session.add(ActionPlanAnswer(plan_id=plan.id, user_id=person.id, value=value))
    db.session.commit()


# The prompt and the editor ---------------------------------------------------------------------

def test_the_manager_is_prompted_on_the_team_dashboard_when_a_month_is_closed(app, crew):
    manager, _members, team = crew
    client = _client(app, manager)
    month = plans.closed_month(team)
    assert month
    page = client.get(f"/engagement/teams/{team.id}").get_data(as_text=True)
    assert f"The figures of {month} are in." in page
    assert f"/engagement/teams/{team.id}/plan" in page
    assert "Make an action plan" in client.get("/").get_data(as_text=True)


def test_the_editor_offers_suggestions_linked_to_catalog_modules(app, crew):
    manager, _members, team = crew
    module = Module(slug="recognising-good-work", language="en", status="published",
                    draft_title="Recognising good work")
    db.session.add(module)
    db.session.flush()
    version = ModuleVersion(module_id=module.id, number=1, title="Recognising good work",
                            language="en", duration=5, level="beginner", source="x", html="x",
                            content_hash="h")
    db.session.add(version)
    db.session.flush()
    module.current_version_id = version.id
    db.session.commit()
    page = _client(app, manager).get(f"/engagement/teams/{team.id}/plan?focus=recognition")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "A weekly thank-you round" in html
    assert 'href="/modules/recognising-good-work"' in html


def test_a_manager_makes_a_plan_and_the_team_sees_it_on_home(app, crew):
    manager, members, team = crew
    response = _client(app, manager).post(f"/engagement/teams/{team.id}/plan",
                                          data=_form(team, own_1="Lunch together on Friday"))
    assert response.status_code == 303
    plan = db.session.scalar(db.select(ActionPlan))
    assert (plan.team_id, plan.focus, plan.month) == (team.id, "recognition",
                                                      plans.closed_month(team))
    assert plan.actions == [{"suggestion": "thank-you-round"},
                            {"text": "Lunch together on Friday"}]
    assert plan.follow_up_on == local_today() + timedelta(weeks=4)
    home = _client(app, members[0]).get("/").get_data(as_text=True)
    assert "What Crew is working on" in home
    assert "A weekly thank-you round" in home and "Lunch together on Friday" in home


@pytest.mark.parametrize(("extra", "message"), [
    ({"suggestions": []}, "Choose one or two actions, or write your own."),
    ({"suggestions": [], "own_1": "   "}, "Choose one or two actions, or write your own."),
    ({"own_1": "x" * 201}, "Keep an action under 200 characters."),
    ({"own_1": "One", "own_2": "Two"}, "Choose at most two actions"),
    ({"suggestions": ["stay-conversations"]}, "Choose from the suggestions for this focus."),
])
def test_bad_actions_get_an_inline_error_and_keep_the_input(app, crew, extra, message):
    manager, _members, team = crew
    response = _client(app, manager).post(f"/engagement/teams/{team.id}/plan",
                                          data=_form(team, **extra))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'class="field-error"' in html
    for value in (extra.get("own_1"), extra.get("own_2")):
        if value and value.strip():
            assert f'value="{value}"' in html
    assert _count() == 0


def test_an_unknown_focus_is_refused(app, crew):
    manager, _members, team = crew
    response = _client(app, manager).post(f"/engagement/teams/{team.id}/plan",
                                          data=_form(team, focus="salary"))
    assert response.status_code == 400
    assert _count() == 0


def test_a_plan_for_a_month_that_is_not_closed_is_refused(app, crew):
    manager, _members, team = crew
    this_month = local_today().strftime("%Y-%m")
    response = _client(app, manager).post(f"/engagement/teams/{team.id}/plan",
                                          data=_form(team, month=this_month))
    assert response.status_code == 400
    assert "the figures of this month are not in" in response.get_data(as_text=True)
    assert _count() == 0


def test_a_double_submit_makes_one_plan(app, crew):
    manager, _members, team = crew
    client = _client(app, manager)
    first = client.post(f"/engagement/teams/{team.id}/plan", data=_form(team))
    second = client.post(f"/engagement/teams/{team.id}/plan", data=_form(team))
    assert (first.status_code, second.status_code) == (303, 303)
    assert _count() == 1
    other_form = client.post(f"/engagement/teams/{team.id}/plan",
                             data=_form(team, once="form-2"))
    assert other_form.status_code == 409
    assert "already has an action plan" in other_form.get_data(as_text=True)
    assert _count() == 1


def test_once_a_plan_exists_the_editor_shows_it(app, crew):
    manager, _members, team = crew
    _plan(team, manager)
    page = _client(app, manager).get(f"/engagement/teams/{team.id}/plan").get_data(as_text=True)
    assert "A weekly thank-you round" in page and "Make the plan" not in page
    dashboard = _client(app, manager).get(f"/engagement/teams/{team.id}").get_data(as_text=True)
    assert "Make an action plan" not in dashboard and "A weekly thank-you round" in dashboard


# Who may ---------------------------------------------------------------------------------------

def test_a_manager_of_another_team_cannot_see_or_make_the_plan(app, crew, make_user, make_team):
    _manager, _members, team = crew
    other = make_user(roles=("employee", "manager"))
    make_team("Elsewhere", managers=[other], members=[make_user()])
    client = _client(app, other)
    assert client.get(f"/engagement/teams/{team.id}/plan").status_code == 403
    assert client.post(f"/engagement/teams/{team.id}/plan", data=_form(team)).status_code == 403
    assert client.get("/engagement/teams/99999/plan").status_code == 404
    assert _count() == 0


def test_employees_and_hr_cannot_make_plans(app, crew, make_user):
    _manager, members, team = crew
    for person in (members[0], make_user(roles=("employee", "hr"))):
        client = _client(app, person)
        assert client.get(f"/engagement/teams/{team.id}/plan").status_code == 403
        assert client.post(f"/engagement/teams/{team.id}/plan",
                           data=_form(team)).status_code == 403
    assert _count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(app, crew):
    _manager, _members, team = crew
    client = app.test_client()
    assert client.get(f"/engagement/teams/{team.id}/plan").status_code in (302, 401)
    assert client.post(f"/engagement/teams/{team.id}/plan").status_code in (302, 401)
    assert client.post("/engagement/plans/1/follow-up").status_code in (302, 401)


# Did this help? --------------------------------------------------------------------------------

def test_the_team_is_asked_once_four_weeks_later(app, crew):
    manager, members, team = crew
    plan = _plan(team, manager, today=local_today() - timedelta(weeks=4))
    client = _client(app, members[0])
    assert "Did this help?" in client.get("/").get_data(as_text=True)
    url = f"/engagement/plans/{plan.id}/follow-up"
    assert client.post(url, data={"value": "2"}).status_code == 303
    again = client.post(url, data={"value": "0"}, follow_redirects=True)
    assert "your first answer counts" in again.get_data(as_text=True)
    answers = db.session.scalars(db.select(ActionPlanAnswer)).all()
    assert [(a.user_id, a.value) for a in answers] == [(members[0].id, 2)]
    assert "Did this help?" not in client.get("/").get_data(as_text=True)
    assert "Did this help?" in _client(app, members[1]).get("/").get_data(as_text=True)


def test_the_question_is_not_asked_before_four_weeks_or_after_it_closed(app, crew):
    manager, members, team = crew
    plan = _plan(team, manager)
    client = _client(app, members[0])
    assert "Did this help?" not in client.get("/").get_data(as_text=True)
    response = client.post(f"/engagement/plans/{plan.id}/follow-up", data={"value": "1"})
    assert response.status_code == 400
    plan.follow_up_on = local_today() - timedelta(weeks=3)
    db.session.commit()
    assert "Did this help?" not in client.get("/").get_data(as_text=True)
    assert client.post(f"/engagement/plans/{plan.id}/follow-up",
                       data={"value": "1"}).status_code == 400
    assert _count(ActionPlanAnswer) == 0


def test_only_team_members_answer_and_bad_values_are_refused(app, crew, make_user):
    manager, members, team = crew
    plan = _plan(team, manager, today=local_today() - timedelta(weeks=4))
    url = f"/engagement/plans/{plan.id}/follow-up"
    assert _client(app, make_user()).post(url, data={"value": "2"}).status_code == 404
    assert _client(app, manager).post(url, data={"value": "2"}).status_code == 404
    member = _client(app, members[0])
    assert member.post("/engagement/plans/99999/follow-up",
                       data={"value": "2"}).status_code == 404
    for bad in ("", "3", "yes"):
        assert member.post(url, data={"value": bad}).status_code == 400
    assert _count(ActionPlanAnswer) == 0


# What managers and HR see ----------------------------------------------------------------------

def _closed_plan(team, manager):
    return _plan(team, manager, today=local_today() - timedelta(weeks=6))


def test_hr_sees_not_enough_answers_below_the_threshold(app, crew, make_user):
    manager, members, team = crew
    _answer(_closed_plan(team, manager), members[:4], [2, 2, 1, 0])
    page = _client(app, make_user(roles=("employee", "hr"))).get("/engagement/hr")
    html = page.get_data(as_text=True)
    assert "Recognition" in html and "not enough answers" in html
    assert "% yes" not in html


def test_hr_sees_the_team_total_never_who_answered(app, crew, make_user):
    manager, members, team = crew
    _answer(_closed_plan(team, manager), members, [2, 2, 2, 1, 0])
    html = _client(app, make_user(roles=("employee", "hr"))).get("/engagement/hr") \
        .get_data(as_text=True)
    assert "60% yes, 20% a little, 20% no" in html and "5 answers" in html
    for person in members:
        assert person.display_name not in html
    dashboard = _client(app, manager).get(f"/engagement/teams/{team.id}").get_data(as_text=True)
    assert "60% yes, 20% a little, 20% no" in dashboard


def test_while_the_question_is_open_no_total_is_shown(app, crew, make_user):
    manager, members, team = crew
    _answer(_plan(team, manager, today=local_today() - timedelta(weeks=4)), members,
            [2, 2, 2, 1, 0])
    html = _client(app, make_user(roles=("employee", "hr"))).get("/engagement/hr") \
        .get_data(as_text=True)
    assert "being asked" in html and "% yes" not in html


def test_hr_sees_which_teams_have_no_plan(app, crew, make_user):
    html = _client(app, make_user(roles=("employee", "hr"))).get("/engagement/hr") \
        .get_data(as_text=True)
    assert re.search(r">\s*Crew\s*<", html) and "no plan" in html


def test_the_threshold_follows_the_setting(app, crew):
    manager, members, team = crew
    plan = _closed_plan(team, manager)
    _answer(plan, members[:3], [2, 1, 0])
    app.config["ANONYMITY_THRESHOLD"] = 3
    assert plans.follow_ups([plan])[plan.id].state == "shown"
    app.config["ANONYMITY_THRESHOLD"] = 5
    assert plans.follow_ups([plan])[plan.id].state == "too_few"


# Personal data ---------------------------------------------------------------------------------

def test_answers_and_plans_are_exported_and_erased(app, crew):
    manager, members, team = crew
    plan = _plan(team, manager, today=local_today() - timedelta(weeks=4))
    _answer(plan, members[:1], [1])
    exported = privacy.export_person(members[0])
    assert exported["action_plan_answers"][0]["did_it_help"] == "a little"
    assert privacy.export_person(manager)["action_plans_made"][0]["focus"] == "recognition"
    assert "action_plan_answers" not in privacy.export_person(members[1]) or \
        privacy.export_person(members[1])["action_plan_answers"] == []
    privacy.erase_person(members[0])
    privacy.erase_person(manager)
    db.session.commit()
    answer = db.session.scalar(db.select(ActionPlanAnswer))
    assert answer.user_id is None and answer.value == 1
    kept = db.session.get(ActionPlan, plan.id)
    assert kept.created_by_id is None and kept.focus == "recognition"


def test_after_the_retention_period_answers_are_no_longer_linked_to_anyone(app, crew):
    manager, members, team = crew
    plan = _closed_plan(team, manager)
    _answer(plan, members, [2, 2, 2, 1, 0])
    db.session.execute(db.update(ActionPlanAnswer).values(
        answered_at=datetime.now(UTC) - timedelta(days=800)))
    db.session.commit()
    privacy.prune(24)
    db.session.commit()
    assert db.session.scalars(db.select(ActionPlanAnswer.user_id)).all() == [None] * 5
    assert plans.follow_ups([plan])[plan.id].answers == 5


def test_a_team_without_closed_figures_gets_no_prompt_and_no_plan(app, make_user, make_team):
    manager = make_user(roles=("employee", "manager"))
    team = make_team("Project X", managers=[manager])  # nobody's primary team
    client = _client(app, manager)
    page = client.get(f"/engagement/teams/{team.id}/plan")
    assert page.status_code == 200 and "no closed figures yet" in page.get_data(as_text=True)
    assert "Make an action plan" not in client.get("/").get_data(as_text=True)
    response = client.post(f"/engagement/teams/{team.id}/plan",
                           data={"month": "2026-10", "focus": "voice",
                                 "suggestions": ["short-retro"], "once": "f"})
    assert response.status_code == 400
    assert _count() == 0


# The demo --------------------------------------------------------------------------------------

def test_the_demo_has_a_team_with_an_action_plan_and_its_follow_up_figure(app):
    seed_demo()
    plan = db.session.scalar(db.select(ActionPlan))
    assert plan is not None and plan.focus == "recognition"
    follow_up = plans.follow_ups([plan])[plan.id]
    assert follow_up.state == "shown" and follow_up.answers >= 5
    figures = plans.missing_plans(db.session.scalars(db.select(Team)).all())
    assert {team.name for team, _month in figures} >= {"Customer Success"}
