"""`learnpath search ...`: maintain the local search index."""

import click
from flask.cli import with_appcontext

from learnpath.extensions import db
from learnpath.search import rebuild, source


@click.group("search")
def search_group():
    """The catalog search index (derived from the database, safe to rebuild)."""


@search_group.command("reindex")
@with_appcontext
def reindex():
    """Rebuild this host's search index from the database."""
    total = source.published_count(db.session)
    db.session.rollback()  # the rebuild reads in its own session
    with click.progressbar(length=total, label="Indexing published modules") as bar:
        count = rebuild(progress=lambda done, _total: bar.update(1))
    click.echo(f"Indexed {count} published modules.")
