"""`learnpath content import|export`: modules as Markdown files, folders and .zip archives
(with skills.yml and the growth paths that sit beside them)."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from learnpath.extensions import db
from learnpath.modules.importer import export_modules, import_paths


@click.group("content")
def content_group():
    """Import and export learning modules (Markdown with front matter)."""


def counts(report) -> str:
    return ", ".join(f"{report.count(s)} {s}"
                     for s in ("created", "updated", "unchanged", "invalid", "skipped"))


@content_group.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--archive-missing", is_flag=True,
              help="Archive modules whose files are not among the imported ones.")
@with_appcontext
def content_import(paths: tuple[Path, ...], archive_missing: bool):
    """Import module files, folders or .zip archives; idempotent, never deletes.

    Without PATHS, imports the starter catalog that comes with learnpath (the source tree's
    content/ folder, or <prefix>/share/learnpath/content after `pip install .`;
    LEARNPATH_CONTENT_DIR overrides it).
    """
    content_root = Path(current_app.config["CONTENT_DIR"])
    if not paths:
        if not content_root.is_dir():
            raise click.ClickException(
                f"No PATHS given and no starter catalog at {content_root}: "
                "give the files or folders to import.")
        click.echo(f"Importing the starter catalog from {content_root}")
        paths = (content_root,)
    report = import_paths(paths, archive_missing=archive_missing, content_root=content_root,
                          default_language=current_app.config["BABEL_DEFAULT_LOCALE"])
    db.session.commit()
    for message in report.skills_messages:
        click.echo(message, err=message.startswith("error"))
    for result in report.files:
        bad = result.status == "invalid"
        if result.status == "skipped":  # one line: what and why (hidden, link, not Markdown)
            reasons = "; ".join(str(p) for p in result.warnings)
            click.echo(f"skipped   {result.name}: {reasons}")
            continue
        click.echo(f"{result.status:<9} {result.name}", err=bad)
        for problem in result.errors:
            click.echo(f"  error   {result.name}: {problem}", err=True)
        for problem in result.warnings:
            click.echo(f"  warning {result.name}: {problem}", err=bad)
    for slug in report.archived:
        click.echo(f"archived  {slug}")
    click.echo(f"Done: {counts(report)}, {len(report.archived)} archived.")
    if not report.ok:
        sys.exit(1)


@content_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def content_export(directory: Path):
    """Write every module's current version as Markdown into DIRECTORY/modules/<language>/."""
    count = export_modules(directory)
    click.echo(f"Exported {count} modules to {directory}.")
