"""In-process cost of a page: CPU time per request and SQL statements, through the test client.

Shared by bench/cpu.py, bench/queries.py and bench/load.py, so the three report the same
requests the same way, on the app configured as gunicorn runs it (not the test configuration,
which switches CSRF and rate limiting off). Every request runs in its own app context, as in
production; statements are counted the way the test suite's `queries` fixture counts them
(SAVEPOINT, RELEASE, ROLLBACK and PRAGMA left out).
"""

import re
import time
from dataclasses import dataclass

from ceiling_app import app as hello_app
from generate import absolute_url, default_index_dir
from pages import PAGES, PASSWORD, REFERENCE_PAGES, Organisation, organisation, url_for_page
from sqlalchemy import event

from learnpath import create_app
from learnpath.extensions import db

SKIPPED = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", re.I)
ROLES = ("employee", "manager", "hr")
CSRF = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Cost:
    cpu_ms: float
    statements: int | str  # "HTTP 500" when the page failed


def bench_app(url: str):
    """The app as gunicorn runs it (the default configuration: CSRF and rate limits on), on the
    given database; only sign-ins are allowed more often."""
    url = absolute_url(url)
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "LOGIN_RATE_LIMIT": "100000 per minute",
                       "SEARCH_INDEX_DIR": str(default_index_dir(url))})


def signed_in(app, org: Organisation) -> dict:
    """A test client per role, signed in through the login form as the first such person."""
    clients = {}
    for role in ROLES:
        client = app.test_client()
        with app.app_context():
            token = CSRF.search(client.get("/login").data).group(1).decode()
        with app.app_context():
            response = client.post("/login", data={"email": org.people(role)[0].email,
                                                   "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, (role, response.status_code)
        clients[role] = client
    return clients


def statements_of(app, client, path: str) -> int | str:
    """The statements one request runs after a warm-up request (caches filled)."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not SKIPPED.match(statement):
            seen.append(statement)

    with app.app_context():
        response = client.get(path)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            response = client.get(path)
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
    return len(seen) if response.status_code == 200 else f"HTTP {response.status_code}"


def cpu_ms(app, client, path: str, repeat: int) -> float:
    """Mean CPU milliseconds of the process per request, after two warm-up requests."""
    for _ in range(2):
        with app.app_context():
            response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    start = time.process_time()
    for _ in range(repeat):
        with app.app_context():
            client.get(path)
    return (time.process_time() - start) * 1000 / repeat


def hello_ms(repeat: int) -> float:
    return cpu_ms(hello_app, hello_app.test_client(), "/", repeat)


def page_costs(url: str, repeat: int = 20, pages=None) -> tuple[dict[str, Cost], str]:
    """Cost of every page (reference page first) on one database; and the backend's name."""
    app = bench_app(url)
    with app.app_context():
        org = organisation(employees=1, managers=1, hr=1)
        backend = db.engine.dialect.name
    clients = signed_in(app, org)
    costs = {}
    for page, (role, _template) in {**REFERENCE_PAGES, **PAGES}.items():
        if pages and page not in pages:
            continue
        path = url_for_page(page, org.people(role)[0], org)
        count = statements_of(app, clients[role], path)
        times = max(2, repeat // 10) if page == "HR overview" else repeat
        ms = cpu_ms(app, clients[role], path, times) if isinstance(count, int) else float("nan")
        costs[page] = Cost(ms, count)
    with app.app_context():
        db.engine.dispose()
    return costs, backend
