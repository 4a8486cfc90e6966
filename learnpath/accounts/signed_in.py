"""Loading the signed-in person on every request, in one lean statement.

Every signed-in request starts here (Flask-Login's user loader), so this is the floor under
every page. One Core statement reads the person's row and their roles (a LEFT JOIN, one row a
role), and the `User` is put together from it as an ordinary persistent ORM object of the
request's session: the same object a query would have given, so views keep using
`current_user` as before (relationships such as `memberships` lazy-load on first use, services
change it and assign it to relationships, `set_roles` changes `role_rows`).

Nothing about the person is cached between requests: their row and roles are read fresh on
every request, so a change to their roles, teams, name, language, active flag or session token
(made by any worker, any process) is what their next request sees. What the layout derives from
the roles and the language (the navigation) is cached per worker keyed by those values
themselves (learnpath/home/views.py), so it needs no invalidation.
"""

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from learnpath.accounts.models import User, UserRole
from learnpath.extensions import db

_USERS = User.__table__
_ROLES = UserRole.__table__
_COLUMNS = tuple(column.key for column in _USERS.columns)
_PERSON = (
    select(*_USERS.columns, _ROLES.c.role)
    .select_from(_USERS.outerjoin(_ROLES, _ROLES.c.user_id == _USERS.c.id))
    .where(_USERS.c.id == bindparam("user_id"))
)


def _persistent(cls, values: dict):
    """An instance of `cls` with these column values, as if just loaded (no history).

    Made the way the ORM's loader makes one (no __init__, values straight into the instance
    dict), then given its identity key; relationships stay unloaded and load when used.
    """
    mapper = inspect(cls)
    if not mapper.configured:  # the first request of a process may come before any query
        configure_mappers()
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance


def load_user_from_session_id(session_id: str) -> User | None:
    """Resolve a Flask-Login id of the form '<user id>:<session token>'."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    session = db.session()
    user_id = int(user_id)
    if session.identity_map.get((User, (user_id,), None)) is not None:
        # Already in this session (a test holding the app context, a second load): use it.
        user = session.get(User, user_id)
    else:
        user = _load(session, user_id, token)
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def _load(session, user_id: int, token: str) -> User | None:
    rows = session.connection().execute(_PERSON, {"user_id": user_id}).all()
    if not rows:
        return None
    first = rows[0]
    values = dict(zip(_COLUMNS, first, strict=False))
    if not values["active"] or values["session_token"] != token:
        return None  # refused: nothing joins the session
    user = _persistent(User, values)
    roles = [_persistent(UserRole, {"user_id": user_id, "role": row[-1]})
             for row in rows if row[-1] is not None]
    for row in roles:
        set_committed_value(row, "user", user)
    set_committed_value(user, "role_rows", roles)
    session.add(user)  # persistent in this session; the roles cascade with it
    return user
