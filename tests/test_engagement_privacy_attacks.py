"""Privacy attacks on the engagement figures (DESIGN.md section 6), on random organisations.

Random people in overlapping teams (project teams beside primary teams), random activity over
the 12 trend weeks, and membership changes (a new primary team, joining or leaving a team,
leaving the organisation) between the closing of the last weeks. Viewers (the manager of some
teams, HR) collect every figure they can see, as the pages, the CSV and the API get them, at
every stage and at the end. The oracle knows who contributes to each figure. Asserted:
- no two visible figures of the same week and metric differ by exactly one contributor (so
  subtracting one from the other, n2*m2 - n1*m1, never gives a person's value);
- the organisation total minus every shown team never leaves exactly one contributor (the
  complementary rule);
- a figure seen before a membership change is the same after it (closed weeks never change),
  so comparing a group before and after a change reveals nothing.
"""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from test_engagement_dashboards import AMS, REF, at, modules

from learnpath.accounts import services as accounts
from learnpath.api.services import group_dict
from learnpath.engagement import aggregates, snapshots
from learnpath.engagement import indicator as ind
from learnpath.engagement.models import Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules.models import Completion

K = 3
WEEKS = ind.weeks_ending(REF.monday, ind.TREND_WEEKS, AMS)
STAGED = 4  # the last weeks are closed one by one, with changes in between
METRICS = ("people", "progress", "voice", "enps")


@st.composite
def organisations(draw):
    size = draw(st.integers(4, 10))
    teams = draw(st.integers(2, 4))
    members = [sorted(set(draw(st.lists(st.integers(0, teams - 1), min_size=1, max_size=2))))
               for _ in range(size)]
    # Most people learn in some weeks (so most figures have contributors); the rest at random.
    events = [("complete", who, week, 0) for who in range(size)
              for week in draw(st.sets(st.integers(0, len(WEEKS) - 1), max_size=8))]
    events += draw(st.lists(st.tuples(
        st.sampled_from(("complete", "energy", "kudos", "enps")), st.integers(0, size - 1),
        st.integers(0, len(WEEKS) - 1), st.integers(0, 10)), max_size=3 * size))
    changes = draw(st.lists(st.tuples(
        st.sampled_from(("primary", "join", "leave", "deactivate")), st.integers(0, size - 1),
        st.integers(0, teams - 1)), min_size=STAGED, max_size=STAGED))
    managed = draw(st.lists(st.integers(0, teams - 1), min_size=1, max_size=teams, unique=True))
    return size, teams, members, events, changes, managed


def _reset():
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def _seed(size, team_count, members, events):
    people = [accounts.create_user(f"p{i}@example.com", f"P {i}", roles=("employee",))
              for i in range(size)]
    teams = [accounts.create_team(f"T{t}") for t in range(team_count)]
    for person, listed in zip(people, members, strict=True):
        for t in listed:
            accounts.add_to_team(teams[t], person, "member")
    mods = modules(len(WEEKS))
    seen = set()
    for kind, who, week_index, value in events:
        week, person = WEEKS[week_index], people[who]
        moment = at(week.monday + timedelta(days=1))
        if kind == "complete" and (who, week_index) not in seen:
            seen.add((who, week_index))
            db.session.add(Completion(user_id=person.id, module_id=mods[week_index].id,
                                      version_id=mods[week_index].current_version_id,
                                      completed_at=moment))
        elif kind == "energy" and (who, week.label) not in seen:
            seen.add((who, week.label))
            db.session.add(PulseAnswer(user_id=person.id, question="energy", period=week.label,
                                       value=1 + value % 5, answered_at=moment))
        elif kind == "kudos":
            other = people[(who + 1 + value) % size]
            if other is not person:
                db.session.add(Kudos(from_id=person.id, to_id=other.id, message="x",
                                     created_at=moment))
        elif kind == "enps":
            month = snapshots.enps_month_of(week)
            if (who, month) not in seen:
                seen.add((who, month))
                db.session.add(PulseAnswer(user_id=person.id, question="enps", period=month,
                                           value=value, answered_at=at(
                                               ind.previous_month(week.sunday).replace(day=10))))
    db.session.commit()
    return people, teams


def _change(people, teams, change):
    kind, who, t = change
    person, team = people[who], teams[t]
    if kind == "primary":
        accounts.set_primary_team(person, team)
    elif kind == "join":
        accounts.add_to_team(team, person, "member")
    elif kind == "leave":
        accounts.remove_from_team(team, person, "member")
    else:
        accounts.set_active(person, False)
    db.session.commit()


def _oracle(people, homes):
    """Per week label and group key, per metric: the set of contributing people."""
    contributors = {}
    enps = {(row.user_id, row.period) for row in db.session.query(PulseAnswer).filter_by(
        question="enps")}
    trends = {p.id: dict((week.label, result) for week, result in
                         aggregates.person_figures(p.id, REF.sunday).trend) for p in people}
    for week, home in homes.items():
        for user_id, team_id in home.items():
            result = trends[user_id][week]
            week_obj = next(w for w in WEEKS if w.label == week)
            present = {
                "people": result is not None,
                "progress": result is not None and result.components["progress"] is not None,
                "voice": result is not None and result.components["voice"] is not None,
                "enps": (user_id, snapshots.enps_month_of(week_obj)) in enps,
            }
            for key in (team_id, snapshots.ORGANISATION):
                for metric, yes in present.items():
                    bucket = contributors.setdefault((week, key), {m: set() for m in METRICS})
                    if yes:
                        bucket[metric].add(user_id)
    return contributors


def _visible(groups):
    """Every shown value: {(week, group key, metric): value}, from the trend too."""
    seen = {}
    for group in groups:
        key = group.key or snapshots.ORGANISATION
        for week, value in group.trend:
            if value is not None:
                seen[(week.label, key, "people")] = value
        if not group.shown:
            continue
        week = group.week.label
        data = group_dict(group)  # what the API returns; the pages and CSV show the same
        seen[(week, key, "people")] = data["indicator"]["value"]
        for metric, figure in (("progress", data["components"]["progress"]),
                               ("voice", data["components"]["voice"]), ("enps", data["enps"])):
            if figure["hidden"] is None and figure["value"] is not None:
                seen[(week, key, metric)] = figure["value"]
    return seen


def _collect(teams, managed, today):
    org = aggregates.organisation_figures(today)
    hr = _visible([org.total, *org.teams])
    manager = _visible(aggregates.team_figures([teams[t] for t in managed], today))
    return {"hr": hr, "manager": manager}


def _assert_no_differencing(seen, contributors):
    by_week_metric = {}
    for (week, key, metric) in seen:
        by_week_metric.setdefault((week, metric), []).append(key)
    for (week, metric), keys in by_week_metric.items():
        sets = {key: contributors.get((week, key), {}).get(metric, set()) for key in keys}
        for a in keys:
            for b in keys:
                if a != b and sets[b] <= sets[a]:
                    assert len(sets[a] - sets[b]) != 1, (week, metric, a, b)
        if snapshots.ORGANISATION in sets:
            rest = set(sets[snapshots.ORGANISATION])
            for key in keys:
                if key != snapshots.ORGANISATION:
                    rest -= sets[key]
            assert len(rest) != 1, (week, metric, "organisation minus shown teams")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organisations())
def test_no_individual_value_can_be_derived(app, organisation):
    app.config["ANONYMITY_THRESHOLD"] = K
    size, team_count, members, events, changes, managed = organisation
    _reset()
    people, teams = _seed(size, team_count, members, events)
    homes = {}
    for week in WEEKS[:-STAGED]:
        homes[week.label] = snapshots.primary_teams()
    snapshots.close(WEEKS[:-STAGED])
    db.session.commit()
    history = []
    for week, change in zip(WEEKS[-STAGED:], changes, strict=True):
        homes[week.label] = snapshots.primary_teams()
        snapshots.close([week])
        db.session.commit()
        history.append(_collect(teams, managed, week.sunday + timedelta(days=3)))
        _change(people, teams, change)
    final = _collect(teams, managed, REF.sunday + timedelta(days=3))
    contributors = _oracle(people, homes)
    for viewer in ("hr", "manager"):
        everything = dict(final[viewer])
        for stage in history:
            for key, value in stage[viewer].items():
                # Before and after every change: the same figure, so nothing to compare.
                assert final[viewer].get(key, value) == value, (viewer, key)
                everything.setdefault(key, value)
        _assert_no_differencing(everything, contributors)
