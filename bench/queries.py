"""SQL statements per page at a small organisation and at the full size: they must be equal.

    .venv/bin/python bench/queries.py --small sqlite:///bench/.data/small.db \\
        --full sqlite:///bench/.data/full.db [--json out.json]

Both databases come from bench/generate.py (--size small and the default size). Each page is
requested by a signed-in person through the app's test client, once to warm up and then once
counted, each request in its own app context as in production; statements are counted the way
the test suite's `queries` fixture counts them (SAVEPOINT, RELEASE, ROLLBACK and PRAGMA left
out). Prints a Markdown table page x (small, full) and exits with status 1 when a page runs a
different number of statements at the two sizes (or fails).
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from measure import bench_app, signed_in, statements_of  # noqa: E402
from pages import PAGES, organisation, url_for_page  # noqa: E402

from learnpath.extensions import db  # noqa: E402


def count_pages(url: str) -> dict[str, int | str]:
    app = bench_app(url)
    with app.app_context():
        org = organisation(employees=1, managers=1, hr=1)
    clients = signed_in(app, org)
    counts = {page: statements_of(app, clients[role], url_for_page(page, org.people(role)[0], org))
              for page, (role, _template) in PAGES.items()}
    with app.app_context():
        db.engine.dispose()
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", required=True, help="database URL of the small organisation")
    parser.add_argument("--full", required=True, help="database URL of the full organisation")
    parser.add_argument("--json", help="also write the counts to this file")
    args = parser.parse_args(argv)
    small, full = count_pages(args.small), count_pages(args.full)
    backend = "PostgreSQL" if args.full.startswith("postgres") else "SQLite"
    print(f"| page ({backend}) | queries, small | queries, full | equal |")
    print("|---|---:|---:|---|")
    failed = False
    for page in PAGES:
        equal = small[page] == full[page] and isinstance(small[page], int)
        failed |= not equal
        print(f"| {page} | {small[page]} | {full[page]} | {'yes' if equal else 'NO'} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"backend": backend, "small": small,
                                               "full": full}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
