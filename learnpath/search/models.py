"""The catalog version stamp and its change log: how every process learns its index is stale."""

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.extensions import db
from learnpath.timeutil import utcnow

STAMP_ID = 1


class CatalogStamp(db.Model):
    """One row: the catalog's version, raised by every transaction that changes what search shows.

    Raising it takes the row lock, so versions become visible in commit order. `epoch` is random
    per database, so an index built from another (or a reset) database is never taken as fresh.
    """

    __tablename__ = "catalog_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Changes up to this version may be pruned from the log; an older index is rebuilt instead.
    pruned_through: Mapped[int] = mapped_column(Integer, default=0)


class CatalogChange(db.Model):
    """A module whose searchable state may have changed in a given catalog version."""

    __tablename__ = "catalog_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, index=True)
    # No foreign key: the log must outlive a deleted module so other hosts drop it too.
    module_id: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
