"""The learnpath command: quickstart, users create, configuration from the environment."""

import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from learnpath.accounts import services
from learnpath.accounts.models import Team, User
from learnpath.demo import DEMO_PASSWORD
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db


def test_quickstart_builds_the_demo_organisation_and_is_safe_to_rerun(app, runner, backend):
    if backend == "sqlite":
        db.drop_all()  # quickstart runs the migrations itself
    else:
        return  # the PostgreSQL schema is created by the fixture; migrations are tested apart
    result = runner.invoke(args=["quickstart", "--no-serve"])
    assert result.exit_code == 0, result.output
    for email in ["employee@example.com", "manager@example.com", "author@example.com",
                  "hr@example.com", "admin@example.com"]:
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    teams = db.session.scalars(db.select(Team)).all()
    assert len(teams) >= 2
    for team in teams:
        assert len(services.team_people(team, "member")) >= 6
        assert len(services.team_people(team, "manager")) == 1
    people = db.session.scalar(db.select(db.func.count(User.id)))
    events = db.session.scalar(db.select(db.func.count(ActivityEvent.id)))
    assert events > 0  # demo activity, so dashboards have something to show
    employee = services.get_user_by_email("employee@example.com")
    employee.display_name = "Changed By Me"
    db.session.commit()

    again = runner.invoke(args=["quickstart", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == people
    assert db.session.scalar(db.select(db.func.count(ActivityEvent.id))) == events
    assert services.get_user_by_email("employee@example.com").display_name == "Changed By Me"


def test_demo_logins_work(app, runner, client, backend):
    from learnpath.demo import create_demo_organisation

    create_demo_organisation()
    db.session.commit()
    response = client.post("/login", data={"email": "admin@example.com",
                                           "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_users_create(runner):
    result = runner.invoke(args=["users", "create", "--email", "Cli@Example.com", "--name",
                                 "Cli", "--role", "author", "--role", "employee",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    assert services.get_user_by_email("cli@example.com").roles == {"author", "employee"}
    again = runner.invoke(args=["users", "create", "--email", "cli@example.com", "--name", "X",
                                "--password", "long enough pw"])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_users_create_refuses_short_password(runner):
    result = runner.invoke(args=["users", "create", "--email", "a@example.com", "--name", "A",
                                 "--password", "short"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output


def test_settings_come_from_the_environment(monkeypatch):
    import config

    monkeypatch.setenv("LEARNPATH_DATABASE_URL", "postgresql://u@db/learnpath")
    monkeypatch.setenv("LEARNPATH_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("LEARNPATH_ANONYMITY_THRESHOLD", "2")
    monkeypatch.setenv("LEARNPATH_MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("LEARNPATH_SECRET_KEY", "s" * 40)
    try:
        reloaded = importlib.reload(config)
        assert reloaded.Config.SQLALCHEMY_DATABASE_URI == "postgresql://u@db/learnpath"
        assert reloaded.Config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
        assert reloaded.Config.ANONYMITY_THRESHOLD == 3  # never below 3
        assert reloaded.Config.MAIL_SERVER == "smtp.example.com"
        assert reloaded.Config.SECRET_KEY == "s" * 40
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_postgres_urls_use_psycopg3():
    from learnpath.factory import normalise_database_url

    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app, backend):
    if backend != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_an_installed_copy_finds_its_migrations_and_catalog_under_share(tmp_path, monkeypatch):
    """`pip install .` (not editable) puts migrations/ and content/ in <prefix>/share/learnpath."""
    import sys

    from learnpath import factory

    assert factory.bundled("migrations") == factory.SOURCE_ROOT / "migrations"  # a checkout
    monkeypatch.setattr(factory, "SOURCE_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    installed = tmp_path / "venv" / "share" / "learnpath" / "migrations"
    installed.mkdir(parents=True)
    assert factory.bundled("migrations") == installed


def test_quickstart_prints_what_a_newcomer_needs_quietly_into_a_file(tmp_path):
    """Output to a file (not a TTY): no Alembic INFO lines, no banner, no colour codes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNPATH_")}
    env["LEARNPATH_INSTANCE_PATH"] = str(tmp_path / "instance")
    command = Path(sys.executable).parent / "learnpath"
    log = tmp_path / "out.txt"
    with log.open("w") as out:
        process = subprocess.Popen([str(command), "quickstart", "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 120
            while url not in log.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.2)
            assert urllib.request.urlopen(url + "login").status == 200
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(url + "no-such-page")
        finally:
            process.terminate()
            process.wait(timeout=30)
    output = log.read_text()
    assert f"learnpath is running at {url}" in output and "--port" in output
    assert "learnpath.db, created" in output
    assert "Catalog:" in output and "people added" in output
    assert "admin@example.com" in output and DEMO_PASSWORD in output
    for noise in ("INFO", "[alembic", "development server", "Running on", "\x1b["):
        assert noise not in output
    assert len(output.splitlines()) <= 16
