"""The check-ins' section of the daily e-mail digest (paths.reminders sends it, at most one a
day per person): the check-ins of today and tomorrow, for both sides. Never a note or an
action: only the date, the kind of conversation and the other person."""

from datetime import date, timedelta

from flask_babel import format_date, gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import aliased, lazyload

from learnpath.accounts.models import User
from learnpath.conversations.models import CheckIn
from learnpath.conversations.templates import all_templates
from learnpath.extensions import db
from learnpath.paths.reminders import DigestSection, absolute_url

AHEAD = timedelta(days=1)


def _section(items: list[tuple[CheckIn, str | None]], kinds) -> DigestSection:
    def lines(_today: date) -> list[str]:
        out = [ngettext("Your check-in coming up:", "Your check-ins coming up:", len(items))]
        for check_in, other in items:
            kind = kinds.get(check_in.template_key)
            out.append("- " + gettext(
                "%(date)s: %(kind)s with %(name)s", date=format_date(check_in.scheduled_on,
                                                                     "long"),
                kind=kind.title if kind else gettext("Check-in"),
                name=" ".join((other or gettext("a former colleague")).split())))
            out.append("  " + absolute_url("conversations.show", check_in_id=check_in.id))
        return out

    def subject() -> str:
        return ngettext("Reminder: %(num)d check-in coming up",
                        "Reminder: %(num)d check-ins coming up", len(items))

    return DigestSection(count=len(items), lines=lines, subject=subject)


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
    if not per_user:
        return {}
    kinds = all_templates()
    return {user_id: _section(items, kinds) for user_id, items in per_user.items()}
