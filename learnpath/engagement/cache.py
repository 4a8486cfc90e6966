"""Cached team and organisation engagement figures, and the generation that makes them stale.

Team and HR figures describe the last complete week (eNPS the last complete month), so rows
of the current week or month cannot change them; the figures of one reference week change
only when something changes the past: a team's members, someone's active flag or erasure, an
enrolment, a path's steps, a fold of erased or pruned rows, a backdated completion, kudos or
pulse answer. Every such change raises the one-row `engagement_generation` counter in the
same transaction (session events below: the unit of work by model, and bulk UPDATE/DELETE/
INSERT statements by table), and the computed figures (data, not HTML) are kept in process
memory under (kind, scope, reference week, eNPS month, threshold, time zone, generation).
A request reads the generation with one query; a raised generation misses every entry.

Privacy: a stale entry could show a team that has become too small, so this errs towards
raising: any deletion of a row the figures read (or of a row whose deletion cascades into
them), any change of a team, membership, enrolment, path step or fold, and anything done
outside an application context. A session that raised the generation in its open
transaction neither reads nor fills the cache (its own uncommitted rows may be rolled back).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Mapper, Session, object_session

from learnpath.engagement import indicator as ind
from learnpath.engagement.models import EngagementGeneration
from learnpath.extensions import db

GENERATION = EngagementGeneration.__table__
# What learnpath/engagement/aggregates.py reads for team and organisation figures.
READ_TABLES = frozenset({"users", "teams", "team_memberships", "enrolments", "path_steps",
                         "completions", "pulse_answers", "kudos", "engagement_folds"})
# Deleting these rows deletes or detaches rows of the read tables (ON DELETE CASCADE/SET NULL).
PARENT_TABLES = frozenset({"users", "teams", "modules", "module_versions", "growth_paths"})
# Columns whose change matters, for tables where most updates do not (seen_at, score, ...).
RELEVANT_COLUMNS = {
    "users": {"id", "active"},
    "completions": {"id", "user_id", "module_id", "completed_at"},
    "kudos": {"id", "from_id", "to_id", "created_at"},
    "pulse_answers": {"id", "user_id", "question", "period", "value", "answered_at"},
}
# What decides whether such a row belongs to the current week or month.
PERIOD_COLUMNS = {"completions": ("completed_at",), "kudos": ("created_at",),
                  "pulse_answers": ("question", "period")}
BUMPED = "learnpath.engagement_generation_raised"
PENDING = "learnpath.engagement_generation_to_raise"
DEFAULT_ENTRIES = 64


# Raising the generation ------------------------------------------------------------------------


def bump(session: Session) -> None:
    """Raise the generation in the session's transaction (creating the row if it is missing)."""
    connection = session.connection()
    raised = connection.execute(update(GENERATION).where(GENERATION.c.id == 1)
                                .values(value=GENERATION.c.value + 1))
    if raised.rowcount == 0:
        connection.execute(insert(GENERATION).values(id=1, value=1))
    session.info[BUMPED] = True


def _current_period():
    """(start of the current local week, its pulse label, the current month's label)."""
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = datetime.now(tz).date()
    week = ind.week_containing(today, tz)
    return week.start, week.label, ind.month_label(today)


def _from_now_on(moment, start) -> bool:
    """A timestamp left empty (filled in with now at insert) or in the current week."""
    return moment is None or ind.as_utc(moment) >= start


def _current_row(table: str, obj, current) -> bool:
    """A row whose period lies in the current week (or eNPS month): no past figure reads it."""
    start, week_label, month_label = current
    if table == "completions":
        return _from_now_on(obj.completed_at, start)
    if table == "kudos":
        return _from_now_on(obj.created_at, start)
    if table == "pulse_answers":
        # Figures select answers by period (this week's label, or this month's for eNPS,
        # is never among a past figure's periods), whenever they were given.
        return obj.period == (week_label if obj.question == "energy" else month_label)
    return False


def _affects(obj, state: str, current) -> bool:
    table = getattr(obj, "__tablename__", None)
    if state == "deleted":
        return table in READ_TABLES or table in PARENT_TABLES
    if table not in READ_TABLES:
        return False
    if state == "new":
        # A new person is in no team yet (the membership row raises it).
        return table != "users" and not _current_row(table, obj, current)
    mapper = inspect(obj).mapper
    changed = {attr.key for attr in mapper.column_attrs
               if inspect(obj).attrs[attr.key].history.has_changes()}
    relevant = changed & RELEVANT_COLUMNS.get(table, changed)
    if not relevant:
        return False
    if table in ("completions", "kudos", "pulse_answers"):
        # Only a row that is current both before and after the change leaves the past alone.
        attrs = inspect(obj).attrs
        before = {key: (attrs[key].history.deleted[0] if attrs[key].history.deleted
                        else getattr(obj, key))
                  for key in PERIOD_COLUMNS[table]}
        return not (_current_row(table, SimpleNamespace(**before), current)
                    and _current_row(table, obj, current))
    return True


def _row_written(state: str):
    """A mapper event for every row a flush writes (cascaded and orphan deletes included)."""

    def listener(mapper, connection, target):
        session = object_session(target)
        if session is None or session.info.get(PENDING):
            return
        table = getattr(target, "__tablename__", None)
        if table not in READ_TABLES and table not in PARENT_TABLES:
            return
        if not has_app_context() or _affects(target, state, _current_period()):
            session.info[PENDING] = True

    return listener


for _state, _event in (("new", "after_insert"), ("dirty", "after_update"),
                       ("deleted", "after_delete")):
    event.listen(Mapper, _event, _row_written(_state))


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    if session.info.pop(PENDING, False):
        bump(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state):
    """UPDATE, DELETE and INSERT statements bypass the unit of work: raise by table."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table == GENERATION.name:
        return
    if table is None or table in READ_TABLES or (state.is_delete and table in PARENT_TABLES):
        bump(state.session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session, transaction):
    if transaction.parent is None:
        session.info.pop(BUMPED, None)
        session.info.pop(PENDING, None)


@event.listens_for(GENERATION, "after_create")
def _first_row(target, connection, **kw):
    connection.execute(insert(target).values(id=1, value=0))


# The cache -------------------------------------------------------------------------------------


class FigureCache:
    """A small LRU of computed figures for one application (one per worker process)."""

    def __init__(self, entries: int):
        self.entries = entries
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value) -> None:
        generation = key[-1]
        with self._lock:
            for old in [k for k in self._items if k[-1] != generation]:
                del self._items[old]  # an older generation is never read again
            self._items[key] = value
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _cache() -> FigureCache | None:
    entries = int(current_app.config.get("ENGAGEMENT_CACHE_ENTRIES", DEFAULT_ENTRIES))
    if entries <= 0:
        return None
    cache = current_app.extensions.get("engagement_cache")
    if cache is None or cache.entries != entries:
        cache = current_app.extensions["engagement_cache"] = FigureCache(entries)
    return cache


def generation(session: Session) -> int | None:
    return session.execute(select(GENERATION.c.value).where(GENERATION.c.id == 1)).scalar()


def cached(key: tuple, compute: Callable[[], Any]):
    """The figures under `key` for the current generation, computed and kept on a miss."""
    cache = _cache()
    if cache is None:
        return compute()
    session = db.session
    number = generation(session)  # autoflushes first: pending changes raise it now
    if number is None or session.info.get(BUMPED):
        return compute()
    full_key = (*key, current_app.config["BABEL_DEFAULT_TIMEZONE"], number)
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if not session.info.get(BUMPED):
            cache.put(full_key, value)
    return value
