"""What modules tells the catalog search, without importing it (search sits above modules).

services.py calls index_module / remove_module as before; both send signals.catalog_changed,
which the search feature receives (search/hooks.py) and queues the module for its index. Both
also raise the module pages' stamp (page_data.bump): what one module's page shows of others
(what comes next, translations) follows the same changes the catalog does.
"""

from learnpath.modules import page_data
from learnpath.signals import catalog_changed


def index_module(module) -> None:
    """The module's findable state changed: the index follows once the transaction commits."""
    page_data.bump()
    catalog_changed.send(module)


def remove_module(module) -> None:
    """The module is no longer findable: the index follows once the transaction commits."""
    page_data.bump()
    catalog_changed.send(module)
