"""One person's check-ins with their agreed actions, for the JSON API (three queries a page).

Only what both sides see leaves here: the check-in and its agreed actions. Topics and notes
stay on the check-in page, and private notes are never read at all.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

from learnpath.accounts.models import User
from learnpath.conversations.models import CheckIn, CheckInEntry
from learnpath.extensions import db
from learnpath.paths.models import GrowthPath


@dataclass
class Listed:
    check_in: CheckIn
    side: str  # "manager" or "person"
    other: User | None
    actions: list[tuple[CheckInEntry, str | None]]  # with the path's slug


def check_ins_of(user: User, offset: int, limit: int) -> list[Listed]:
    """This person's check-ins, either side, newest date first; limit + 1 rows so the caller
    knows whether there is more."""
    rows = list(db.session.scalars(
        select(CheckIn).where(or_(CheckIn.manager_id == user.id, CheckIn.person_id == user.id))
        .order_by(CheckIn.scheduled_on.desc(), CheckIn.id.desc())
        .offset(offset).limit(limit + 1)))
    if not rows:
        return []
    others = {c.id: c.person_id if c.manager_id == user.id else c.manager_id for c in rows}
    people = {u.id: u for u in db.session.scalars(
        select(User).options(lazyload(User.role_rows))
        .where(User.id.in_([i for i in others.values() if i])))}
    actions: dict[int, list] = {c.id: [] for c in rows}
    for entry, slug in db.session.execute(
            select(CheckInEntry, GrowthPath.slug)
            .outerjoin(GrowthPath, GrowthPath.id == CheckInEntry.path_id)
            .where(CheckInEntry.check_in_id.in_(list(actions)),
                   CheckInEntry.kind == "action")
            .order_by(CheckInEntry.id)):
        actions[entry.check_in_id].append((entry, slug))
    return [Listed(c, "manager" if c.manager_id == user.id else "person",
                   people.get(others[c.id]), actions[c.id]) for c in rows]
