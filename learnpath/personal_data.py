"""The registry of personal data: every table that holds a user id or text a person wrote.

A foundation: it imports no feature. Each feature declares, in its hooks.init_app, for each
such model, how a person's rows are exported and erased; privacy's export and erasure walk the
registrations:

    from learnpath.personal_data import register_personal_data

    register_personal_data(
        ApiToken,
        export=lambda user: [...],          # JSON-ready dict or list of this person's rows
        erase=lambda user: None,            # delete or detach this person's rows (flush only)
        retention="kept until the token is revoked or the person is erased",
        section="api_tokens",               # key in the export file (default: the table name)
    )

tests/test_privacy.py (test_every_table_that_references_a_person_is_registered) walks every
mapped table and fails for any table with a foreign key to users.id (or a column listed in
PERSONAL_TEXT) that no registration covers, so a new table cannot escape export and erasure.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class PersonalData:
    model: type
    export: Exporter
    erase: Eraser
    retention: str
    section: str
    order: int  # erasers run in registration order, lowest first

    @property
    def table(self) -> str:
        return self.model.__tablename__


_REGISTRY: dict[str, PersonalData] = {}


def register_personal_data(model, *, export: Exporter, erase: Eraser, retention: str,
                           section: str | None = None, order: int = 100) -> None:
    """Declare how one model's personal data is exported and erased (idempotent per table)."""
    table = model.__tablename__
    _REGISTRY[table] = PersonalData(model=model, export=export, erase=erase,
                                    retention=retention, section=section or table, order=order)


def registered() -> list[PersonalData]:
    """Every registration, in the order erasure runs them."""
    return sorted(_REGISTRY.values(), key=lambda entry: (entry.order, entry.table))


def registered_tables() -> set[str]:
    return {entry.table for entry in registered()}



KEPT = "kept while the account exists"


def keep(_user) -> None:
    """Eraser for rows kept on the pseudonymised account: nothing leads back to the person."""
