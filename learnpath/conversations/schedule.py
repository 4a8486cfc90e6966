"""The suggested schedule: which check-ins are due, for the manager and for the person.

- The 30-day conversation, 30 days after the person joined a team this manager manages
  (memberships older than the joined date have none, and get no suggestion). It is suggested
  from two weeks before until a month after that day, unless the two already planned one.
- The quarterly development conversation, once every calendar quarter, due by the quarter's
  last day, unless the two planned or held one this quarter (and not for a newcomer until a
  month after their 30-day conversation was due: one conversation, not two).

Three queries for any number of people: the pairs, the check-ins they have, the people
(for one person one: the pairs with their check-ins, the people and the kinds of check-in).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, Integer, and_, bindparam, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased, lazyload

from learnpath.accounts.models import TeamMembership, User
from learnpath.conversations.kinds import TEMPLATES
from learnpath.conversations.models import CheckIn, CheckInTemplateRow
from learnpath.conversations.templates import from_row
from learnpath.extensions import db

FIRST = "thirty-day"
QUARTERLY = "quarterly"
FIRST_AFTER = timedelta(days=30)
SHOW_BEFORE = timedelta(days=14)
SHOW_AFTER = timedelta(days=30)
MAX_LISTED_PAIRS = 500


@dataclass(frozen=True)
class Suggestion:
    template_key: str
    due_on: date
    manager: User
    person: User

    def overdue(self, today: date) -> bool:
        return self.due_on < today


def quarter_bounds(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = (date(day.year + 1, 1, 1) if first_month == 10
           else date(day.year, first_month + 3, 1)) - timedelta(days=1)
    return start, end


def _pairs(user: User | None, side: str) -> list[tuple[int, int, object]]:
    """(manager id, person id, first joined_at) for every manager and member sharing a team:
    this user's as 'manager' or 'person', or everyone's (user None)."""
    member = aliased(TeamMembership)
    manager = aliased(TeamMembership)
    query = (select(manager.user_id, member.user_id, func.min(member.joined_at))
             .join(member, and_(member.team_id == manager.team_id, member.kind == "member"))
             .where(manager.kind == "manager", member.user_id != manager.user_id)
             .group_by(manager.user_id, member.user_id))
    if user is not None:
        query = query.where((manager.user_id if side == "manager" else member.user_id)
                            == user.id)
    return list(db.session.execute(query).all())


def _planned(pairs, quarter_start: date) -> tuple[set, set]:
    """Pairs with a 30-day check-in at all, and pairs with a quarterly one this quarter."""
    if not pairs:
        return set(), set()
    query = (select(CheckIn.manager_id, CheckIn.person_id, CheckIn.template_key)
             .where(CheckIn.status != "cancelled",
                    or_(CheckIn.template_key == FIRST,
                        and_(CheckIn.template_key == QUARTERLY,
                             CheckIn.scheduled_on >= quarter_start))))
    if len(pairs) <= MAX_LISTED_PAIRS:  # else all of them: cheaper than a huge IN list
        query = query.where(tuple_(CheckIn.manager_id, CheckIn.person_id).in_(pairs))
    rows = db.session.execute(query).all()
    first = {(m, p) for m, p, key in rows if key == FIRST}
    quarterly = {(m, p) for m, p, key in rows if key == QUARTERLY}
    return first, quarterly


@cache
def _pairs_statement(side: str):
    """The statement of _pairs_with_plans, built once a process (building it costs more CPU
    than running it); the person and the quarter are bound parameters."""
    member = aliased(TeamMembership)
    manager = aliased(TeamMembership)
    boss, person = aliased(User), aliased(User)
    first_row, quarterly_row = aliased(CheckInTemplateRow), aliased(CheckInTemplateRow)

    def planned(*conditions):
        return exists().where(CheckIn.manager_id == manager.user_id,
                              CheckIn.person_id == member.user_id,
                              CheckIn.status != "cancelled", *conditions)

    return (
        select(manager.user_id, member.user_id, func.min(member.joined_at),
               planned(CheckIn.template_key == FIRST),
               planned(CheckIn.template_key == QUARTERLY,
                       CheckIn.scheduled_on >= bindparam("quarter_start", type_=Date)),
               boss, person, first_row, quarterly_row)
        .join(member, and_(member.team_id == manager.team_id, member.kind == "member"))
        .join(boss, boss.id == manager.user_id).join(person, person.id == member.user_id)
        .outerjoin(first_row, first_row.key == FIRST)
        .outerjoin(quarterly_row, quarterly_row.key == QUARTERLY)
        .options(lazyload(boss.role_rows), lazyload(person.role_rows))
        .where(manager.kind == "manager", member.user_id != manager.user_id,
               (manager.user_id if side == "manager" else member.user_id)
               == bindparam("user_id", type_=Integer))
        .group_by(manager.user_id, member.user_id, boss.id, person.id, first_row.id,
                  quarterly_row.id))


def _pairs_with_plans(user: User, side: str, quarter_start: date):
    """_pairs, _planned and the people for one person in one statement: each pair with
    whether it has a 30-day check-in and a quarterly one this quarter, both people (active
    ones only, as in suggestions) and the kinds of check-in that may be due."""
    rows = db.session.execute(_pairs_statement(side), {"user_id": user.id,
                                                       "quarter_start": quarter_start}).all()
    pairs = [(m, p, joined) for m, p, joined, *_rest in rows]
    people = {u.id: u for row in rows for u in row[5:7] if u.active}
    kinds = {key: from_row(stored) if stored is not None else TEMPLATES.get(key)
             for key, stored in ((FIRST, rows[0][7]), (QUARTERLY, rows[0][8]))} if rows else {}
    return (pairs, {(m, p) for m, p, _j, first, *_rest in rows if first},
            {(m, p) for m, p, _j, _f, quarterly, *_rest in rows if quarterly}, people,
            {key: kind for key, kind in kinds.items() if kind is not None})


def _joined_on(joined_at) -> date | None:
    if joined_at is None:
        return None
    return joined_at.date() if hasattr(joined_at, "date") else joined_at


def suggestions(user: User | None, side: str, today: date) -> list[Suggestion]:
    """What is due for this person as 'manager' (for their people) or as 'person'; for
    everyone with user None (the digest)."""
    return _suggestions(user, side, today)[0]


def _suggestions(user: User | None, side: str, today: date):
    start, end = quarter_bounds(today)
    people = kinds = None
    if user is None:
        pairs = _pairs(user, side)
        first, quarterly = _planned([(m, p) for m, p, _j in pairs], start)
    else:
        pairs, first, quarterly, people, kinds = _pairs_with_plans(user, side, start)
    due: list[tuple[str, date, int, int]] = []
    for manager_id, person_id, joined_at in pairs:
        joined = _joined_on(joined_at)
        first_due = joined + FIRST_AFTER if joined else None
        if first_due and today <= first_due + SHOW_AFTER:  # a newcomer: no quarterly yet
            if (manager_id, person_id) not in first and first_due - SHOW_BEFORE <= today:
                due.append((FIRST, first_due, manager_id, person_id))
        elif (manager_id, person_id) not in quarterly:
            due.append((QUARTERLY, end, manager_id, person_id))
    ids = {i for _k, _d, m, p in due for i in (m, p)}
    if people is None:
        people = {u.id: u for u in db.session.scalars(
            select(User).options(lazyload(User.role_rows))
            .where(User.id.in_(ids), User.active.is_(True)))} if ids else {}
    found = [Suggestion(key, on, people[m], people[p]) for key, on, m, p in due
             if m in people and p in people]
    return sorted(found, key=lambda s: (s.due_on, s.person.display_name.lower()
                                        if side == "manager" else s.manager.display_name.lower())
                  ), kinds or {}


def due_for(user: User, today: date) -> dict[str, list[Suggestion]]:
    """Both lists for the home page: as a manager and as a person."""
    return due_with_kinds(user, today)[0]


def due_with_kinds(user: User, today: date):
    """due_for and the kinds of check-in that name what is due, {key: template}, in one
    statement per side."""
    kinds: dict = {}
    due = {}
    for side in ("manager", "person"):
        if side == "manager" and not user.has_any_role("manager"):
            due[side] = []
            continue
        due[side], side_kinds = _suggestions(user, side, today)
        kinds.update(side_kinds)
    return due, kinds
