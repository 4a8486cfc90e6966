"""Catalog search: a whoosh index behind a few plain functions.

The rest of the app never imports whoosh. Services call `index_module` / `remove_module` when
they change what learners may find (applied when the transaction commits), the catalog page
calls `search`, and operators call `rebuild` (`learnpath search reindex`).
"""

from learnpath.search import index as _index
from learnpath.search import tracking as _tracking
from learnpath.search.services import Hit, SearchResult, search

__all__ = ["Hit", "SearchResult", "ensure_fresh", "index_module", "rebuild", "remove_module",
           "search"]


def index_module(module) -> None:
    """Add or update the module in the index once the current transaction commits."""
    _tracking.schedule(module)


def remove_module(module) -> None:
    """Take the module out of the index once the current transaction commits."""
    _tracking.schedule(module)  # the index follows the committed state, whichever call it was


def rebuild(progress=None) -> int:
    """Rebuild the index from the database; progress(done, total) is called per module."""
    return _index.current().rebuild(progress=progress)


def ensure_fresh() -> bool:
    """Catch the local index up with the database; False if another writer kept it busy."""
    return _index.current().catch_up()
