"""`learnpath privacy export|erase|prune`: subject access requests, erasure and retention."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from learnpath.extensions import db
from learnpath.privacy import services


@click.group("privacy")
def privacy_group():
    """Export or erase a person's data; prune old raw data (retention)."""


def _person(email: str):
    try:
        return services.find_person(email)
    except services.PrivacyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


@privacy_group.command("export")
@click.argument("email")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON to this file instead of standard output.")
@with_appcontext
def export_command(email: str, output: Path | None):
    """Write all personal data of the person with EMAIL as JSON (subject access request)."""
    user = _person(email)
    document = services.export_person(user, label="cli")
    db.session.commit()
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote the data of {user.email} to {output}.", err=True)


@privacy_group.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_command(email: str, yes: bool):
    """Erase the person with EMAIL: no login, pseudonymised, free text removed."""
    user = _person(email)
    if not yes:
        click.confirm(f"Erase {user.display_name} <{user.email}>? This cannot be undone",
                      abort=True)
    try:
        services.erase_person(user, label="cli")
    except services.PrivacyError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Erased {email.strip().lower()}.")


@privacy_group.command("prune")
@click.option("--months", type=int, default=None,
              help="Keep this many months (default: LEARNPATH_RETENTION_MONTHS, 24).")
@with_appcontext
def prune_command(months: int | None):
    """Delete activity events, pulse answers and audit entries older than the period."""
    try:
        counts = services.prune(months, label="cli")
    except services.PrivacyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo("Pruned {pulse_answers} pulse answers, {activity_events} activity events and "
               "{audit_entries} audit entries.".format(**counts))
