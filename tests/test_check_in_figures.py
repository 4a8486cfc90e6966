"""What HR sees of check-ins (issue 22 part 3): per primary team above the threshold, the share
of people who had a check-in this quarter; never names, never below the threshold."""

from datetime import timedelta

from learnpath.conversations import services
from learnpath.extensions import db
from learnpath.paths.enrolments import today


def _held(manager, person, on):
    check_in = services.schedule(manager, person, "stay", on, on)
    check_in.status = "held"
    return check_in


def test_hr_sees_the_share_per_primary_team_only_above_the_threshold(app, client, login_as,
                                                                     make_user, make_team):
    k = app.config["ANONYMITY_THRESHOLD"]
    login_as("hr", "employee")
    manager = make_user(roles=("manager",))
    big = [make_user(name=f"Big {n}") for n in range(k * 2)]
    small = [make_user(name=f"Small {n}") for n in range(k - 1)]
    big_team = make_team("Big team", managers=[manager], members=big)
    small_team = make_team("Small team", managers=[manager], members=small)
    day = today()
    for person in big[:k]:
        _held(manager, person, day)
    services.schedule(manager, big[-1], "stay", day, day)  # planned, not held: does not count
    _held(manager, small[0], day)
    db.session.commit()
    shares = services.check_in_share_per_team(day, k)
    assert shares[big_team.id] == 50 and shares[small_team.id] is None
    page = client.get("/hr").get_data(as_text=True)
    assert "50%" in page and f"fewer than {k} people" in page
    assert "Big 0" not in page and "Small 0" not in page
    assert set(shares) == {big_team.id, small_team.id}  # team ids only, never a person


def test_only_this_quarters_check_ins_count(app, make_user, make_team):
    k = app.config["ANONYMITY_THRESHOLD"]
    manager = make_user(roles=("manager",))
    people = [make_user() for _ in range(k)]
    team = make_team(managers=[manager], members=people)
    day = today()
    last_quarter = services.quarter_start(day) - timedelta(days=1)
    _held(manager, people[0], last_quarter)
    db.session.commit()
    assert services.check_in_share_per_team(day, k)[team.id] == 0
    assert services.quarter_start(day).month in (1, 4, 7, 10)


def test_the_privacy_page_says_who_sees_check_ins(client):
    page = client.get("/privacy/").get_data(as_text=True)
    assert "a private note only by the person who wrote it" in page
    assert "which share of the team had a check-in this quarter" in page


def test_the_hr_page_needs_the_hr_role(client, login_as):
    login_as("manager", "employee")
    assert client.get("/hr").status_code == 403
