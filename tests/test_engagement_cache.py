"""The cache of team and HR engagement figures: equal to fresh figures, and never stale.

Every change that can alter a past week's figures or a team's visibility raises the
engagement generation in its own transaction, so the next request computes again; changes
of the current week do not (the figures end with the last complete week).
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from test_engagement_dashboards import (
    AMS,
    _live_team,
    at,
    complete,
    energy,
    enps,
    enrol,
    kudos,
    modules,
    path_with,
    people,
    team_of,
)

from learnpath.accounts import services as accounts
from learnpath.accounts.models import User
from learnpath.engagement import aggregates, cache
from learnpath.engagement import indicator as ind
from learnpath.engagement import services as engagement
from learnpath.engagement.models import EngagementFold, Kudos
from learnpath.extensions import db
from learnpath.paths.models import Enrolment
from learnpath.privacy import services as privacy


def generation():
    value = cache.generation(db.session)
    db.session.commit()
    return value


def last_week():
    return ind.week_containing(aggregates.local_today() - timedelta(weeks=1), AMS)


def this_week_moment():
    return datetime.now(UTC)


def assert_fresh(org):
    """The cached figures equal figures computed now from the database."""
    assert org == aggregates._organisation_figures(None)


def test_cached_figures_equal_fresh_and_are_reused(app):
    team, members = _live_team(5)
    other, _ = _live_team(6)
    first = aggregates.organisation_figures()
    assert first.team(team.id).shown and first.total.shown
    assert_fresh(first)
    assert aggregates.organisation_figures() is first  # reused: nothing changed
    teams = aggregates.team_figures([team, other])
    assert teams == aggregates._team_figures([team, other], None)
    assert aggregates.team_figures([team, other])[0] is teams[0]
    assert aggregates.team_figures([other])[0].key == other.id  # its own scope
    assert aggregates.team_figures([other])[0] == aggregates._team_figures([other], None)[0]


def test_removing_a_member_hides_a_team_at_once(app, client, login_as):
    login_as("hr")
    team, members = _live_team(5)
    _live_team(6)
    assert aggregates.organisation_figures().team(team.id).shown
    assert aggregates.team_figures([team])[0].shown
    assert 'colspan="8"' not in _team_row(client.get("/engagement/hr"), team)  # shown
    before = generation()
    accounts.remove_from_team(team, members[0], "member")
    db.session.commit()
    assert generation() > before
    org = aggregates.organisation_figures()
    assert org.team(team.id).hidden == "too_few"
    assert aggregates.team_figures([team])[0].hidden == "too_few"
    assert_fresh(org)
    row = _team_row(client.get("/engagement/hr"), team)  # not the page stored before
    assert 'colspan="8"' in row and "fewer than 5 people" in row


def _team_row(response, team) -> str:
    page = response.get_data(as_text=True)
    row = page[page.index(f">{team.name}</a></th>"):]
    return row[:row.index("</tr>")]


def test_a_membership_kind_change_and_a_new_member_count(app):
    team, members = _live_team(5)
    _live_team(6)
    assert aggregates.organisation_figures().team(team.id).people == 5
    membership = next(m for m in team.memberships if m.user_id == members[0].id)
    membership.kind = "manager"
    db.session.commit()
    assert aggregates.organisation_figures().team(team.id).hidden == "too_few"
    membership.kind = "member"
    db.session.commit()
    assert aggregates.organisation_figures().team(team.id).shown
    [newcomer] = people(1)
    accounts.add_to_team(team, newcomer, "member")
    db.session.commit()
    org = aggregates.organisation_figures()
    assert org.team(team.id).people == 6
    assert_fresh(org)


def test_deactivation_hides_a_team_at_once(app):
    team, members = _live_team(5)
    _live_team(6)
    assert aggregates.organisation_figures().team(team.id).shown
    accounts.set_active(members[1], False)
    db.session.commit()
    org = aggregates.organisation_figures()
    assert org.team(team.id).hidden == "too_few"
    assert_fresh(org)


def test_a_bulk_update_raises_the_generation(app):
    team, members = _live_team(5)
    _live_team(6)
    assert aggregates.organisation_figures().team(team.id).shown
    db.session.execute(update(User).where(User.id == members[2].id).values(active=False))
    db.session.commit()
    assert aggregates.organisation_figures().team(team.id).hidden == "too_few"


def test_enrolment_changes_are_reflected(app):
    team, members = _live_team(5)
    _live_team(6)
    before = aggregates.organisation_figures()
    assert before.team(team.id).components["progress"].hidden == "none"
    path = path_with(modules(4))
    for person in members:
        enrol(person, path, datetime.now(UTC) - timedelta(days=60),
              due=aggregates.local_today() + timedelta(days=10))
    db.session.commit()
    after = aggregates.organisation_figures()
    assert after.team(team.id).components["progress"].shown
    assert_fresh(after)
    for enrolment in db.session.query(Enrolment).filter(
            Enrolment.user_id.in_([m.id for m in members[:3]])):
        enrolment.state = "withdrawn"
        enrolment.withdrawn_at = datetime.now(UTC) - timedelta(days=50)
    db.session.commit()
    withdrawn = aggregates.organisation_figures()
    assert withdrawn.team(team.id).components["progress"].hidden == "too_few"
    assert_fresh(withdrawn)


def test_a_backdated_completion_is_reflected(app):
    team, members = _live_team(5)
    _live_team(6)
    # Nobody of a new team of 5 learned last week; one completion of last week changes that.
    quiet = people(5)
    week = last_week()
    for person in quiet:
        energy(person, week, 3)
    db.session.commit()
    quiet_team = team_of(quiet)
    assert aggregates.organisation_figures().team(quiet_team.id).learning.value == 0
    [module] = modules(1)
    before = generation()
    complete(quiet[0], module, at(week.monday + timedelta(days=2)))
    db.session.commit()
    assert generation() > before
    org = aggregates.organisation_figures()
    assert org.team(quiet_team.id).learning.value == 20
    assert_fresh(org)


def test_current_week_rows_do_not_invalidate(app):
    team, members = _live_team(5)
    _live_team(6)
    first = aggregates.organisation_figures()
    before = generation()
    [module] = modules(1)
    complete(members[0], module, this_week_moment())
    kudos(members[1], members[2], this_week_moment())
    energy(members[3], ind.week_containing(aggregates.local_today(), AMS), 5)
    db.session.commit()
    for value in (7, 9):  # this month's eNPS, answered and changed through the service
        engagement.answer_pulse(members[4], "enps", value)
        db.session.commit()
    row = db.session.query(Kudos).filter_by(from_id=members[1].id).one()
    row.seen_at = datetime.now(UTC)  # the recipient saw it: no figure reads that
    db.session.commit()
    assert generation() == before
    assert aggregates.organisation_figures() is first
    assert_fresh(first)  # and the figures are indeed unchanged


def test_backdated_kudos_and_pulse_answers_invalidate(app):
    team, members = _live_team(5)
    _live_team(6)
    aggregates.organisation_figures()
    before = generation()
    kudos(members[1], members[2], at(last_week().monday + timedelta(days=3)))
    db.session.commit()
    middle = generation()
    assert middle > before
    assert_fresh(aggregates.organisation_figures())
    enps(members[0], aggregates.enps_month_for(aggregates.local_today()), 9)
    db.session.commit()
    assert generation() > middle
    org = aggregates.organisation_figures()
    assert_fresh(org)


def test_erasure_and_folds_are_reflected(app):
    team, members = _live_team(6)
    _live_team(6)
    first = aggregates.organisation_figures()
    before = generation()
    assert privacy.erase_person(members[0])
    db.session.commit()
    assert generation() > before
    org = aggregates.organisation_figures()
    assert org is not first
    assert_fresh(org)
    assert org.team(team.id).people == 6  # the erased person's share was folded
    middle = generation()
    db.session.add(EngagementFold(team_id=team.id, period=last_week().label,
                                 reason="retention", people=1))
    db.session.commit()
    assert generation() > middle
    assert_fresh(aggregates.organisation_figures())


def test_renaming_a_team_is_reflected(app):
    team, _ = _live_team(5)
    _live_team(6)
    aggregates.organisation_figures()
    accounts.rename_team(team, "Renamed team")
    db.session.commit()
    assert aggregates.organisation_figures().team(team.id).name == "Renamed team"


def test_never_crosses_anonymity_thresholds(app):
    team, _ = _live_team(5)
    _live_team(7)
    assert aggregates.organisation_figures().team(team.id).shown
    app.config["ANONYMITY_THRESHOLD"] = 6
    assert aggregates.organisation_figures().team(team.id).hidden == "too_few"
    assert aggregates.team_figures([team])[0].hidden == "too_few"
    app.config["ANONYMITY_THRESHOLD"] = 5
    assert aggregates.organisation_figures().team(team.id).shown


def test_uncommitted_changes_neither_read_nor_fill_the_cache(app):
    team, members = _live_team(5)
    _live_team(6)
    first = aggregates.organisation_figures()
    accounts.set_active(members[0], False)
    inside = aggregates.organisation_figures()  # sees its own change, computed afresh
    assert inside.team(team.id).hidden == "too_few"
    db.session.rollback()
    assert aggregates.organisation_figures() is first


def test_a_cached_hr_request_runs_few_queries(client, login_as, queries):
    login_as("hr")
    for size in (5, 6, 7):
        _live_team(size)
    client.get("/engagement/hr")
    with queries() as statements:
        assert client.get("/engagement/hr").status_code == 200
    assert len(statements) <= 4
    assert not any("completions" in s or "pulse_answers" in s for s in statements)
    with queries() as export:
        assert client.get("/engagement/hr.csv").status_code == 200
    assert len(export) <= 4


@pytest.mark.app_config(ENGAGEMENT_CACHE_ENTRIES=0)
def test_the_cache_can_be_switched_off(app):
    _live_team(5)
    assert aggregates.organisation_figures() is not aggregates.organisation_figures()


def test_the_stored_hr_page_is_kept_per_language(client, login_as):
    login_as("hr")
    _live_team(5)
    _live_team(6)
    english = client.get("/engagement/hr", headers={"Accept-Language": "en"})
    dutch = client.get("/engagement/hr", headers={"Accept-Language": "nl"})
    again = client.get("/engagement/hr", headers={"Accept-Language": "en"})
    assert "Engagement in the organisation" in english.get_data(as_text=True)
    assert "Betrokkenheid in de organisatie" in dutch.get_data(as_text=True)
    assert again.get_data(as_text=True) == english.get_data(as_text=True).replace(
        *_csrf_pair(english, again))
    assert aggregates.organisation_figures().html.keys() == {"en", "nl"}


def _csrf_pair(first, second):
    """The two responses may differ only in their CSRF tokens."""
    import re

    pattern = re.compile(r'name="csrf_token" value="([^"]+)"|content="([^"]+)" name="csrf')
    a = [m.group(0) for m in pattern.finditer(first.get_data(as_text=True))]
    b = [m.group(0) for m in pattern.finditer(second.get_data(as_text=True))]
    return (a[0], b[0]) if a and b else ("", "")


def test_team_charts_are_drawn_once_per_language_and_redrawn_after_a_change(client, login_as):
    manager = login_as("manager")
    team, members = _live_team(6)
    accounts.add_to_team(team, manager, "manager")
    db.session.commit()
    url = f"/engagement/teams/{team.id}"
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    dutch = client.get(url, headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Mean indicator of" in english and "Gemiddelde indicator van" in dutch
    group = aggregates.team_figures([team])[0]
    assert set(group.charts) == {"en", "nl"}
    accounts.remove_from_team(team, members[0], "member")
    db.session.commit()
    fresh = aggregates.team_figures([team])[0]
    assert fresh is not group and fresh.people == 5 and not fresh.charts
    assert "Mean indicator of" in client.get(url).get_data(as_text=True)
