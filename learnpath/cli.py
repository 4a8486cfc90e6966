"""The `learnpath` command: quickstart and the standard Flask commands (run, db, ...).

Each feature adds its own commands in its hooks.init_app (users, content, reminders, search,
privacy, xapi); this module, like the factory, sits above every feature.
"""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from learnpath import create_app
from learnpath.demo import DEMO_PASSWORD, create_demo_activity, create_demo_organisation
from learnpath.extensions import db
from learnpath.modules.cli import counts
from learnpath.modules.importer import import_paths


def _create_app():
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
    click.echo("Upgrading the database ...")
    upgrade()
    content = Path(current_app.config["CONTENT_DIR"])
    if content.is_dir():
        report = import_paths([content], content_root=content)
        db.session.commit()
        click.echo(f"Starter catalog from {content}: {counts(report)}.")
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


def init_app(app: Flask) -> None:
    app.cli.add_command(quickstart)
