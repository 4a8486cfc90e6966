"""The quickstart demo: 13 weeks of history, deterministic, and never duplicated by a rerun."""

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from learnpath.accounts import services as accounts
from learnpath.accounts.models import User
from learnpath.conversations import schedule
from learnpath.conversations.models import CheckIn, CheckInEntry
from learnpath.demo import HISTORY_WEEKS, TEAMS, create_demo_activity, create_demo_organisation
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.factory import bundled
from learnpath.modules.importer import import_paths
from learnpath.modules.models import Completion, QuizAttempt
from learnpath.paths import enrolments as paths
from learnpath.paths.models import Certificate, Enrolment
from learnpath.reviews import services as reviews


def seed_demo():
    content = bundled("content")
    import_paths([content], content_root=content)
    db.session.commit()
    create_demo_organisation()
    db.session.commit()
    created = create_demo_activity()
    db.session.commit()
    return created


def row_counts() -> dict:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def demo(app):
    assert seed_demo() is True
    return app


def test_the_demo_employee_has_due_reviews_on_first_sign_in(demo):
    employee = accounts.get_user_by_email("employee@example.com")
    assert reviews.offer(employee).due == 5  # the daily limit, so "Review (2 min)" shows
    assert reviews.retention_by_skill(employee)  # some cards were reviewed: My skills shows it


def test_the_demo_has_thirteen_past_weeks_of_history(demo):
    zone = ZoneInfo(demo.config["BABEL_DEFAULT_TIMEZONE"])
    today = paths.today()
    this_week = today.isocalendar()[:2]
    active: dict[tuple, set[int]] = defaultdict(set)
    for actor_id, moment in db.session.execute(
            select(ActivityEvent.actor_id, ActivityEvent.timestamp)):
        if moment.tzinfo is None:  # SQLite gives naive UTC back
            from datetime import UTC
            moment = moment.replace(tzinfo=UTC)
        active[moment.astimezone(zone).isocalendar()[:2]].add(actor_id)
    assert this_week not in active  # all history lies in closed weeks
    past = sorted(active)
    assert len(past) >= 12
    oldest = (today - timedelta(weeks=HISTORY_WEEKS)).isocalendar()[:2]
    assert past[0] >= oldest
    for team, (_manager, _name, members) in TEAMS.items():
        ids = {accounts.get_user_by_email(email).id for email, _n in members}
        busy_weeks = sum(1 for week in past if len(ids & active[week]) >= 5)
        assert busy_weeks >= len(past) * 2 // 3, team
        every_week = [pid for pid in ids if all(pid in active[week] for week in past)]
        assert len(every_week) < len(ids), team  # not everyone every week

    # a finished path with a certificate, assignments behind and one overdue
    employee = accounts.get_user_by_email("employee@example.com")
    assert db.session.scalar(select(func.count(Certificate.id))
                             .where(Certificate.user_id == employee.id)) >= 1
    assigned = db.session.scalars(select(Enrolment).where(Enrolment.source == "assigned")).all()
    statuses = [p.status for p in paths.progress_of(assigned, paths.today()).values()]
    assert statuses.count("overdue") == 1
    assert statuses.count("behind") >= 2
    assert all(e.due_date is not None for e in assigned)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) > 20
    assert db.session.scalar(select(func.count(Completion.id))) > 40
    assert db.session.scalar(select(func.count(Kudos.id))) > 13
    questions = set(db.session.scalars(select(PulseAnswer.question)))
    assert questions == {"energy", "enps"}
    answered = db.session.scalar(select(func.count(ActivityEvent.id)).where(
        ActivityEvent.verb == "answered", ActivityEvent.object_type == "question"))
    assert answered > 20


def test_a_second_run_adds_no_rows(demo):
    before = row_counts()
    create_demo_organisation()
    db.session.commit()
    assert create_demo_activity() is False
    db.session.commit()
    assert row_counts() == before


def test_the_demo_is_the_same_every_time_apart_from_the_dates(demo):
    first = sorted(db.session.execute(select(PulseAnswer.question, PulseAnswer.value)).all())
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    seed_demo()
    assert sorted(db.session.execute(
        select(PulseAnswer.question, PulseAnswer.value)).all()) == first


def test_the_demo_has_a_check_in_due_and_one_held_that_enrolled_the_person(demo):
    manager = accounts.get_user_by_email("manager@example.com")
    check_ins = db.session.scalars(select(CheckIn).where(CheckIn.manager_id == manager.id)
                                   .order_by(CheckIn.scheduled_on)).all()
    assert [c.status for c in check_ins] == ["held", "scheduled"]
    held, due = check_ins
    assert due.scheduled_on > paths.today()
    kinds = {e.kind for e in db.session.scalars(select(CheckInEntry).where(
        CheckInEntry.check_in_id == held.id))}
    assert kinds == {"topic", "shared", "private", "action"}
    person = db.session.get(User, held.person_id)
    enrolment = paths.get_enrolment(person, paths.get_path("conversations-that-matter"))
    assert enrolment is not None and enrolment.state == "active"


def test_the_demo_manager_sees_a_30_day_conversation_due_and_the_employee_a_quarterly_one(demo):
    manager = accounts.get_user_by_email("manager@example.com")
    due = {(s.person.email, s.template_key)
           for s in schedule.suggestions(manager, "manager", paths.today())}
    assert ("julia.mulder@example.com", "thirty-day") in due
    assert not any(email == "emma.smit@example.com" for email, _key in due)  # planned
    employee = accounts.get_user_by_email("employee@example.com")
    assert [s.template_key for s in schedule.suggestions(employee, "person", paths.today())] == [
        "quarterly"]
