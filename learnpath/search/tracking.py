"""Catalog changes follow the database transaction that makes them.

The services call `schedule(module)` after changing what learners may find. At the outermost
commit the catalog stamp is raised and the change logged inside that same transaction; once
it has committed, the local index catches up. A rollback drops the queue, so the index never
shows what the database did not keep.
"""

import logging
import secrets

from flask import has_app_context
from sqlalchemy import delete, event, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, object_session

from learnpath.extensions import db
from learnpath.search import index
from learnpath.search.models import STAMP_ID, CatalogChange, CatalogStamp
from learnpath.timeutil import utcnow

log = logging.getLogger(__name__)

PENDING = "learnpath.search.pending"
KEEP_VERSIONS = 5000  # a process further behind than this rebuilds instead of catching up
PRUNE_EVERY = 100

_stamps = CatalogStamp.__table__
_changes = CatalogChange.__table__


def schedule(module) -> None:
    """Queue the module for the index; it is applied once the transaction commits."""
    session = object_session(module) or db.session()
    if module.id is None:
        session.flush()
    session.info.setdefault(PENDING, set()).add(module.id)


def bump(session, module_ids) -> int:
    """Raise the catalog stamp and log the changed modules; returns the new version."""
    version = _raise_version(session)
    if version is None:
        _create_stamp(session)
        version = _raise_version(session)
    now = utcnow()
    session.execute(insert(_changes), [{"version": version, "module_id": module_id,
                                        "changed_at": now} for module_id in sorted(module_ids)])
    if version % PRUNE_EVERY == 0 and version > KEEP_VERSIONS:
        cutoff = version - KEEP_VERSIONS
        session.execute(delete(_changes).where(_changes.c.version <= cutoff))
        session.execute(update(_stamps).where(_stamps.c.id == STAMP_ID)
                        .values(pruned_through=cutoff))
    return version


def _raise_version(session) -> int | None:
    # The UPDATE takes the row lock until commit: concurrent writers queue here, so a reader
    # that sees version n also sees every change logged with a lower version.
    return session.execute(update(_stamps).where(_stamps.c.id == STAMP_ID)
                           .values(version=_stamps.c.version + 1)
                           .returning(_stamps.c.version)).scalar()


def _create_stamp(session) -> None:
    values = {"id": STAMP_ID, "epoch": secrets.token_hex(16), "version": 0,
              "pruned_through": 0}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(_stamps).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(_stamps).values(**values).on_conflict_do_nothing()
    else:
        stmt = insert(_stamps).values(**values)
    session.execute(stmt)


@event.listens_for(Session, "before_commit")
def _log_changes(session):
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit logs everything queued
    pending = session.info.get(PENDING)
    if pending:
        bump(session, pending)


@event.listens_for(Session, "after_commit")
def _update_index(session):
    if session.in_nested_transaction():
        return  # a savepoint was released; SQLAlchemy sends after_commit for those too
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context():
        return
    try:
        index.current().catch_up(wait=index.WRITE_TIMEOUT)
    except Exception:  # the commit stands; the stamp lets the next search catch up
        log.exception("search index update after commit failed")


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session, transaction):
    if transaction.parent is None:
        session.info.pop(PENDING, None)
