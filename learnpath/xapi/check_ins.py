"""A person's held check-ins as xAPI "attended" statements, for that person only.

Only through GET /api/v1/xapi/check-ins with the person's own token: a check-in is a
conversation between two people, so it never goes to the organisation's learning record store
(the outbox), and a statement says only that the person attended which kind of conversation
on which day, never with whom, what was said or what was agreed.
"""

import uuid

from sqlalchemy import or_, select

from learnpath.conversations.models import CheckIn
from learnpath.conversations.templates import all_templates
from learnpath.extensions import db
from learnpath.xapi.statements import LANG_TAGS, XAPI_VERSION, _namespace, agent, base_url, iso

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
MEETING = "http://adlnet.gov/expapi/activities/meeting"


def held_check_ins(user, offset: int, limit: int) -> list[CheckIn]:
    """Held check-ins of this person (either side), oldest first; limit + 1 rows."""
    return list(db.session.scalars(
        select(CheckIn).where(or_(CheckIn.manager_id == user.id,
                                  CheckIn.person_id == user.id),
                              CheckIn.status == "held")
        .order_by(CheckIn.scheduled_on, CheckIn.id).offset(offset).limit(limit + 1)))


def statements(user, check_ins: list[CheckIn]) -> list[dict]:
    kinds = all_templates()
    found = []
    for check_in in check_ins:
        kind = kinds.get(check_in.template_key)
        names = ({tag: kind.title_in(lang) for lang, tag in LANG_TAGS.items()} if kind
                 else {"en-US": check_in.template_key})
        moments = [m for m in (check_in.manager_confirmed_at, check_in.person_confirmed_at) if m]
        found.append({
            "id": str(uuid.uuid5(_namespace(), f"check-in:{check_in.id}:{user.id}")),
            "actor": agent(user.id),
            "verb": {"id": ATTENDED, "display": {"en-US": "attended", "nl-NL": "nam deel aan"}},
            "object": {"objectType": "Activity",
                       "id": f"{base_url()}/check-ins/kinds/{check_in.template_key}",
                       "definition": {"type": MEETING, "name": names}},
            "timestamp": iso(max(moments)) if moments else check_in.scheduled_on.isoformat(),
            "context": {"platform": "learnpath", "extensions": {
                f"{base_url()}/xapi/extensions/role":
                    "manager" if check_in.manager_id == user.id else "person"}},
            "version": XAPI_VERSION,
        })
    return found
