"""Fixtures: an app per test on SQLite and (when configured) PostgreSQL, factories and helpers.

Every test that uses the `app` fixture runs twice: on a fresh SQLite file, and on the
PostgreSQL database in LEARNPATH_TEST_DATABASE_URL. Without that variable the PostgreSQL
variant is skipped with the reason; with it, an unreachable server is an error, not a skip.

Under pytest-xdist each worker (gw0, gw1, ...) uses its own database beside that one on the
same server (<name>_gw0, ...), created when missing and dropped again when the run created it.
"""

import itertools
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError

os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-test-"))

from learnpath import create_app  # noqa: E402
from learnpath.accounts import services as accounts  # noqa: E402
from learnpath.extensions import db  # noqa: E402

PG_BASE_URL = os.environ.get("LEARNPATH_TEST_DATABASE_URL")
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # None when not run by pytest-xdist


def _worker_database_url(url: str | None) -> str | None:
    """This worker's own PostgreSQL database: the configured name plus the worker id."""
    if not url or not XDIST_WORKER:
        return url
    head, name = url.rsplit("/", 1)
    name, sep, query = name.partition("?")
    return f"{head}/{name}_{XDIST_WORKER}{sep}{query}"


PG_URL = _worker_database_url(PG_BASE_URL)
PASSWORD = "correct horse battery"


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): extra settings for the app")


def pytest_terminal_summary(terminalreporter):
    """Why tests were skipped, one line per reason (pytest's -rs gives a line per test)."""
    reasons = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    if reasons:
        terminalreporter.write_sep("=", "skipped, by reason")
        for reason, count in reasons.most_common():
            terminalreporter.write_line(f"{count:5d}  {reason}")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    """The database backend under test."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL variant: set LEARNPATH_TEST_DATABASE_URL to run it "
                        "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
        if not _postgres_ready:
            if PG_URL != PG_BASE_URL and _create_worker_database():
                _created_databases.append(_worker_database_name())
            _prepare_postgres_schema()
            _postgres_ready.append(True)
    return request.param


# Once per test process, not each time pytest switches the backend parameter back to postgresql.
_postgres_ready: list[bool] = []
_created_databases: list[str] = []


def pytest_sessionfinish(session):
    for name in _created_databases:
        _drop_database(name)


def _admin_engine():
    """AUTOCOMMIT access to the configured database, to create and drop the workers' ones."""
    from learnpath.factory import normalise_database_url

    return create_engine(normalise_database_url(PG_BASE_URL), isolation_level="AUTOCOMMIT")


def _worker_database_name() -> str:
    return make_url(PG_URL).database


def _create_worker_database() -> bool:
    """Create this worker's database unless it exists; return whether it was created."""
    name = _worker_database_name()
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name})
            if not exists:
                for attempt in range(5):
                    try:
                        conn.execute(text(f'CREATE DATABASE "{name}"'))
                        break
                    except OperationalError:  # template1 busy: another worker is creating
                        if attempt == 4:
                            raise
                        time.sleep(0.5 * (attempt + 1))
            return not exists
    finally:
        engine.dispose()


def _drop_database(name: str) -> None:
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def _prepare_postgres_schema():
    from learnpath import models  # noqa: F401  every table, whichever test file runs first
    from learnpath.factory import normalise_database_url

    engine = create_engine(normalise_database_url(PG_URL))
    try:
        with engine.begin() as conn:
            db.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.metadata.create_all(conn)
    finally:
        engine.dispose()


def _truncate_all():
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    if names:
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()


class RequestScopedClient(FlaskClient):
    """Run each request in its own app context, as in production.

    The app fixture keeps an app context open for the test body; without this, requests
    would share its `g` (Flask-Login's cached user, Babel's cached locale) and its session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test body sees what the request committed
        return response


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty SQLite database with the schema, copied for each test instead of create_all."""
    folder = tmp_path_factory.mktemp("schema")
    path = folder / "empty.db"
    # Built the way the tests used to build theirs: create_all in an app (which imports every
    # model), so the copy has exactly the schema a test would otherwise create.
    template = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                           "SEARCH_INDEX_DIR": str(folder / "index")})
    with template.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def app(request, backend, tmp_path):
    """A fresh application with an empty database."""
    sqlite_file = tmp_path / "test.db"
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": (PG_URL if backend == "postgresql"
                                    else f"sqlite:///{sqlite_file}"),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
    }
    marker = request.node.get_closest_marker("app_config")
    if marker:
        settings.update(marker.kwargs)
    copied = settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{sqlite_file}"
    if copied:  # ~1 ms instead of ~50 ms of DDL
        shutil.copyfile(request.getfixturevalue("sqlite_template"), sqlite_file)
    application = create_app(settings)
    application.test_client_class = RequestScopedClient
    with application.app_context():
        if backend == "postgresql":
            _truncate_all()
        elif not copied:
            db.create_all()
        yield application
        db.session.remove()
        if backend == "postgresql":
            _truncate_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_user(app):
    """Create a committed person: make_user(roles=("manager",), email=..., active=...)."""

    def factory(email=None, name=None, roles=("employee",), password=PASSWORD, locale=None,
                active=True):
        n = next(_counter)
        user = accounts.create_user(email or f"person{n}@example.com", name or f"Person {n}",
                                    password=password, roles=roles, locale=locale)
        if not active:
            accounts.set_active(user, False)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_team(app):
    """Create a committed team with optional managers and members."""

    def factory(name=None, managers=(), members=()):
        team = accounts.create_team(name or f"Team {next(_counter)}")
        for person in managers:
            accounts.add_to_team(team, person, "manager")
        for person in members:
            accounts.add_to_team(team, person, "member")
        db.session.commit()
        return team

    return factory


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password=PASSWORD, remember=False, next_url=None,
              follow=False):
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        if next_url is not None:
            data["next"] = next_url
        return self.client.post("/login", data=data, follow_redirects=follow)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(client, make_user):
    """Create a person with these roles and sign them in; returns the person."""

    def factory(*roles, **kwargs):
        user = make_user(roles=roles or ("employee",), **kwargs)
        response = AuthActions(client).login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return factory


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", statement, re.I):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def queries(app):
    """`with queries() as statements:` counts the SQL statements run inside the block."""
    return count_queries


@pytest.fixture
def csrf_token(client):
    """Fetch a page and return the CSRF token it carries (for CSRF-enabled apps)."""

    def fetch(path="/login"):
        html = client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match, "page has no CSRF token"
        return match.group(1)

    return fetch
