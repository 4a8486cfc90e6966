"""Fixtures: an app per test on SQLite and (when configured) PostgreSQL, factories and helpers.

Every test that uses the `app` fixture runs twice: on a fresh SQLite file, and on the
PostgreSQL database in LEARNPATH_TEST_DATABASE_URL. Without that variable the PostgreSQL
variant is skipped with the reason; with it, an unreachable server is an error, not a skip.
"""

import itertools
import os
import re
import tempfile
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-test-"))

from learnpath import create_app  # noqa: E402
from learnpath.accounts import services as accounts  # noqa: E402
from learnpath.extensions import db  # noqa: E402

PG_URL = os.environ.get("LEARNPATH_TEST_DATABASE_URL")
PASSWORD = "correct horse battery"


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): extra settings for the app")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    """The database backend under test."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL variant: set LEARNPATH_TEST_DATABASE_URL to run it "
                        "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
        _prepare_postgres_schema()
    return request.param


def _prepare_postgres_schema():
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


@pytest.fixture
def app(request, backend, tmp_path):
    """A fresh application with an empty database."""
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": (PG_URL if backend == "postgresql"
                                    else f"sqlite:///{tmp_path / 'test.db'}"),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
    }
    marker = request.node.get_closest_marker("app_config")
    if marker:
        settings.update(marker.kwargs)
    application = create_app(settings)
    application.test_client_class = RequestScopedClient
    with application.app_context():
        if backend == "postgresql":
            _truncate_all()
        else:
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
