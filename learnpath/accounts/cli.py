"""`learnpath users create|import`: people who can sign in, one by one or from a CSV."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from learnpath.accounts import services
from learnpath.accounts.csv_import import import_users_csv
from learnpath.accounts.forms import PASSWORD_MIN
from learnpath.accounts.invitations import invite_imported
from learnpath.extensions import db


@click.group("users")
def users_group():
    """Create and import people."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, default=("employee",), show_default=True,
              help="May be given more than once.")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def users_create(email: str, name: str, roles: tuple[str, ...], password: str):
    """Create a person who can sign in."""
    if len(password) < PASSWORD_MIN:
        raise click.UsageError(f"The password needs at least {PASSWORD_MIN} characters.")
    try:
        user = services.create_user(email, name, password=password, roles=roles)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    services.report_person_change("person_created", None, user, label="cli",
                                  roles=sorted(user.roles))
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(user.roles))}.")


@users_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--invite", is_flag=True,
              help="E-mail an invitation to every person in the file who cannot sign in yet.")
@with_appcontext
def users_import(csv_file: Path, invite: bool):
    """Create or update people and teams from a CSV (email,name[,team,manager_email,roles])."""
    report = import_users_csv(csv_file.read_bytes())
    db.session.commit()
    invites = invite_imported(report, None, label="cli") if invite else None
    for error in report.errors:
        click.echo(f"{csv_file}: {error}", err=True)
    for row in report.rows:
        line = f"{csv_file}:{row.row}: {row.status:<9} {row.email}"
        if row.messages:
            line += " - " + "; ".join(str(m) for m in row.messages)
        click.echo(line, err=row.status == "invalid")
    counts = ", ".join(f"{report.count(s)} {s}"
                       for s in ("created", "updated", "unchanged", "invalid"))
    click.echo(f"Done: {counts}.")
    if report.new_teams:
        click.echo(f"New teams (check the spelling): {', '.join(report.new_teams)}")
    if invites is not None:
        for email, error in invites.failed.items():
            click.echo(f"invitation to {email} not sent: {error}", err=True)
        click.echo(f"Invitations: {len(invites.invited)} sent, {len(invites.failed)} failed.")
    if not report.ok or (invites is not None and invites.failed):
        sys.exit(1)
