"""`learnpath xapi push` (for cron) and `learnpath xapi status`."""

import click
from flask.cli import with_appcontext

from learnpath.xapi import outbox


@click.group("xapi")
def xapi_group():
    """Forward learning activity to a Learning Record Store (xAPI 1.0.3)."""


@xapi_group.command("push")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=None,
              help="Statements per POST (default: LEARNPATH_XAPI_BATCH_SIZE).")
@click.option("--max-batches", type=click.IntRange(1), default=None,
              help="Stop after this many batches (default: until the outbox is empty).")
@with_appcontext
def push_command(batch_size: int | None, max_batches: int | None):
    """Send the queued statements; exits 1 when the LRS cannot be reached or refuses them."""
    report = outbox.push(batch_size=batch_size, max_batches=max_batches)
    left = outbox.overview()["queued"]
    click.echo(f"Sent {report.sent} statements in {report.batches} batches; skipped "
               f"{report.skipped} (erased people), rejected {report.rejected}; {left} queued.")
    if not report.ok:
        raise click.ClickException(f"xAPI push failed: {report.error} "
                                   f"({left} statements stay queued and are sent next time).")


@xapi_group.command("status")
@with_appcontext
def status_command():
    """Show the outbox counts and the last push result."""
    info = outbox.overview()
    status = info["status"]
    click.echo(f"LRS: {'configured' if info['configured'] else 'not configured'}")
    for key in ("queued", "sent", "skipped", "rejected"):
        click.echo(f"{key}: {info[key]}")
    if status is not None:
        click.echo(f"last success: {status.last_success_at or '-'}")
        click.echo(f"last error: {status.last_error_at or '-'} {status.last_error or ''}".rstrip())
