"""Engagement dashboards: figures from SQL, thresholds, permissions, bounded queries, CSV.

Data is seeded directly with the models (completions, pulse answers, kudos, enrolments), at
moments computed from the organisation's time zone, so the week a row belongs to is certain.
"""

import csv
import io
import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from learnpath.accounts import services as accounts
from learnpath.engagement import aggregates, snapshots
from learnpath.engagement import indicator as ind
from learnpath.engagement.aggregates import plan_visibility
from learnpath.engagement.models import Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.paths.models import Enrolment, GrowthPath, PathStep

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 25)  # a Wednesday in 2026-W48: teams report 2026-W47, eNPS 2026-10
REF = ind.week_containing(TODAY - timedelta(weeks=1), AMS)  # the week team figures end with
_serial = itertools.count(1)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A local wall-clock moment in Amsterdam, as the UTC instant the app stores."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMS).astimezone(UTC)


def people(count: int, active=True) -> list:
    """People without passwords (fast), committed."""
    created = []
    for _ in range(count):
        n = next(_serial)
        user = accounts.create_user(f"eng{n}@example.com", f"Member {n}", roles=("employee",))
        if not active:
            accounts.set_active(user, False)
        created.append(user)
    db.session.commit()
    return created


def team_of(members, managers=(), name=None):
    team = accounts.create_team(name or f"Team {next(_serial)}")
    for person in managers:
        accounts.add_to_team(team, person, "manager")
    for person in members:
        accounts.add_to_team(team, person, "member")
    db.session.commit()
    return team


def modules(count: int) -> list[Module]:
    rows = []
    for _ in range(count):
        n = next(_serial)
        module = Module(slug=f"m-{n}", language="en", status="published", draft_title=f"M {n}")
        db.session.add(module)
        db.session.flush()
        version = ModuleVersion(module_id=module.id, number=1, title=f"M {n}", language="en",
                                duration=5, level="beginner", source="x", html="x",
                                content_hash=str(n))
        db.session.add(version)
        db.session.flush()
        module.current_version_id = version.id
        rows.append(module)
    db.session.commit()
    return rows


def complete(user, module, when: datetime):
    db.session.add(Completion(user_id=user.id, module_id=module.id,
                              version_id=module.current_version_id, completed_at=when))


def energy(user, week: ind.Week, value: int):
    db.session.add(PulseAnswer(user_id=user.id, question="energy", period=week.label,
                               value=value, answered_at=at(week.monday + timedelta(days=1))))


def enps(user, month: str, value: int):
    year, number = (int(part) for part in month.split("-"))
    db.session.add(PulseAnswer(user_id=user.id, question="enps", period=month, value=value,
                               answered_at=at(date(year, number, 10))))


def kudos(giver, receiver, when: datetime):
    db.session.add(Kudos(from_id=giver.id if giver else None, to_id=receiver.id,
                         message="Thanks!", created_at=when))


def path_with(steps, optional=()) -> GrowthPath:
    n = next(_serial)
    path = GrowthPath(slug=f"p-{n}", title_nl=f"Pad {n}", title_en=f"Path {n}")
    db.session.add(path)
    db.session.flush()
    for position, module in enumerate([*steps, *optional]):
        db.session.add(PathStep(path_id=path.id, module_id=module.id, position=position,
                                optional=module in optional))
    db.session.commit()
    return path


def enrol(user, path, enrolled_at, due=None, state="active", ended_at=None):
    db.session.add(Enrolment(
        user_id=user.id, path_id=path.id, source="self", state=state, due_date=due,
        enrolled_at=enrolled_at, completed_at=ended_at if state == "completed" else None,
        withdrawn_at=ended_at if state == "withdrawn" else None))


def weeks_back(n: int, today: date = TODAY) -> ind.Week:
    """The week n weeks before the week of `today`."""
    return ind.week_containing(today - timedelta(weeks=n), AMS)


# A person's own figures ------------------------------------------------------------------------


def test_person_figures_hand_worked_example(app):
    """Rhythm 50, Progress absent, Voice 75, Recognition 100: (20 + 15 + 10) / 0.7 = 64."""
    me, colleague = people(2)
    m1, m2, m3 = modules(3)
    complete(me, m1, at(weeks_back(0).monday))
    complete(me, m2, at(weeks_back(2).monday + timedelta(days=3)))
    complete(me, m3, at(weeks_back(2).monday + timedelta(days=4)))  # same week: counts once
    energy(me, weeks_back(3), 1)
    energy(me, weeks_back(1), 4)  # the latest answer in the window wins
    kudos(me, colleague, at(weeks_back(1).monday))
    kudos(colleague, me, at(weeks_back(3).monday))
    kudos(colleague, me, at(weeks_back(4).sunday, 20))  # before the window
    db.session.commit()

    figures = aggregates.person_figures(me.id, TODAY)
    assert figures.current.components == {"rhythm": 50, "progress": None, "voice": 75,
                                          "recognition": 100}
    assert (figures.current.value, figures.current.band) == (64, "neutral")
    assert (figures.completion_weeks, figures.kudos, figures.energy) == (2, 2, 4)
    assert len(figures.trend) == 12 and figures.trend[-1][0].label == "2026-W48"
    # Colleague's figures are separate: one given, two received in the window? No: one
    # received (week -1) and one given in the window (week -3); the older one falls outside.
    other = aggregates.person_figures(colleague.id, TODAY)
    assert other.kudos == 2 and other.current.components["voice"] is None


def test_week_boundary_follows_the_organisation_clock(app):
    """Sunday 23:30 local belongs to that week; Monday 00:30 local to the next (UTC differs)."""
    late, early = people(2)
    m1, m2 = modules(2)
    sunday = weeks_back(4).sunday  # the week just before the current 4-week window
    complete(late, m1, at(sunday, 23, 30))  # 22:30 UTC Sunday
    complete(early, m2, at(sunday + timedelta(days=1), 0, 30))  # 23:30 UTC Sunday
    db.session.commit()

    late_figures = aggregates.person_figures(late.id, TODAY)
    early_figures = aggregates.person_figures(early.id, TODAY)
    assert late_figures.current is None  # out of the window: no signal, not 0
    assert late_figures.trend[-2][1].components["rhythm"] == 25  # window one week earlier
    assert early_figures.current.components["rhythm"] == 25


def test_person_progress_uses_required_steps_and_the_plan(app):
    me = people(1)[0]
    steps = modules(4)
    extra = modules(1)
    planned = path_with(steps, optional=extra)
    open_path = path_with(modules(2))
    start = weeks_back(0).monday - timedelta(days=20)
    # 40 days from enrolment to due date; today is day 22 (Wednesday): 4 * 22/40 = 2.2 expected.
    enrol(me, planned, at(start, 9), due=start + timedelta(days=40))
    enrol(me, open_path, at(start, 9))
    complete(me, steps[0], at(start + timedelta(days=1)))
    complete(me, extra[0], at(start + timedelta(days=2)))  # optional: does not count
    db.session.commit()

    figures = aggregates.person_figures(me.id, TODAY)
    lines = {line.title_en: line for line in figures.paths}
    assert lines[planned.title_en].done == 1 and lines[planned.title_en].required == 4
    assert lines[planned.title_en].value == pytest.approx(100 / 2.2)
    assert lines[open_path.title_en].value == 0  # no due date and no step in the window
    assert figures.current.components["progress"] == pytest.approx((100 / 2.2 + 0) / 2)


def test_completed_and_withdrawn_paths_leave_progress(app):
    me = people(1)[0]
    path_a, path_b = path_with(modules(1)), path_with(modules(1))
    enrol(me, path_a, at(TODAY - timedelta(days=90)), state="completed",
          ended_at=at(weeks_back(2).monday))
    enrol(me, path_b, at(TODAY - timedelta(days=90)), state="withdrawn",
          ended_at=at(weeks_back(5).monday))
    db.session.commit()
    figures = aggregates.person_figures(me.id, TODAY)
    # Finished in the window: on plan (finishing never lowers it); the withdrawn one is gone.
    assert figures.current.components["progress"] == 100
    assert figures.trend[-4][1].components["progress"] == 0  # A active, no step, B withdrawn
    # Before B was withdrawn both counted (no due date, no step: 0 each).
    assert figures.trend[-8][1].components["progress"] == 0


# Visibility: the threshold and the subtraction rule --------------------------------------------


@pytest.mark.parametrize("counts,hidden", [
    # Every team big enough: nothing hidden.
    ({"a": 5, "b": 6, "c": 9}, {}),
    # One team too small: the next smallest goes too.
    ({"a": 3, "b": 6, "c": 5}, {"a": "too_few", "c": "subtraction"}),
    # Two teams too small: their sum is not one team's figure; nothing more is hidden.
    ({"a": 3, "b": 4, "c": 5, "d": 7}, {"a": "too_few", "b": "too_few"}),
    # Empty teams have nothing to protect and trigger nothing.
    ({"a": 0, "b": 6, "c": 5}, {"a": "none"}),
    # Ties: the first by key goes.
    ({"a": 2, "b": 5, "c": 5}, {"a": "too_few", "b": "subtraction"}),
    # The only other team goes too, leaving nothing shown.
    ({"a": 1, "b": 8}, {"a": "too_few", "b": "subtraction"}),
])
def test_plan_visibility_people(counts, hidden):
    plan = plan_visibility({key: {"people": n} for key, n in counts.items()}, k=5)
    assert {key: p["people"] for key, p in plan.items() if p["people"]} == hidden


def test_plan_visibility_applies_per_metric_and_cascades_from_the_team():
    counts = {
        "a": {"people": 8, "enps": 3, "voice": 8, "progress": 6},
        "b": {"people": 9, "enps": 6, "voice": 8, "progress": 7},
        "c": {"people": 12, "enps": 9, "voice": 7, "progress": 5},
        "d": {"people": 3, "enps": 3, "voice": 3, "progress": 0},
    }
    plan = plan_visibility(counts, k=5)
    assert plan["d"] == {"people": "too_few", "progress": "group_hidden", "voice": "group_hidden",
                         "enps": "group_hidden"}
    assert plan["a"]["people"] == "subtraction"  # next smallest team after d
    # eNPS: d (hidden with the team) and a; two hidden, nothing more.
    assert plan["b"]["enps"] is None and plan["c"]["enps"] is None
    # Progress: d has nobody on a path; a is hidden (with the team) with 6 people -> one
    # exposed figure, so the smallest shown (c, 5) goes too.
    assert plan["c"]["progress"] == "subtraction" and plan["b"]["progress"] is None


# Team and organisation figures -----------------------------------------------------------------


def _active_team(size, energy_value=4, completions=True, enps_values=()):
    members = people(size)
    mods = modules(1)
    for i, person in enumerate(members):
        if completions and i % 2 == 0:
            complete(person, mods[0], at(REF.monday + timedelta(days=2)))
        if energy_value is not None:
            energy(person, REF, energy_value)
    month = aggregates.enps_month_for(TODAY)
    for person, value in zip(members, enps_values, strict=False):
        enps(person, month, value)
    db.session.commit()
    return members


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_team_figures_means_bands_participation_and_enps(app):
    members = _active_team(6, enps_values=[10, 9, 9, 8, 3, 0])
    kudos(members[1], members[3], at(REF.monday))
    db.session.commit()
    team = team_of(members)
    [group] = aggregates.team_figures([team], TODAY)
    assert group.shown and group.week.label == REF.label and group.people == 6
    # Members 0, 2, 4 learned (Rhythm 25); everyone Voice 75; members 1 and 3 one kudos.
    # With Rhythm, Voice, Recognition: (0.4*25 + 0.2*75 + 0.1*50) / 0.7 = 42.9 -> 43, or
    # without kudos (10 + 15) / 0.7 = 35.7 -> 36; (0.4*0 + 15 + 5) / 0.7 = 28.6 -> 29; 21.4 -> 21.
    indicators = [36, 29, 36, 29, 36, 21]
    assert group.indicator.value == ind.round_half_up(sum(indicators) / 6)
    assert group.components["rhythm"].value == ind.round_half_up(3 * 25 / 6)
    assert group.components["voice"].value == 75
    assert group.components["recognition"].value == ind.round_half_up(2 * 50 / 6)
    assert group.components["progress"].hidden == "none"
    assert group.bands.value == {"engaged": (0, 0), "neutral": (0, 0), "at_risk": (6, 100)}
    assert (group.learning.value, group.pulse.value) == (50, 100)
    assert group.enps.value.score == ind.round_half_up(100 * (3 - 2) / 6)
    assert len(group.trend) == 12 and group.trend[-1][0].label == REF.label


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_small_team_is_hidden_with_the_reason(app):
    team = team_of(_active_team(3))
    [group] = aggregates.team_figures([team], TODAY)
    assert not group.shown and group.hidden == "too_few"
    assert group.indicator.value is None
    # Hidden weeks are gaps, never zeros.
    assert len(group.trend) == 12 and all(value is None for _week, value in group.trend)


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_inactive_members_do_not_count(app):
    team = team_of(_active_team(4) + people(2, active=False))
    [group] = aggregates.team_figures([team], TODAY)
    assert group.people == 4 and group.hidden == "too_few"


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_enps_and_voice_need_k_answers_of_their_own(app):
    members = _active_team(8, energy_value=None, enps_values=[10, 9, 3, 10])
    for person in members[:4]:
        energy(person, REF, 5)
    db.session.commit()
    [group] = aggregates.team_figures([team_of(members)], TODAY)
    assert group.shown and group.indicator.value is not None
    assert group.enps.hidden == "too_few" and group.enps.value is None
    assert group.components["voice"].hidden == "too_few"
    assert group.pulse.value == 50  # participation is a share of the whole team


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_subtraction_rule_hides_the_next_smallest_team_everywhere(app):
    small = team_of(_active_team(3), name="Small")
    middle = team_of(_active_team(5), name="Middle")
    large = team_of(_active_team(7), name="Large")
    org = aggregates.organisation_figures(TODAY)
    by_name = {g.name: g for g in org.teams}
    assert by_name["Small"].hidden == "too_few"
    assert by_name["Middle"].hidden == "subtraction"
    assert by_name["Large"].shown
    assert org.total.shown and org.total.people == 15
    # The manager of Middle sees it hidden too, for the same reason.
    [group] = aggregates.team_figures([middle], TODAY)
    assert group.hidden == "subtraction"
    assert aggregates.team_figures([large, small], TODAY)[0].shown


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_subtraction_rule_per_figure_on_the_hr_pages(app):
    """One team's eNPS is hidden (3 answers): the next smallest eNPS is hidden for HR."""
    team_of(_active_team(8, enps_values=[10, 9, 3]), name="Few answers")
    team_of(_active_team(9, enps_values=[10, 10, 9, 8, 6, 0]), name="Six answers")
    team_of(_active_team(9, enps_values=[9] * 8), name="Eight answers")
    org = aggregates.organisation_figures(TODAY)
    by_name = {g.name: g for g in org.teams}
    assert all(g.shown for g in org.teams)
    assert by_name["Few answers"].enps.hidden == "too_few"
    assert by_name["Six answers"].enps.hidden == "subtraction"
    assert by_name["Eight answers"].enps.value.score == 100
    assert org.total.enps.value.answers == 17


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_threshold_comes_from_config(app):
    [group] = aggregates.team_figures([team_of(_active_team(3))], TODAY)
    assert group.shown


@pytest.mark.app_config(ANONYMITY_THRESHOLD=1)
def test_threshold_is_never_below_three(app):
    assert aggregates.threshold() == 3
    [group] = aggregates.team_figures([team_of(_active_team(2))], TODAY)
    assert group.hidden == "too_few"


@pytest.mark.app_config(ANONYMITY_THRESHOLD=5)
def test_organisation_counts_people_in_two_teams_once(app):
    shared = _active_team(5)
    team_of(shared, name="One")
    team_of(shared[:2] + _active_team(3), name="Two")
    org = aggregates.organisation_figures(TODAY)
    assert org.total.people == 8


# Pages and permissions -------------------------------------------------------------------------


def _live_team(size, managers=(), name=None):
    """A team with activity in the last complete week of the real calendar."""
    today = aggregates.local_today()
    week = ind.week_containing(today - timedelta(weeks=1), AMS)
    members = people(size)
    mods = modules(1)
    for person in members:
        complete(person, mods[0], at(week.monday + timedelta(days=1)))
        energy(person, week, 4)
    db.session.commit()
    return team_of(members, managers=managers, name=name), members


def test_my_engagement_page_shows_own_figures_and_needs_sign_in(client, login_as):
    assert client.get("/engagement/me").status_code == 302
    me = login_as("employee")
    complete(me, modules(1)[0], datetime.now(UTC) - timedelta(minutes=5))
    db.session.commit()
    response = client.get("/engagement/me")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Only you can see this page" in html
    assert 'role="img"' in html and "<desc" in html and "<table>" in html
    for name in ("Rhythm", "Progress", "Voice", "Recognition", "What moves it"):
        assert name in html
    assert "style=" not in html


def test_how_page_needs_sign_in_and_states_formula_and_threshold(client, login_as):
    assert client.get("/engagement/how").status_code == 302
    login_as("employee")
    html = client.get("/engagement/how").get_data(as_text=True)
    assert "weighted mean" in html and "at least 5 people" in html
    assert "Who can see what" in html


@pytest.mark.parametrize("path", ["/engagement/teams", "/engagement/hr", "/engagement/hr.csv",
                                  "/engagement/teams/1"])
def test_employee_is_refused_team_and_hr_pages(client, login_as, path):
    login_as("employee")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/engagement/hr", "/engagement/hr.csv"])
def test_manager_is_refused_hr_pages(client, login_as, path):
    login_as("employee", "manager")
    assert client.get(path).status_code == 403


def test_manager_sees_own_team_and_nothing_of_another(client, login_as):
    manager = login_as("employee", "manager")
    mine, my_people = _live_team(6, managers=[manager], name="Alpha squad")
    theirs, _their_people = _live_team(6, name="Bravo squad")
    html = client.get("/engagement/teams").get_data(as_text=True)
    assert "Alpha squad" in html and "Bravo squad" not in html
    assert "mean indicator" in html
    # No member's name appears: the page is about the team, not about people.
    assert not any(person.display_name in html for person in my_people)
    assert client.get(f"/engagement/teams/{mine.id}").status_code == 200
    assert client.get(f"/engagement/teams/{theirs.id}").status_code == 403
    assert client.get("/engagement/teams/999999").status_code == 403


def test_manager_of_a_small_team_sees_why_it_is_hidden(client, login_as):
    manager = login_as("employee", "manager")
    team, _members = _live_team(3, managers=[manager])
    html = client.get(f"/engagement/teams/{team.id}").get_data(as_text=True)
    assert "Hidden to protect anonymity" in html and "fewer than 5 people" in html
    assert "mean indicator" not in html


def _enps_teams(managers=()):
    # A week's row reports the eNPS month that was complete when the week closed.
    month = snapshots.enps_month_of(snapshots.last_closed_week())
    teams = {}
    for name, answers in [("Few", [10, 9, 3]), ("Six", [10, 10, 9, 8, 6, 0]),
                          ("Eight", [9] * 8)]:
        team, members = _live_team(9, name=name, managers=managers)
        for person, value in zip(members, answers, strict=False):
            enps(person, month, value)
        teams[name] = team
    db.session.commit()
    return teams


def test_hr_team_page_keeps_what_the_hr_overview_hides(client, login_as):
    login_as("hr")
    teams = _enps_teams()
    html = client.get(f"/engagement/teams/{teams['Six'].id}").get_data(as_text=True)
    assert "worked out by subtraction" in html
    html = client.get(f"/engagement/teams/{teams['Eight'].id}").get_data(as_text=True)
    assert "eNPS +100 from 8 answers" in html


def test_manager_who_is_also_hr_gets_the_hr_plan_on_the_team_page(client, login_as):
    both = login_as("employee", "manager", "hr")
    _enps_teams(managers=[both])
    html = client.get("/engagement/teams").get_data(as_text=True)
    assert "worked out by subtraction" in html and "eNPS +100 from 8 answers" in html


def test_manager_without_hr_sees_figures_with_k_contributors(client, login_as):
    """Without the organisation total in view, per-figure subtraction does not apply."""
    manager = login_as("employee", "manager")
    _enps_teams(managers=[manager])
    html = client.get("/engagement/teams").get_data(as_text=True)
    assert "fewer than 5 people contribute" in html  # Few: 3 answers
    # Six: 3 promoters, 1 passive, 2 detractors: (3 - 2) / 6 = 16.7 -> +17.
    assert "eNPS +17 from 6 answers" in html and "eNPS +100 from 8 answers" in html


def test_hr_sees_every_team_and_any_team_page(client, login_as):
    login_as("hr")
    alpha, _ = _live_team(6, name="Alpha squad")
    _live_team(3, name="Tiny squad")
    _live_team(5, name="Middle squad")
    html = client.get("/engagement/hr").get_data(as_text=True)
    assert "Alpha squad" in html and "Tiny squad" in html and "Middle squad" in html
    assert "protects a smaller team" in html or "worked out by subtraction" in html
    assert client.get(f"/engagement/teams/{alpha.id}").status_code == 200
    assert client.get("/engagement/teams/999999").status_code == 404


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_hr_legend_is_absent_when_nothing_is_hidden(client, login_as):
    login_as("hr")
    for name in ("Alpha squad", "Beta squad"):
        _live_team(3, name=name)
    html = client.get("/engagement/hr").get_data(as_text=True)
    assert "Alpha squad" in html and "Beta squad" in html
    assert "reason-legend" not in html  # nothing is hidden: nothing to explain


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_hr_legend_explains_only_the_reasons_that_occur(client, login_as):
    login_as("hr")
    for name in ("Alpha squad", "Beta squad"):
        _live_team(3, name=name)
    _live_team(2, name="Tiny squad")
    html = client.get("/engagement/hr").get_data(as_text=True)
    legend = html.split('class="reason-legend"')[1].split("</ul>")[0]
    assert "fewer than 3 people" in legend
    assert "nobody contributes" not in legend


def test_pages_show_no_individual_figures_to_others(client, login_as):
    """A team of exactly k where one person stands out: nothing names or isolates them."""
    manager = login_as("employee", "manager", "hr")
    team, members = _live_team(5, managers=[manager], name="Exact five")
    kudos(members[1], members[0], at(aggregates.local_today() - timedelta(weeks=1)))
    db.session.commit()
    for path in ("/engagement/teams", f"/engagement/teams/{team.id}", "/engagement/hr",
                 "/engagement/hr.csv"):
        body = client.get(path).get_data(as_text=True)
        assert not any(person.display_name in body or person.email in body
                       for person in members), path


# CSV -------------------------------------------------------------------------------------------


def _csv(client):
    response = client.get("/engagement/hr.csv")
    assert response.status_code == 200
    # UTF-8 with a byte-order mark, for Excel.
    return response, list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_hr_csv_has_the_same_thresholds_with_reasons(client, login_as):
    login_as("hr")
    _live_team(6, name="Alpha squad")
    _live_team(3, name="Tiny squad")
    _live_team(5, name="Middle squad")
    _live_team(7, name="=HYPERLINK(evil)")
    response, rows = _csv(client)
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".csv" in disposition
    header = rows[0]
    assert header[:5] == ["team", "people", "contributors", "week", "indicator"]
    assert header[-1] == "hidden_reason" and header[-13].startswith("indicator_")
    by_team = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_team["Alpha squad"]["indicator"] != ""
    tiny, middle = by_team["Tiny squad"], by_team["Middle squad"]
    assert tiny["people"] == "3" and tiny["indicator"] == "" and tiny["rhythm"] == ""
    assert tiny["contributors"] == "3"
    assert "fewer than 5 people" in tiny["hidden_reason"]
    assert middle["indicator"] == "" and "subtraction" in middle["hidden_reason"]
    assert all(middle[f"indicator_{w}"] == "" for w in [c[10:] for c in header
                                                           if c.startswith("indicator_")])
    assert "'=HYPERLINK(evil)" in by_team
    assert by_team["Whole organisation"]["people"] == "21"
    # eNPS of last month: nobody answered, so it is empty with its reason.
    assert by_team["Alpha squad"]["enps"] == "" and "eNPS" in by_team["Alpha squad"][
        "hidden_reason"]


def test_hr_csv_needs_the_hr_role(client, login_as):
    login_as("employee", "manager", "admin")
    assert client.get("/engagement/hr.csv").status_code == 403


# Bounded queries -------------------------------------------------------------------------------


def _team_page_queries(client, queries, team):
    client.get(f"/engagement/teams/{team.id}")  # warm up
    with queries() as statements:
        assert client.get(f"/engagement/teams/{team.id}").status_code == 200
    return len(statements)


def test_team_page_queries_do_not_grow_with_members(client, login_as, queries):
    manager = login_as("employee", "manager")
    small, _ = _live_team(5, managers=[manager])
    big, big_members = _live_team(50, managers=[manager])
    mods = modules(3)
    for person in big_members:
        kudos(big_members[0] if person is not big_members[0] else big_members[1], person,
              datetime.now(UTC) - timedelta(days=8))
        for module in mods:
            complete(person, module, datetime.now(UTC) - timedelta(days=9))
    db.session.commit()
    few = _team_page_queries(client, queries, small)
    many = _team_page_queries(client, queries, big)
    assert few == many and many <= 10
    with queries() as statements:
        client.get("/engagement/teams")
    assert len(statements) <= 10


def test_hr_page_queries_do_not_grow_with_teams(client, login_as, queries):
    login_as("hr")
    for _ in range(2):
        _live_team(5)
    client.get("/engagement/hr")
    with queries() as few:
        assert client.get("/engagement/hr").status_code == 200
    for _ in range(10):
        _live_team(6)
    with queries() as many:
        assert client.get("/engagement/hr").status_code == 200
    with queries() as export:
        assert client.get("/engagement/hr.csv").status_code == 200
    # The page also reads the teams' action plans (one statement, one more for their
    # follow-ups when there are plans); the CSV holds figures only.
    assert len(few) == len(many) <= len(export) + 2 and len(many) <= 10


def test_my_page_queries_are_bounded(client, login_as, queries):
    me = login_as("employee")
    mods = modules(6)
    for i, module in enumerate(mods):
        complete(me, module, datetime.now(UTC) - timedelta(days=7 * i))
    enrol(me, path_with(mods[:3]), datetime.now(UTC) - timedelta(days=30))
    enrol(me, path_with(mods[3:]), datetime.now(UTC) - timedelta(days=30),
          due=date.today() + timedelta(days=30))
    db.session.commit()
    client.get("/engagement/me")
    with queries() as statements:
        assert client.get("/engagement/me").status_code == 200
    assert len(statements) <= 6


# Charts ----------------------------------------------------------------------------------------


def test_line_chart_escapes_text_leaves_gaps_and_has_a_table(app):
    from learnpath.engagement import charts

    with app.test_request_context():
        svg = str(charts.line_chart(
            "t", [("W1", "week 1", 40), ("W2", "week 2", None), ("W3", "week 3", 70),
                  ("W4", "week 4", 75)],
            title="<script>x</script>", description="d & e", value_name="v", missing="gap"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "d &amp; e" in svg
    assert 'role="img"' in svg and 'aria-labelledby="t-title t-desc"' in svg
    assert svg.count("<polyline") == 1  # the gap splits the line; a lone point has none
    assert svg.count("<circle") == 3
    assert "<td>gap</td>" in svg and "<td>75</td>" in svg
    assert "style=" not in svg


def test_my_page_says_no_signal_honestly(client, login_as):
    """A person without any signal has no figure: not 0, not at risk; the trend has gaps."""
    login_as("employee")
    html = client.get("/engagement/me").get_data(as_text=True)
    assert "No signal" in html and "not a score of 0" in html
    assert "At risk" not in html and 'class="stat">0<' not in html
    assert "never a score of 0" in html  # the chart's legend for the gaps
    assert "not enough data" in html  # the chart's table


def test_team_page_says_who_gave_a_signal(client, login_as):
    manager = login_as("employee", "manager")
    team, members = _live_team(6, managers=[manager], name="Signals")
    html = client.get(f"/engagement/teams/{team.id}").get_data(as_text=True)
    assert "6 of 6 people gave a signal" in html
