"""Reminder digests: sent through a real local SMTP server (aiosmtpd) and read back."""

import socket
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import catalog
from learnpath.paths.models import Enrolment
from learnpath.paths.reminders import send_reminders

# 09:00 in Amsterdam on Monday 2 March 2026.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


class Inbox:
    """An aiosmtpd handler that keeps every message and can refuse chosen recipients."""

    def __init__(self):
        self.messages = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_USERNAME=None, MAIL_DEFAULT_SENDER="learnpath@example.com",
                      BASE_URL="https://learn.example.com/")
    yield handler
    controller.stop()


@pytest.fixture
def make_path(app):
    """A published path of two new modules."""

    def factory(slug, title_en, title_nl):
        ids = []
        for n in (1, 2):
            module = module_authoring.create_module(f"{slug}-{n}", f"# Step {n}\n\nText.\n")
            module_authoring.publish(module, None)
            ids.append(module.id)
        data = catalog.PathData(slug, title_nl, title_en, "", "", "horizontal", [],
                                 [(i, False) for i in ids])
        path, _status = catalog.save_path(data)
        db.session.commit()
        return path

    return factory


@pytest.fixture
def assign(app):
    """Assign a path with a due date, enrolled two weeks before NOW."""

    def factory(person, path, due, source="assigned", state="active"):
        enrolment = Enrolment(user_id=person.id, path_id=path.id, source=source, state=state,
                              due_date=due, enrolled_at=NOW - timedelta(days=14))
        db.session.add(enrolment)
        db.session.commit()
        return enrolment

    return factory


@pytest.fixture
def paths(make_path):
    return (make_path("feedback", "Feedback and recognition", "Feedback en waardering"),
            make_path("meetings", "Effective meetings", "Effectief vergaderen"))


def body_of(message):
    return message.get_content()


def test_one_digest_lists_every_due_assignment_once(inbox, make_user, assign, paths):
    person = make_user(name="Ada Lovelace", locale="en")
    feedback, meetings = paths
    assign(person, feedback, TODAY + timedelta(days=3))
    assign(person, meetings, TODAY - timedelta(days=2))

    report = send_reminders(now=NOW)
    db.session.commit()

    (message,) = inbox.to(person.email)
    body = body_of(message)
    assert body.count("Feedback and recognition") == 1
    assert body.count("Effective meetings") == 1
    assert "Hello Ada Lovelace," in body
    assert "Due on 5 March 2026, in 3 days." in body
    assert "Overdue: it was due on 28 February 2026." in body
    assert "Progress: 0 of 2 steps done (Behind)." in body
    assert "Progress: 0 of 2 steps done (Overdue)." in body
    assert "https://learn.example.com/paths/feedback" in body
    assert "https://learn.example.com/paths/meetings" in body
    assert message["Subject"] == "Reminder: 2 assigned growth paths are due soon"
    assert message["From"] == "learnpath@example.com"
    assert message["To"].addresses[0].addr_spec == person.email
    assert message["Content-Language"] == "en"
    assert (len(report.sent), report.reminders) == (1, 2)
    reminded = db.session.scalars(select(Enrolment.last_reminded_at)).all()
    assert len(reminded) == 2 and all(reminded)


def test_progress_in_the_digest_counts_completed_steps(inbox, make_user, assign, paths):
    person = make_user()
    feedback, _meetings = paths
    assign(person, feedback, TODAY + timedelta(days=6))
    module_learning.complete_module(person, modules.get_module("feedback-1"))
    db.session.commit()
    send_reminders(now=NOW)
    assert "Progress: 1 of 2 steps done" in body_of(inbox.to(person.email)[0])


def test_a_dutch_person_gets_the_digest_in_dutch(inbox, make_user, assign, paths):
    person = make_user(locale="nl")
    feedback, _meetings = paths
    assign(person, feedback, TODAY + timedelta(days=3))
    send_reminders(now=NOW)

    (message,) = inbox.to(person.email)
    body = body_of(message)
    assert message["Content-Language"] == "nl"
    assert "Feedback en waardering" in body and "Feedback and recognition" not in body
    assert "5 maart 2026" in body  # the date in Dutch
    with force_locale("nl"):
        subject = ngettext("Reminder: %(num)d assigned growth path is due soon",
                           "Reminder: %(num)d assigned growth paths are due soon", 1)
    assert message["Subject"] == subject


def test_people_with_other_languages_each_get_their_own(inbox, make_user, assign, paths):
    english, dutch, unset = make_user(locale="en"), make_user(locale="nl"), make_user()
    for person in (english, dutch, unset):
        assign(person, paths[0], TODAY + timedelta(days=1))
    report = send_reminders(now=NOW)
    assert len(inbox.messages) == 3 and len(report.sent) == 3
    assert inbox.to(unset.email)[0]["Content-Language"] == "en"
    assert "Feedback and recognition" in body_of(inbox.to(unset.email)[0])


def test_nothing_for_deactivated_people(inbox, make_user, assign, paths):
    gone = make_user(active=False)
    assign(gone, paths[0], TODAY + timedelta(days=1))
    report = send_reminders(now=NOW)
    assert inbox.messages == [] and report.digests == []
    assert db.session.scalar(select(Enrolment.last_reminded_at)) is None


def test_nothing_for_later_due_dates_self_enrolments_or_finished_assignments(
        inbox, make_user, assign, make_path, paths):
    person = make_user()
    feedback, meetings = paths
    extra = make_path("writing", "Writing", "Schrijven")
    third = make_path("coaching", "Coaching", "Coachen")
    fourth = make_path("buddy", "Buddy", "Buddy")
    assign(person, feedback, TODAY + timedelta(days=8))  # too far away
    assign(person, meetings, TODAY + timedelta(days=1), source="self")
    assign(person, extra, TODAY - timedelta(days=1), state="completed")
    assign(person, third, TODAY - timedelta(days=1), state="withdrawn")
    assign(person, fourth, None)  # no due date
    assert send_reminders(now=NOW).digests == []
    assert inbox.messages == []


def test_exactly_seven_days_ahead_is_included(inbox, make_user, assign, paths):
    person = make_user()
    assign(person, paths[0], TODAY + timedelta(days=7))
    send_reminders(now=NOW)
    assert "in 7 days" in body_of(inbox.to(person.email)[0])


def test_an_assignment_is_reminded_at_most_once_a_week(inbox, make_user, assign, paths):
    person = make_user()
    assign(person, paths[0], TODAY + timedelta(days=2))
    send_reminders(now=NOW)
    db.session.commit()
    assert len(inbox.messages) == 1

    for days in (1, 6):
        assert send_reminders(now=NOW + timedelta(days=days)).digests == []
        db.session.commit()
    assert len(inbox.messages) == 1

    send_reminders(now=NOW + timedelta(days=8))  # overdue by now, and a week has passed
    db.session.commit()
    assert len(inbox.messages) == 2
    assert "Overdue" in body_of(inbox.messages[1][1])


def test_a_newly_due_assignment_does_not_repeat_one_reminded_this_week(inbox, make_user,
                                                                         assign, paths):
    person = make_user()
    feedback, meetings = paths
    assign(person, feedback, TODAY + timedelta(days=2))
    assign(person, meetings, TODAY + timedelta(days=10))
    send_reminders(now=NOW)
    db.session.commit()
    send_reminders(now=NOW + timedelta(days=3))  # meetings is now due within 7 days
    second = body_of(inbox.messages[1][1])
    assert "Effective meetings" in second and "Feedback and recognition" not in second


def test_dry_run_sends_nothing_and_changes_nothing(inbox, make_user, assign, paths, runner):
    person = make_user()
    assign(person, paths[0], date.today() + timedelta(days=2))
    result = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"would send to {person.email} (en)" in result.output
    assert "Feedback and recognition" in result.output
    assert "Dry run: would send 1 reminder to 1 person; nothing was sent or changed." in (
        result.output)
    assert inbox.messages == []
    db.session.expire_all()
    assert db.session.scalar(select(Enrolment.last_reminded_at)) is None


def test_command_sends_and_prints_a_summary(inbox, make_user, assign, paths, runner):
    first, second = make_user(), make_user()
    assign(first, paths[0], date.today() + timedelta(days=2))
    assign(first, paths[1], date.today() - timedelta(days=2))
    assign(second, paths[0], date.today())
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 3 reminders to 2 people." in result.output
    assert len(inbox.messages) == 2
    db.session.expire_all()
    assert all(db.session.scalars(select(Enrolment.last_reminded_at)))
    again = runner.invoke(args=["reminders", "send"])
    assert "Sent 0 reminders to 0 people." in again.output and len(inbox.messages) == 2


def test_a_failure_for_one_person_does_not_stop_the_others(inbox, make_user, assign, paths,
                                                           runner):
    refused, fine = make_user(), make_user()
    inbox.refused.add(refused.email)
    for person in (refused, fine):
        assign(person, paths[0], date.today() + timedelta(days=1))
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert f"failed    {refused.email}" in result.output
    assert "Sent 1 reminder to 1 person." in result.output
    assert len(inbox.to(fine.email)) == 1 and inbox.to(refused.email) == []
    db.session.expire_all()
    stamps = dict(db.session.execute(
        select(Enrolment.user_id, Enrolment.last_reminded_at)).all())
    assert stamps[refused.id] is None and stamps[fine.id] is not None  # tried again next run


def test_an_unreachable_server_is_reported_and_nothing_is_marked(app, make_user, assign,
                                                                  paths):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    person = make_user()
    assign(person, paths[0], TODAY + timedelta(days=1))
    report = send_reminders(now=NOW)
    assert len(report.failed) == 1 and report.sent == []
    assert db.session.scalar(select(Enrolment.last_reminded_at)) is None


def test_archived_paths_are_not_reminded(inbox, make_user, assign, paths):
    person = make_user()
    assign(person, paths[0], TODAY + timedelta(days=1))
    paths[0].status = "archived"
    db.session.commit()
    assert send_reminders(now=NOW).digests == []
