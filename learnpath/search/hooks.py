"""What search wires into the app: the `search` commands, and following the catalog changes
modules announce (signals.catalog_changed) into the index."""

from flask import Flask

from learnpath.search import cli, tracking
from learnpath.signals import catalog_changed


def _catalog_changed(module, **_extra) -> None:
    tracking.schedule(module)  # applied after commit; the stamp is raised in this transaction


def init_app(app: Flask) -> None:
    app.cli.add_command(cli.search_group)
    catalog_changed.connect(_catalog_changed)
