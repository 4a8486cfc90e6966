"""CPU time per request of each page, in process, next to a bare Flask "hello" and a static page.

    .venv/bin/python bench/cpu.py --database-url sqlite:///bench/.data/full.db [--repeat 20]

The HTTP load test (bench/load.py) measures wall-clock throughput, which a busy shared machine
bends; CPU time of the process is what a page costs whatever else runs. Each page is requested
through the test client by a signed-in person (2 warm-ups, then --repeat timed requests, each
in its own app context as in production); the table gives the mean CPU milliseconds per request
(SQLite's work included, since it runs in process; PostgreSQL's server time is not) and the
multiple of the bare Flask app's. With 2 workers the ceiling's requests/s over a page's is
roughly the ratio of their costs per request, plus the cost of the HTTP layer both share.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from ceiling_app import app as hello_app  # noqa: E402
from generate import absolute_url, default_index_dir  # noqa: E402
from pages import PAGES, PASSWORD, organisation, url_for_page  # noqa: E402

from learnpath import create_app  # noqa: E402


def cpu_ms(app, client, path: str, repeat: int) -> float:
    for _ in range(2):
        with app.app_context():
            response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    start = time.process_time()
    for _ in range(repeat):
        with app.app_context():
            client.get(path)
    return (time.process_time() - start) * 1000 / repeat


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    url = absolute_url(args.database_url)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(default_index_dir(url)),
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        org = organisation(employees=1, managers=1, hr=1)
    clients = {}
    for role in ("employee", "manager", "hr"):
        clients[role] = app.test_client()
        with app.app_context():
            response = clients[role].post("/login", data={
                "email": org.people(role)[0].email, "password": PASSWORD})
        assert response.status_code == 302
    hello = cpu_ms(hello_app, hello_app.test_client(), "/", args.repeat * 10)
    rows = [("bare Flask hello (ceiling app)", hello),
            ("static page, signed in (/engagement/how)",
             cpu_ms(app, clients["employee"], "/engagement/how", args.repeat))]
    for page, (role, _template) in PAGES.items():
        repeat = max(2, args.repeat // 10) if page == "HR overview" else args.repeat
        rows.append((page, cpu_ms(app, clients[role], url_for_page(
            page, org.people(role)[0], org), repeat)))
    backend = "PostgreSQL" if "postgres" in url else "SQLite"
    print(f"| page ({backend}, in process) | CPU ms a request | x bare Flask |")
    print("|---|---:|---:|")
    for name, ms in rows:
        print(f"| {name} | {ms:.1f} | {ms / hello:.0f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
