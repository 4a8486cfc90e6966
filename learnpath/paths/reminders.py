"""E-mail reminders for assigned paths due within a week or overdue: one digest per person.

`learnpath reminders send` (run by cron, for example daily) sends each active person one
message listing their active assignments that are due within 7 days or overdue, in their
own language, and reminds them of one assignment at most once every 7 days. A person gets at
most one digest per day (users.last_digest_at), however often the command runs.

Higher features add their own sections (check-ins, for one) with register_digest_section(),
so this module never imports them.
"""

import smtplib
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.mail import Mailer
from learnpath.paths.enrolments import progress_of
from learnpath.paths.models import Enrolment, GrowthPath
from learnpath.paths.progress import Progress
from learnpath.timeutil import utcnow
from learnpath.web.dates import show_day
from learnpath.web.i18n import lazy_text as _l

DUE_WITHIN = timedelta(days=7)
REMIND_EVERY = timedelta(days=7)
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

STATUS_NAMES = {
    "not_started": _l("Not started"), "in_progress": _l("In progress"),
    "completed": _l("Completed"), "on_track": _l("On track"), "behind": _l("Behind"),
    "overdue": _l("Overdue"),
}


@dataclass
class DigestSection:
    """What another feature adds to one person's digest.

    lines(today) gives the section's plain-text lines and subject() the message's subject when
    the digest has no assignments; both are called in the person's language."""

    count: int
    lines: Callable[[date], list[str]]
    subject: Callable[[], str]
    # False: a line that rides along in a digest sent anyway, never a reason to send one.
    standalone: bool = True


# A source: given the organisation's date, {user id: section} for the people it has news for.
SectionSource = Callable[[date], dict[int, DigestSection]]
SECTIONS_KEY = "learnpath.digest_sections"


def register_digest_section(app, source: SectionSource) -> None:
    """Let a feature add a section to the daily digest (in its hooks.init_app)."""
    app.extensions.setdefault(SECTIONS_KEY, []).append(source)


@dataclass
class Digest:
    """One person's reminder: the assignments it lists and, once composed, the message."""

    user: User
    items: list[tuple[Enrolment, Progress]]
    sections: list[DigestSection] = field(default_factory=list)
    locale: str = "en"
    message: EmailMessage | None = None
    error: str | None = None

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]) if self.message else ""


@dataclass
class ReminderReport:
    dry_run: bool
    digests: list[Digest] = field(default_factory=list)

    @property
    def sent(self) -> list[Digest]:
        return [d for d in self.digests if d.error is None]

    @property
    def failed(self) -> list[Digest]:
        return [d for d in self.digests if d.error is not None]

    @property
    def reminders(self) -> int:
        return sum(len(d.items) + sum(s.count for s in d.sections) for d in self.sent)


def local_today(now: datetime) -> date:
    """The organisation's calendar date at this moment."""
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _start_of(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _not_digested_today(today: date):
    return or_(User.last_digest_at.is_(None), User.last_digest_at < _start_of(today))


def due_digests(now: datetime, lock: bool = False) -> list[Digest]:
    """Who is reminded now, of which assignments, with their progress (three queries), plus
    the registered sections (a query each, and one for their people).

    Only active assignments with a due date within DUE_WITHIN or past, of published paths,
    for active people who had no digest yet today, and not reminded in the last REMIND_EVERY.
    With lock, the rows are locked (PostgreSQL) so two simultaneous runs do not remind of the
    same assignment twice.
    """
    today = local_today(now)
    stmt = (
        select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .join(Enrolment.path)
        .options(contains_eager(Enrolment.path))
        .where(Enrolment.source == "assigned", Enrolment.state == "active",
               Enrolment.due_date.is_not(None), Enrolment.due_date <= today + DUE_WITHIN,
               User.active.is_(True), GrowthPath.status == "published",
               _not_digested_today(today),
               or_(Enrolment.last_reminded_at.is_(None),
                   Enrolment.last_reminded_at <= now - REMIND_EVERY))
        .order_by(User.id, Enrolment.due_date, GrowthPath.slug))
    if lock:
        stmt = stmt.with_for_update(of=Enrolment, skip_locked=True)
    rows = db.session.execute(stmt).all()
    progress = progress_of([enrolment for enrolment, _user in rows], today)
    people: dict[int, User] = {}
    items: dict[int, list[tuple[Enrolment, Progress]]] = defaultdict(list)
    for enrolment, user in rows:
        people[user.id] = user
        items[user.id].append((enrolment, progress[enrolment.id]))
    sections: dict[int, list[DigestSection]] = defaultdict(list)
    for source in current_app.extensions.get(SECTIONS_KEY, []):
        for user_id, section in source(today).items():
            sections[user_id].append(section)
    sections = {user_id: found for user_id, found in sections.items()
                if user_id in items or any(section.standalone for section in found)}
    missing = set(sections) - set(people)
    if missing:
        for user in db.session.scalars(select(User).where(
                User.id.in_(missing), User.active.is_(True), _not_digested_today(today))
                .order_by(User.id)):
            people[user.id] = user
    return [Digest(people[user_id], items[user_id], sections.get(user_id, []))
            for user_id in sorted(people)]


def _locale_of(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def absolute_url(endpoint: str, **values) -> str:
    base = str(current_app.config.get("BASE_URL", DEFAULT_BASE_URL) or DEFAULT_BASE_URL)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _due_text(due: date, today: date) -> str:
    days = (due - today).days
    when = show_day(due, "long")
    if days < 0:
        return gettext("Overdue: it was due on %(date)s.", date=when)
    if days == 0:
        return gettext("Due today, %(date)s.", date=when)
    return ngettext("Due on %(date)s, in %(num)d day.", "Due on %(date)s, in %(num)d days.",
                    days, date=when)


def _body(digest: Digest, today: date) -> str:
    """The plain-text digest in the current (forced) locale."""
    lines = [gettext("Hello %(name)s,", name=_one_line(digest.user.display_name)), ""]
    for section in digest.sections:
        lines += [*section.lines(today), ""]
    if not digest.items:
        return "\n".join([*lines, "-- ", gettext("learnpath sends you at most one e-mail a day.")]
                         ) + "\n"
    lines += [ngettext("This growth path was assigned to you and is due soon or overdue:",
                       "These growth paths were assigned to you and are due soon or overdue:",
                       len(digest.items)), ""]
    for enrolment, progress in digest.items:
        lines += [
            f"- {_one_line(enrolment.path.title(digest.locale))}",
            f"  {_due_text(enrolment.due_date, today)}",
            "  " + ngettext("Progress: %(done)d of %(num)d step done (%(status)s).",
                            "Progress: %(done)d of %(num)d steps done (%(status)s).",
                            progress.required, done=progress.done,
                            status=str(STATUS_NAMES[progress.status])),
            f"  {absolute_url('paths.show', slug=enrolment.path.slug)}",
            "",
        ]
    lines += [gettext("All your growth paths: %(url)s", url=absolute_url("paths.overview")),
              "", "-- ",
              gettext("learnpath reminds you of an assignment at most once a week.")]
    return "\n".join(lines) + "\n"


def compose(digest: Digest, now: datetime) -> EmailMessage:
    """The digest as a plain-text e-mail in the person's language."""
    digest.locale = _locale_of(digest.user)
    config = current_app.config
    with force_locale(digest.locale):
        subject = ngettext("Reminder: %(num)d assigned growth path is due soon",
                           "Reminder: %(num)d assigned growth paths are due soon",
                           len(digest.items)) if digest.items else next(
                               s for s in digest.sections if s.standalone).subject()
        body = _body(digest, local_today(now))
    sender = config.get("MAIL_DEFAULT_SENDER") or "learnpath@localhost"
    message = EmailMessage()
    message["Subject"] = _one_line(subject)
    message["From"] = sender
    message["To"] = formataddr((_one_line(digest.user.display_name), digest.user.email))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("reminder", domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    message["Content-Language"] = digest.locale  # after set_content, which resets Content-*
    return message


def send_reminders(now: datetime | None = None, dry_run: bool = False) -> ReminderReport:
    """Compose and send the due digests; mark what was sent. Flushes; the caller commits.

    A failure for one person is recorded in the report and does not stop the others.
    With dry_run, the messages are composed but nothing is sent or changed.
    """
    now = (now or utcnow()).astimezone(UTC)
    report = ReminderReport(dry_run)
    report.digests = due_digests(now, lock=not dry_run)
    mailer = None if dry_run else Mailer(current_app.config)
    try:
        for digest in report.digests:
            try:
                digest.message = compose(digest, now)
                if mailer is not None:
                    mailer.send(digest.message)
            except (smtplib.SMTPException, OSError, ValueError) as error:
                digest.error = f"{type(error).__name__}: {error}"
                current_app.logger.warning("reminder to user %s failed: %s", digest.user.id,
                                           digest.error)
                continue
            if not dry_run:
                for enrolment, _progress in digest.items:
                    enrolment.last_reminded_at = now
                digest.user.last_digest_at = now
                db.session.flush()
    finally:
        if mailer is not None:
            mailer.close()
    return report


# The command -------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@click.group("reminders")
def reminders_group():
    """E-mail reminders for assigned growth paths."""


@reminders_group.command("send")
@click.option("--dry-run", is_flag=True,
              help="Print the messages that would be sent; send and change nothing.")
@with_appcontext
def send_command(dry_run: bool):
    """E-mail each person one digest of their assignments due within 7 days or overdue."""
    report = send_reminders(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for digest in report.digests:
        email = digest.user.email
        if digest.error is not None:
            click.echo(f"failed    {email}: {digest.error}", err=True)
        elif dry_run:
            click.echo(f"would send to {email} ({digest.locale}): {digest.subject}")
            for line in digest.message.get_content().splitlines():
                click.echo(f"    {line}".rstrip())
        else:
            count = len(digest.items) + sum(s.count for s in digest.sections)
            click.echo(f"sent      {email}: {_plural(count, 'reminder', 'reminders')}")
    reminders = _plural(report.reminders, "reminder", "reminders")
    people = _plural(len(report.sent), "person", "people")
    if dry_run:
        click.echo(f"Dry run: would send {reminders} to {people}; nothing was sent or changed.")
    else:
        click.echo(f"Sent {reminders} to {people}.")
    if report.failed:
        click.echo(f"Failed for {_plural(len(report.failed), 'person', 'people')}; "
                   "they will be tried again on the next run.", err=True)
        sys.exit(1)
