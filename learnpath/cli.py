"""The `learnpath` command: quickstart and the standard Flask commands (run, db, ...).

Each feature adds its own commands in its hooks.init_app (users, content, reminders, search,
privacy, xapi); this module, like the factory, sits above every feature.
"""

import logging
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.serving import make_server

from learnpath import create_app
from learnpath.accounts.models import Team, User
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
    click.echo(f"Database:  {_database_name()}, {_upgrade_quietly()}")
    content = Path(current_app.config["CONTENT_DIR"])
    if content.is_dir():
        report = import_paths([content], content_root=content)
        db.session.commit()
        click.echo(f"Catalog:   {counts(report)} (from {content})")
    before = _count(User), _count(Team)
    logins = create_demo_organisation()
    db.session.commit()
    teams, people = _count(Team) - before[1], _count(User) - before[0]
    if teams or people:
        click.echo(f"Demo:      {teams} teams and {people} people added")
    else:
        click.echo("Demo:      the demo organisation is already there (kept as it is)")
    if create_demo_activity():
        db.session.commit()
        click.echo("Activity:  13 weeks of demo history added (completions, knowledge checks, "
                   "pulses, kudos, assignments and a certificate)")
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<9} {email}")
    if no_serve:
        return
    # Werkzeug's server without run_simple's banner (app.run() refuses inside a CLI command);
    # a port in use ends the command with werkzeug's own message.
    server = make_server(host, port, current_app._get_current_object(), threaded=True)
    click.echo(f"\nlearnpath is running at http://{host}:{server.port}/  "
               "(Ctrl+C to stop; --port picks another port)")
    if not sys.stdout.isatty():
        # A log file gets no per-request lines (werkzeug colours them for a terminal).
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.serve_forever()


def _upgrade_quietly() -> str:
    """Bring the database to the newest schema without Alembic's INFO lines; say what changed."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    def current() -> str | None:
        with db.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    config = current_app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False  # migrations/env.py: no fileConfig
    before = current()
    command.upgrade(config, "head")
    after = current()
    if before is None:
        return f"created (schema {after})"
    if before != after:
        return f"upgraded (schema {before} -> {after})"
    return f"up to date (schema {after})"


def _database_name() -> str:
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def init_app(app: Flask) -> None:
    app.cli.add_command(quickstart)
