"""The check-ins' section of the daily e-mail digest (paths.reminders sends it, at most one a
day per person): the check-ins of today and tomorrow, for both sides, and, on two days only,
the suggested schedule: a 30-day conversation on the day it is due, the quarterly one two
weeks before the quarter ends (when not yet planned). Never a note or an action: only the
date, the kind of conversation and the other person."""

from datetime import date, timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import aliased, lazyload

from learnpath.accounts.models import User
from learnpath.conversations import schedule
from learnpath.conversations.models import CheckIn
from learnpath.conversations.templates import all_templates
from learnpath.extensions import db
from learnpath.paths.reminders import DigestSection, absolute_url
from learnpath.web.dates import show_day

AHEAD = timedelta(days=1)
QUARTER_NOTICE = timedelta(days=14)


def _due_lines(due: list[tuple[schedule.Suggestion, int]], kinds) -> list[str]:
    out = [gettext("Due on the suggested schedule:")]
    for suggestion, other_id in due:
        kind = kinds.get(suggestion.template_key)
        other = (suggestion.person if other_id == suggestion.person.id else suggestion.manager)
        out.append("- " + gettext(
            "%(kind)s with %(name)s, by %(date)s",
            kind=kind.title if kind else gettext("Check-in"),
            name=" ".join(other.display_name.split()),
            date=show_day(suggestion.due_on, "long")))
        out.append("  " + absolute_url("conversations.index", **{
            "with": other_id, "kind": suggestion.template_key}))
    return out


def _section(items: list[tuple[CheckIn, str | None]], kinds,
             due: list[tuple[schedule.Suggestion, int]] = ()) -> DigestSection:
    def lines(_today: date) -> list[str]:
        if not items:
            return _due_lines(due, kinds)
        out = [ngettext("Your check-in coming up:", "Your check-ins coming up:", len(items))]
        for check_in, other in items:
            kind = kinds.get(check_in.template_key)
            out.append("- " + gettext(
                "%(date)s: %(kind)s with %(name)s", date=show_day(check_in.scheduled_on,
                                                                     "long"),
                kind=kind.title if kind else gettext("Check-in"),
                name=" ".join((other or gettext("a former colleague")).split())))
            out.append("  " + absolute_url("conversations.show", check_in_id=check_in.id))
        return [*out, "", *_due_lines(due, kinds)] if due else out

    def subject() -> str:
        if not items:
            return ngettext("Reminder: %(num)d check-in is due",
                            "Reminder: %(num)d check-ins are due", len(due))
        return ngettext("Reminder: %(num)d check-in coming up",
                        "Reminder: %(num)d check-ins coming up", len(items))

    return DigestSection(count=len(items) + len(due), lines=lines, subject=subject)


def _reminder_day(day: date) -> date:
    """The day itself on a weekday, else the Monday after (digests usually go out Mon-Fri)."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _due_today(today: date) -> dict[int, list[tuple[schedule.Suggestion, int]]]:
    """{user id: [(suggestion, the other side's id)]} of what the schedule says on its two
    reminder days, for both sides."""
    quarter_end = schedule.quarter_bounds(today)[1]
    found: dict[int, list] = {}
    for suggestion in schedule.suggestions(None, "manager", today):
        if (suggestion.template_key == schedule.FIRST
                and today == _reminder_day(suggestion.due_on)) or (
                suggestion.template_key == schedule.QUARTERLY
                and today == _reminder_day(quarter_end - QUARTER_NOTICE)):
            found.setdefault(suggestion.manager.id, []).append(
                (suggestion, suggestion.person.id))
            found.setdefault(suggestion.person.id, []).append(
                (suggestion, suggestion.manager.id))
    return found


def digest_section(today: date) -> dict[int, DigestSection]:
    """{user id: section} for everyone with a planned check-in today or tomorrow (one query)."""
    manager, person = aliased(User), aliased(User)
    rows = db.session.execute(
        select(CheckIn, manager.display_name, person.display_name)
        .outerjoin(manager, manager.id == CheckIn.manager_id)
        .outerjoin(person, person.id == CheckIn.person_id)
        .options(lazyload("*"))
        .where(CheckIn.status == "scheduled", CheckIn.scheduled_on >= today,
               CheckIn.scheduled_on <= today + AHEAD)
        .order_by(CheckIn.scheduled_on, CheckIn.id)).all()
    per_user: dict[int, list[tuple[CheckIn, str | None]]] = {}
    for check_in, manager_name, person_name in rows:
        if check_in.manager_id:
            per_user.setdefault(check_in.manager_id, []).append((check_in, person_name))
        if check_in.person_id:
            per_user.setdefault(check_in.person_id, []).append((check_in, manager_name))
    due = _due_today(today)
    if not per_user and not due:
        return {}
    kinds = all_templates()
    return {user_id: _section(per_user.get(user_id, []), kinds, due.get(user_id, []))
            for user_id in set(per_user) | set(due)}
