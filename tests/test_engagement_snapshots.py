"""Primary teams and weekly snapshots (DESIGN.md section 6).

A closed week is computed once over that week's membership, stored without user ids and never
changes; figures exist only for primary teams and the organisation; the threshold is applied
when reading.
"""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from test_engagement_dashboards import (
    AMS,
    REF,
    TODAY,
    _active_team,
    at,
    complete,
    modules,
    people,
    team_of,
)

from learnpath import create_app
from learnpath.accounts import services as accounts
from learnpath.accounts.csv_import import import_users_csv
from learnpath.engagement import aggregates, snapshots
from learnpath.engagement.models import TeamWeek
from learnpath.extensions import db


def test_every_person_in_a_team_has_one_primary_team(app):
    first, second = people(2)
    one, two = team_of([first, second], name="One"), team_of([first], name="Two")
    assert (first.primary_team_id, second.primary_team_id) == (one.id, one.id)
    accounts.set_primary_team(first, two)
    db.session.commit()
    assert first.primary_team_id == two.id
    accounts.remove_from_team(two, first, "member")  # leaving it falls back to the first team
    db.session.commit()
    assert first.primary_team_id == one.id
    accounts.set_teams_of(second, [])
    db.session.commit()
    assert second.primary_team_id is None


def test_csv_import_primary_team_column_defaults_to_the_first_team(app):
    report = import_users_csv(
        b"email,name,team,manager_email,roles,primary_team\n"
        b"ann@example.com,Ann,Support|Atlas,,,\n"
        b"bob@example.com,Bob,Support|Atlas,,,Atlas\n"
        b"cas@example.com,Cas,Support,,,Elsewhere\n")
    db.session.commit()
    assert [row.status for row in report.rows] == ["created", "created", "invalid"]
    assert "not one of the teams" in str(report.rows[2].messages[0])
    support, atlas = (accounts.get_team_by_name(name) for name in ("Support", "Atlas"))
    ann, bob = (accounts.get_user_by_email(f"{n}@example.com") for n in ("ann", "bob"))
    assert (ann.primary_team_id, bob.primary_team_id) == (support.id, atlas.id)
    assert {p.email for p in accounts.team_people(atlas, "member")} == {ann.email, bob.email}
    # Without the column (the old format) the first team listed is the primary team.
    import_users_csv(b"email,name,team,manager_email,roles\nbob@example.com,Bob,Support,,\n")
    db.session.commit()
    assert bob.primary_team_id == support.id


def test_admin_person_form_shows_and_sets_the_primary_team(client, login_as, make_user,
                                                          make_team, csrf_token):
    login_as("admin")
    person = make_user()
    one, two = make_team(name="One", members=[person]), make_team(name="Two")
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Primary team" in page
    data = {"csrf_token": csrf_token(f"/admin/users/{person.id}"), "email": person.email,
            "display_name": person.display_name, "locale": "", "roles": ["employee"],
            "teams": [one.id, two.id], "primary_team": two.id}
    assert client.post(f"/admin/users/{person.id}", data=data).status_code == 302
    assert db.session.get(type(person), person.id).primary_team_id == two.id
    data.update(teams=[one.id], primary_team=two.id,
                csrf_token=csrf_token(f"/admin/users/{person.id}"))
    response = client.post(f"/admin/users/{person.id}", data=data)
    assert response.status_code == 400
    assert "must be one of the teams" in response.get_data(as_text=True)


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_figures_exist_for_primary_teams_only_and_partition_the_organisation(app):
    home = _active_team(4)
    project_only = _active_team(3)
    primary = team_of(home, name="Home")
    team_of(project_only, name="Elsewhere")
    project = team_of(home[:3], name="Project")  # nobody's primary team
    org = aggregates.organisation_figures(TODAY)
    assert [g.name for g in org.teams] == ["Elsewhere", "Home"]
    assert org.total.people == 7 == sum(g.people for g in org.teams)
    [group] = aggregates.team_figures([project], TODAY)
    assert group.hidden == "not_primary" and group.indicator.value is None
    assert aggregates.team_figures([primary], TODAY)[0].shown


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_a_closed_week_never_changes(app):
    members = _active_team(4)
    team = team_of(members, name="Stable")
    before = aggregates.team_figures([team], TODAY)[0]
    rows = db.session.scalar(select(func.count()).select_from(TeamWeek))
    assert rows > 0
    # Remove a member, add data inside the closed week: the week stays as it was.
    accounts.remove_from_team(team, members[0], "member")
    complete(members[1], modules(1)[0], at(REF.monday + timedelta(days=1)))
    db.session.commit()
    after = aggregates.team_figures([team], TODAY)[0]
    assert (after.people, after.contributors, after.indicator, after.trend) == (
        before.people, before.contributors, before.indicator, before.trend)
    assert db.session.scalar(select(func.count()).select_from(TeamWeek)) == rows
    # The stored rows hold no user id (the snapshot is anonymous by construction).
    assert not {"user_id", "from_id", "to_id"} & set(TeamWeek.__table__.columns.keys())


def test_threshold_is_applied_when_reading(app):
    team = team_of(_active_team(4), name="Four")
    app.config["ANONYMITY_THRESHOLD"] = 5
    assert aggregates.team_figures([team], TODAY)[0].hidden == "too_few"
    app.config["ANONYMITY_THRESHOLD"] = 4
    assert aggregates.team_figures([team], TODAY)[0].shown


def test_closing_is_idempotent_and_a_concurrent_close_steps_aside(app, monkeypatch):
    team_of(_active_team(3))
    weeks = snapshots.trend_weeks(TODAY)
    first = snapshots.close(weeks, TODAY)
    db.session.commit()
    assert first == [week.label for week in weeks]
    count = db.session.scalar(select(func.count()).select_from(TeamWeek))
    assert snapshots.close(weeks, TODAY) == []
    # Another worker closed the weeks between our check and our insert: the unique
    # constraint refuses the second set of rows, and theirs stand.
    monkeypatch.setattr(snapshots, "closed_labels", lambda labels: set())
    assert snapshots.close(weeks, TODAY) == []
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TeamWeek)) == count
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(TeamWeek(week=weeks[-1].label, week_start=weeks[-1].monday,
                                group_key=snapshots.ORGANISATION, enps_month=""))
        db.session.flush()


def test_close_week_command_closes_the_last_complete_week(app, runner):
    team_of(_active_team(3))
    result = runner.invoke(args=["engagement", "close-week"])
    assert result.exit_code == 0, result.output
    last = snapshots.last_closed_week()
    assert last.label in result.output
    assert db.session.scalar(select(func.count()).select_from(TeamWeek).where(
        TeamWeek.week == last.label, TeamWeek.group_key == snapshots.ORGANISATION)) == 1
    again = runner.invoke(args=["engagement", "close-week"])
    assert again.exit_code == 0 and "Nothing to close" in again.output


def test_weeks_without_contributors_are_gaps_not_zeros(app):
    team = team_of(people(6), name="Quiet")  # nobody gave a signal
    [group] = aggregates.team_figures([team], TODAY)
    assert group.hidden == "none" and group.contributors == 0 and group.people == 6
    assert all(value is None for _week, value in group.trend)
    assert AMS  # the fixtures' time zone is the app's


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_figures_are_kept_per_app_until_the_rows_change(app):
    """aggregates keeps the rows' figures per app under the rows' fingerprint: an unchanged
    set of weeks is not read again; rows removed and written anew (a restore) are."""
    team = team_of(_active_team(4), name="Kept")
    first = aggregates.team_figures([team], TODAY)[0]
    assert aggregates.team_figures([team], TODAY)[0] is first  # the same rows: kept
    assert first.people == 4
    db.session.execute(delete(TeamWeek))
    db.session.commit()
    for person in _active_team(2):  # two more members, then the weeks are closed again
        accounts.add_to_team(team, person, "member")
    db.session.commit()
    again = aggregates.team_figures([team], TODAY)[0]
    assert again is not first and again.people == 6


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_rows_written_by_another_app_instance_show_on_the_next_request(app):
    """Two workers: one keeps the figures of the rows it read; another writes the same weeks
    anew (a restore, with two more members by then); the first shows the new rows next,
    with nothing to invalidate."""
    team = team_of(_active_team(4), name="Shared")
    assert aggregates.team_figures([team], TODAY)[0].people == 4
    newcomers = _active_team(2)
    other = create_app({"TESTING": True, "RATELIMIT_ENABLED": False,
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"] + "-other"})
    with other.app_context():
        db.session.execute(delete(TeamWeek))
        for person in newcomers:
            accounts.add_to_team(db.session.get(type(team), team.id),
                                 db.session.get(type(person), person.id), "member")
        snapshots.close(snapshots.trend_weeks(TODAY), TODAY)
        db.session.commit()
        assert aggregates.team_figures([db.session.get(type(team), team.id)], TODAY)[0].people == 6
        db.engine.dispose()
    db.session.expire_all()
    assert aggregates.team_figures([team], TODAY)[0].people == 6
