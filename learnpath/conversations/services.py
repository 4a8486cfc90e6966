"""Scheduling and listing check-ins. Plain functions that flush; the caller commits."""

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, lazyload

from learnpath.accounts import services as accounts
from learnpath.accounts.models import TeamMembership, User
from learnpath.conversations.kinds import TEMPLATES
from learnpath.conversations.models import CheckIn
from learnpath.extensions import db
from learnpath.web.i18n import lazy_text as _l


class CheckInError(ValueError):
    """Bad input the person can correct (a 400 with this message)."""


class NotYourTeam(CheckInError):
    """The other person is not in a team this manager manages (a 403)."""


def managers_of(person: User) -> list[User]:
    """The people who manage a team this person is a member of, in one query."""
    member = aliased(TeamMembership)
    manager = aliased(TeamMembership)
    return list(db.session.scalars(
        select(User).join(manager, manager.user_id == User.id)
        .join(member, and_(member.team_id == manager.team_id, member.kind == "member"))
        .options(lazyload(User.role_rows))
        .where(manager.kind == "manager", member.user_id == person.id,
               User.id != person.id, User.active.is_(True))
        .distinct().order_by(User.display_name)
    ))


def managed_people(manager: User) -> list[User]:
    """Everyone in a team this manager manages (not the manager), by name."""
    seen: dict[int, User] = {}
    for _team, members in accounts.managed_teams_with_members(manager):
        for person in members:
            if person.id != manager.id and person.active:
                seen.setdefault(person.id, person)
    return sorted(seen.values(), key=lambda p: p.display_name.lower())


def _check(template_key: str, on: date, today: date) -> None:
    if template_key not in TEMPLATES:
        raise CheckInError(_l("Choose a kind of check-in."))
    if on < today:
        raise CheckInError(_l("Choose today or a date in the future."))


def _create(check_in: CheckIn, creator: User, token: str | None) -> CheckIn:
    if token:
        existing = _with_token(creator, token)
        if existing:
            return existing
    try:
        with db.session.begin_nested():
            db.session.add(check_in)
    except IntegrityError:  # the same form sent twice at once
        existing = _with_token(creator, token) if token else None
        if existing is None:
            raise
        return existing
    return check_in


def _with_token(creator: User, token: str) -> CheckIn | None:
    return db.session.scalar(select(CheckIn).where(CheckIn.created_by_id == creator.id,
                                                   CheckIn.submit_token == token))


def schedule(manager: User, person: User | None, template_key: str, on: date, today: date,
             token: str | None = None) -> CheckIn:
    """A manager schedules a check-in with a person in a team they manage."""
    if person is None or person.id == manager.id or not person.active \
            or not accounts.manages(manager, person):
        raise NotYourTeam(_l("You can only plan check-ins with people in a team you manage."))
    _check(template_key, on, today)
    return _create(CheckIn(manager_id=manager.id, person_id=person.id, created_by_id=manager.id,
                           requested_by_person=False, template_key=template_key,
                           scheduled_on=on, status="scheduled", submit_token=token or None),
                   manager, token)


def request(person: User, manager: User | None, template_key: str, on: date, today: date,
            token: str | None = None) -> CheckIn:
    """A person asks one of their managers for a check-in on a proposed date."""
    if manager is None or manager.id == person.id or not manager.active \
            or not accounts.manages(manager, person):
        raise NotYourTeam(_l("You can only ask a manager of one of your teams for a check-in."))
    _check(template_key, on, today)
    return _create(CheckIn(manager_id=manager.id, person_id=person.id, created_by_id=person.id,
                           requested_by_person=True, template_key=template_key,
                           scheduled_on=on, status="scheduled", submit_token=token or None),
                   person, token)


def upcoming(user: User, today: date, limit: int = 20) -> list[tuple[CheckIn, User | None]]:
    """This person's scheduled check-ins from today on, as manager or as person, each with the
    other side (None once that account is erased), in one query."""
    other = aliased(User)
    rows = db.session.execute(
        select(CheckIn, other)
        .outerjoin(other, or_(
            and_(CheckIn.manager_id == user.id, other.id == CheckIn.person_id),
            and_(CheckIn.person_id == user.id, other.id == CheckIn.manager_id)))
        .options(lazyload(other.role_rows))
        .where(or_(CheckIn.manager_id == user.id, CheckIn.person_id == user.id),
               CheckIn.status == "scheduled", CheckIn.scheduled_on >= today)
        .order_by(CheckIn.scheduled_on, CheckIn.id).limit(limit)
    ).all()
    return [(check_in, person) for check_in, person in rows]


def for_export(user: User) -> list[dict]:
    """This person's check-ins, either side (private notes, once they exist, stay out)."""
    rows = db.session.scalars(
        select(CheckIn).where(or_(CheckIn.manager_id == user.id, CheckIn.person_id == user.id))
        .order_by(CheckIn.scheduled_on, CheckIn.id))
    return [{"id": c.id, "role": "manager" if c.manager_id == user.id else "person",
             "template": c.template_key, "scheduled_on": c.scheduled_on.isoformat(),
             "status": c.status, "requested_by_person": c.requested_by_person,
             "created_at": c.created_at.isoformat()} for c in rows]


def erase(user: User) -> None:
    """Detach the person from their check-ins; the other side keeps the date, not the name."""
    for column in (CheckIn.manager_id, CheckIn.person_id, CheckIn.created_by_id):
        db.session.execute(db.update(CheckIn).where(column == user.id).values({column: None}))
    db.session.flush()
