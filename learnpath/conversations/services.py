"""Scheduling and listing check-ins. Plain functions that flush; the caller commits."""

from datetime import UTC, date, datetime, time
from functools import cache

from sqlalchemy import Date, Integer, and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, lazyload

from learnpath.accounts import services as accounts
from learnpath.accounts.models import TeamMembership, User
from learnpath.conversations.kinds import TEMPLATES
from learnpath.conversations.models import CheckIn, CheckInEntry, CheckInTemplateRow
from learnpath.conversations.templates import from_row, template_exists
from learnpath.engagement.models import Kudos
from learnpath.extensions import db
from learnpath.paths.enrolments import NotYourTeam as PathNotYourTeam
from learnpath.paths.enrolments import PathError, assign, enrol, enrolments_of, progress_of
from learnpath.paths.models import GrowthPath
from learnpath.skills.models import UserSkill
from learnpath.timeutil import utcnow
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
    if not template_exists(template_key):
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


@cache
def _upcoming_statement(with_kind: bool):
    """The statement of upcoming(), built once a process (building it costs more CPU than
    running it); the person, the day and the limit are bound parameters."""
    other = aliased(User)
    template = aliased(CheckInTemplateRow)
    user_id = bindparam("user_id", type_=Integer)
    query = select(CheckIn, other, template) if with_kind else select(CheckIn, other)
    query = query.outerjoin(other, or_(
        and_(CheckIn.manager_id == user_id, other.id == CheckIn.person_id),
        and_(CheckIn.person_id == user_id, other.id == CheckIn.manager_id)))
    if with_kind:
        query = query.outerjoin(template, template.key == CheckIn.template_key)
    return (query.options(lazyload(other.role_rows))
            .where(or_(CheckIn.manager_id == user_id, CheckIn.person_id == user_id),
                   CheckIn.status == "scheduled",
                   CheckIn.scheduled_on >= bindparam("today", type_=Date))
            .order_by(CheckIn.scheduled_on, CheckIn.id)
            .limit(bindparam("limit", type_=Integer)))


def _upcoming(user: User, today: date, limit: int, with_kind: bool = False):
    return db.session.execute(_upcoming_statement(with_kind),
                              {"user_id": user.id, "today": today, "limit": limit}).all()


def upcoming(user: User, today: date, limit: int = 20) -> list[tuple[CheckIn, User | None]]:
    """This person's scheduled check-ins from today on, as manager or as person, each with the
    other side (None once that account is erased), in one query."""
    return [(check_in, person) for check_in, person in _upcoming(user, today, limit)]


def upcoming_with_kinds(user: User, today: date, limit: int = 20):
    """upcoming() and the templates that name those check-ins, {key: template}, in one query
    (the starters stand in for keys without a row, as in all_templates)."""
    if limit <= 0:
        return [], {}
    rows = _upcoming(user, today, limit, with_kind=True)
    kinds = {}
    for check_in, _person, row in rows:
        found = from_row(row) if row is not None else TEMPLATES.get(check_in.template_key)
        if found is not None:
            kinds[check_in.template_key] = found
    return [(check_in, person) for check_in, person, _row in rows], kinds


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


# --- One check-in: the agenda, topics, notes, actions and confirmation -----------------------

class NotFound(CheckInError):
    """Not there for this person (a 404: a private note of the other side does not exist)."""


class Forbidden(CheckInError):
    """Seen, but not theirs to change (a 403)."""


ENTRY_KINDS = ("topic", "shared", "private", "action")
TEXT_MAX = 2000


def check_in_for(user: User, check_in_id: int) -> CheckIn:
    """The check-in if this person is one of its two sides; NotFound otherwise."""
    check_in = db.session.get(CheckIn, check_in_id)
    if check_in is None or check_in.side_of(user) is None:
        raise NotFound(_l("There is no such check-in."))
    return check_in


def _visible_entries(user: User, check_in: CheckIn):
    return select(CheckInEntry).where(
        CheckInEntry.check_in_id == check_in.id,
        or_(CheckInEntry.kind != "private", CheckInEntry.author_id == user.id))


def entries_for(user: User, check_in: CheckIn) -> list[CheckInEntry]:
    """What this side may see: everything but the other side's private notes."""
    return list(db.session.scalars(_visible_entries(user, check_in).order_by(CheckInEntry.id)))


def _previous_held(check_in: CheckIn) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.person_id == check_in.person_id,
                              CheckIn.status == "held", CheckIn.id != check_in.id,
                              CheckIn.scheduled_on <= check_in.scheduled_on)
        .order_by(CheckIn.scheduled_on.desc(), CheckIn.id.desc()).limit(1))


def agenda(check_in: CheckIn, day: date) -> dict:
    """What both sides may see about the person: path progress and overdue assignments, skills
    gained since the last held check-in, and kudos received only if the person agrees."""
    person = db.session.get(User, check_in.person_id) if check_in.person_id else None
    if person is None:
        return {"enrolments": [], "progress": {}, "skills": [], "kudos": None}
    enrolments = enrolments_of(person, states=("active",))
    previous = _previous_held(check_in)
    since = (datetime.combine(previous.scheduled_on, time.min, tzinfo=UTC)
             if previous else None)
    skills = select(UserSkill).where(UserSkill.user_id == person.id)
    if since:
        skills = skills.where(UserSkill.updated_at >= since)
    kudos = None
    if check_in.show_kudos:
        query = select(Kudos).where(Kudos.to_id == person.id)
        if since:
            query = query.where(Kudos.created_at >= since)
        kudos = list(db.session.scalars(query.order_by(Kudos.created_at.desc()).limit(10)))
    return {"enrolments": enrolments, "progress": progress_of(enrolments, day),
            "skills": list(db.session.scalars(skills.order_by(UserSkill.updated_at.desc()))),
            "kudos": kudos, "since": previous.scheduled_on if previous else None}


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CheckInError(_l("Write a few words."))
    if len(text) > TEXT_MAX:
        raise CheckInError(_l("Keep it under %(max)d characters.", max=TEXT_MAX))
    return text


def add_entry(user: User, check_in: CheckIn, kind: str, text: str, *, owner: str | None = None,
              due_on: date | None = None, path: GrowthPath | None = None,
              path_action: str | None = None, today: date | None = None,
              token: str | None = None) -> CheckInEntry:
    """Add a topic, a shared or private note, or an agreed action to a check-in."""
    side = check_in.side_of(user)
    if side is None:
        raise NotFound(_l("There is no such check-in."))
    if kind not in ENTRY_KINDS:
        raise CheckInError(_l("Choose what to add."))
    entry = CheckInEntry(check_in_id=check_in.id, author_id=user.id, kind=kind,
                         text=_clean(text), submit_token=token or None)
    if kind == "action":
        _fill_action(entry, check_in, side, owner, due_on, path, path_action, today)
    return _store_entry(entry, user, token)


def _fill_action(entry, check_in, side, owner, due_on, path, path_action, today) -> None:
    if owner not in ("manager", "person"):
        raise CheckInError(_l("Choose who does it."))
    if due_on is None or (today and due_on < today):
        raise CheckInError(_l("Choose today or a date in the future."))
    entry.owner_id = check_in.manager_id if owner == "manager" else check_in.person_id
    entry.due_on = due_on
    if not path_action:
        return
    if path_action not in ("enrol", "assign") or path is None:
        raise CheckInError(_l("Choose a growth path."))
    if path_action == "assign" and side == "manager":
        manager = db.session.get(User, check_in.manager_id)
        person = db.session.get(User, check_in.person_id) if check_in.person_id else None
        if person is None or not accounts.manages(manager, person):
            raise Forbidden(_l("You can only assign paths to people in teams you manage."))
    entry.path_id, entry.path_action = path.id, path_action


def _store_entry(entry: CheckInEntry, user: User, token: str | None) -> CheckInEntry:
    def sent() -> CheckInEntry | None:
        return db.session.scalar(select(CheckInEntry).where(
            CheckInEntry.author_id == user.id, CheckInEntry.submit_token == token))

    if token and (existing := sent()):
        return existing
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # the same form sent twice at once
        existing = sent() if token else None
        if existing is None:
            raise
        return existing
    return entry


def entry_for(user: User, check_in: CheckIn, entry_id: int) -> CheckInEntry:
    entry = db.session.scalar(_visible_entries(user, check_in).where(CheckInEntry.id == entry_id))
    if entry is None:  # includes the other side's private notes: do not reveal they exist
        raise NotFound(_l("There is no such note."))
    return entry


def edit_entry(user: User, check_in: CheckIn, entry_id: int, text: str) -> CheckInEntry:
    """Change the text of one's own topic or note."""
    entry = entry_for(user, check_in, entry_id)
    if entry.author_id != user.id or entry.kind == "action":
        raise Forbidden(_l("Only its writer can change this."))
    entry.text = _clean(text)
    db.session.flush()
    return entry


def carry_out(user: User, check_in: CheckIn, entry_id: int, today: date,
              at: datetime | None = None) -> CheckInEntry:
    """Carry out a path action: 'enrol' by the person, 'assign' (with the action's date as due
    date) by the manager, who must still manage the person. Twice is once.

    `at`: when, for history written after the fact (the demo); default now."""
    entry = entry_for(user, check_in, entry_id)
    if entry.kind != "action" or entry.path_action is None or entry.path_id is None:
        raise CheckInError(_l("This action does not create an enrolment."))
    if entry.carried_out_at is not None:
        return entry
    side = check_in.side_of(user)
    path = db.session.get(GrowthPath, entry.path_id)
    person = db.session.get(User, check_in.person_id) if check_in.person_id else None
    if person is None:
        raise NotFound(_l("There is no such check-in."))
    try:
        if entry.path_action == "enrol":
            if side != "person":
                raise Forbidden(_l("Only %(name)s can enrol themselves.",
                                   name=person.display_name))
            enrol(person, path, at=at)
        else:
            if side != "manager":
                raise Forbidden(_l("Only the manager can assign a path."))
            assign(user, path, [person], entry.due_on if entry.due_on >= today else None, "",
                   today, at=at)
    except PathNotYourTeam as error:
        raise Forbidden(str(error)) from error
    except PathError as error:
        raise CheckInError(str(error)) from error
    entry.carried_out_at = at or utcnow()
    db.session.flush()
    return entry


def set_show_kudos(user: User, check_in: CheckIn, show: bool) -> None:
    """Only the person decides whether their kudos are on the agenda."""
    if check_in.side_of(user) != "person":
        raise Forbidden(_l("Only the person can decide this."))
    check_in.show_kudos = show
    db.session.flush()


def confirm_held(user: User, check_in: CheckIn) -> None:
    """One side confirms the check-in happened; with both, it is held. Twice is once."""
    side = check_in.side_of(user)
    if side == "manager" and check_in.manager_confirmed_at is None:
        check_in.manager_confirmed_at = utcnow()
    elif side == "person" and check_in.person_confirmed_at is None:
        check_in.person_confirmed_at = utcnow()
    if check_in.manager_confirmed_at and check_in.person_confirmed_at:
        check_in.status = "held"
    db.session.flush()


def entries_for_export(user: User) -> list[dict]:
    """What this person wrote on check-ins: their own private notes, never the other side's."""
    rows = db.session.scalars(select(CheckInEntry).where(
        or_(CheckInEntry.author_id == user.id,
            and_(CheckInEntry.owner_id == user.id, CheckInEntry.kind == "action")))
        .order_by(CheckInEntry.id))
    return [{"check_in": e.check_in_id, "kind": e.kind, "text": e.text,
             "written_by_you": e.author_id == user.id, "due_on": e.due_on and e.due_on.isoformat(),
             "path_action": e.path_action,
             "carried_out_at": e.carried_out_at and e.carried_out_at.isoformat()}
            for e in rows]


def erase_entries(user: User) -> None:
    """Private notes go; other text this person wrote stays for the other side, unsigned."""
    db.session.execute(db.delete(CheckInEntry).where(CheckInEntry.author_id == user.id,
                                                     CheckInEntry.kind == "private"))
    for column in (CheckInEntry.author_id, CheckInEntry.owner_id):
        db.session.execute(db.update(CheckInEntry).where(column == user.id)
                           .values({column: None}))
    db.session.flush()


# --- What HR sees: per primary team, above the threshold, who had a check-in this quarter ----

def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def check_in_share_per_team(day: date, threshold: int) -> dict[int, int | None]:
    """Per primary team (id): the percentage of its active people who had a held check-in (as
    the person) this quarter; None for teams with fewer than `threshold` people, so no one can
    be singled out. Two grouped queries; never a name or a user id leaves this function."""
    people = dict(db.session.execute(
        select(User.primary_team_id, func.count())
        .where(User.active.is_(True), User.primary_team_id.is_not(None))
        .group_by(User.primary_team_id)).all())
    held = dict(db.session.execute(
        select(User.primary_team_id, func.count(func.distinct(CheckIn.person_id)))
        .join(CheckIn, CheckIn.person_id == User.id)
        .where(User.active.is_(True), User.primary_team_id.is_not(None),
               CheckIn.status == "held", CheckIn.scheduled_on >= quarter_start(day),
               CheckIn.scheduled_on <= day)
        .group_by(User.primary_team_id)).all())
    return {team_id: (round(100 * held.get(team_id, 0) / n) if n >= threshold else None)
            for team_id, n in people.items()}
