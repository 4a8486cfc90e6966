"""`learnpath engagement close-week`: store the figures of the weeks that have ended (cron)."""

import click
from flask.cli import with_appcontext

from learnpath.engagement import snapshots
from learnpath.extensions import db


@click.group("engagement")
def engagement_group():
    """Engagement figures."""


@engagement_group.command("close-week")
@with_appcontext
def close_week_command():
    """Close every ended week of the 12-week trend that is not closed yet (idempotent).

    Run it weekly from cron, early on Monday: the first dashboard read after a week ends
    closes it too, whichever comes first; a closed week never changes.
    """
    closed = snapshots.close(snapshots.trend_weeks())
    db.session.commit()
    if closed:
        click.echo("Closed " + ", ".join(closed) + ".")
    else:
        click.echo("Nothing to close: the last complete week is closed already.")
