"""The `learnpath` command: quickstart, users and the standard Flask commands (run, db, ...)."""

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.serving import run_simple

from learnpath.extensions import db
from learnpath.search import cli as search_cli


def _create_app():
    from learnpath import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """learnpath: microlearning and growth paths."""


@click.command("quickstart")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the demo but do not start the server.")
@with_appcontext
def quickstart(host: str, port: int, no_serve: bool):
    """Create or upgrade the database, add the demo organisation and serve the app."""
    from flask_migrate import upgrade

    from learnpath.demo import (
        DEMO_PASSWORD,
        create_demo_activity,
        create_demo_organisation,
    )

    click.echo("Upgrading the database ...")
    upgrade()
    content = Path(current_app.config["CONTENT_DIR"])
    if content.is_dir():
        from learnpath.modules.importer import import_paths

        report = import_paths([content], content_root=content)
        db.session.commit()
        click.echo(f"Starter catalog from {content}: {_counts(report)}.")
    logins = create_demo_organisation()
    db.session.commit()
    if create_demo_activity():
        db.session.commit()
        click.echo("Added some demo learning activity (completions, a path, pulses, kudos).")
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<9} {email}")
    if no_serve:
        return
    click.echo(f"\nlearnpath is running at http://{host}:{port}/  (Ctrl+C to stop)\n")
    # app.run() refuses to start inside a CLI command; run_simple is what it would call.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


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
    from learnpath.accounts import services
    from learnpath.accounts.forms import PASSWORD_MIN

    if len(password) < PASSWORD_MIN:
        raise click.UsageError(f"The password needs at least {PASSWORD_MIN} characters.")
    try:
        user = services.create_user(email, name, password=password, roles=roles)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(user.roles))}.")


@users_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def users_import(csv_file: Path):
    """Create or update people and teams from a CSV (email,name,team,manager_email,roles)."""
    from learnpath.accounts.csv_import import import_users_csv

    report = import_users_csv(csv_file.read_bytes())
    db.session.commit()
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
    if not report.ok:
        sys.exit(1)


@click.group("content")
def content_group():
    """Import and export learning modules (Markdown with front matter)."""


def _counts(report) -> str:
    return ", ".join(f"{report.count(s)} {s}"
                     for s in ("created", "updated", "unchanged", "invalid", "skipped"))


@content_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--archive-missing", is_flag=True,
              help="Archive modules whose files are not among the imported ones.")
@with_appcontext
def content_import(paths: tuple[Path, ...], archive_missing: bool):
    """Import module files, folders or .zip archives; idempotent, never deletes."""
    from learnpath.modules.importer import import_paths

    content_root = Path(current_app.config["CONTENT_DIR"])
    report = import_paths(paths, archive_missing=archive_missing, content_root=content_root,
                          default_language=current_app.config["BABEL_DEFAULT_LOCALE"])
    db.session.commit()
    for message in report.skills_messages:
        click.echo(message, err=message.startswith("error"))
    for result in report.files:
        bad = result.status == "invalid"
        click.echo(f"{result.status:<9} {result.name}", err=bad)
        for problem in result.errors:
            click.echo(f"  error   {result.name}: {problem}", err=True)
        for problem in result.warnings:
            click.echo(f"  warning {result.name}: {problem}", err=bad)
    for slug in report.archived:
        click.echo(f"archived  {slug}")
    click.echo(f"Done: {_counts(report)}, {len(report.archived)} archived.")
    if not report.ok:
        sys.exit(1)


@content_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def content_export(directory: Path):
    """Write every module's current version as Markdown into DIRECTORY/modules/<language>/."""
    from learnpath.modules.importer import export_modules

    count = export_modules(directory)
    click.echo(f"Exported {count} modules to {directory}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(quickstart)
    app.cli.add_command(users_group)
    app.cli.add_command(content_group)
    from learnpath.paths.reminders import reminders_group
    app.cli.add_command(reminders_group)
    app.cli.add_command(search_cli.search_group)
    from learnpath.privacy.cli import privacy_group
    app.cli.add_command(privacy_group)
    from learnpath.xapi.cli import xapi_group
    app.cli.add_command(xapi_group)
