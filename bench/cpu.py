"""CPU time and SQL statements per request of each page, in process, next to a bare Flask "hello".

    .venv/bin/python bench/cpu.py --database-url sqlite:///bench/.data/full.db \\
        [--database-url postgresql://postgres@127.0.0.1/learnpath_bench] [--repeat 20]

The HTTP load test (bench/load.py) measures wall-clock throughput, which a busy shared machine
bends; CPU time of the process is what a page costs whatever else runs. Each page is requested
through the test client by a signed-in person (a counted request for the statements, 2 warm-ups,
then --repeat timed requests, each in its own app context as in production; bench/measure.py).
The table gives the mean CPU milliseconds per request (SQLite's work included, since it runs in
process; PostgreSQL's server time is not), the statements, and the bare Flask app's cost as a
share of the page's: with 2 workers that is roughly the share of the ceiling's requests/s the
page can reach before the HTTP layer both share is counted. Several --database-url run one
after the other in the same run.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from measure import hello_ms, page_costs  # noqa: E402

# The bounds on what one request may cost in process (None: no bound).
STATEMENT_LIMITS = {"module page": 5, "employee home": 8, "path page": 8, "catalog: query": 8,
                    "catalog: facets": 8}
CPU_LIMITS = {"static page, signed in": 1.0}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def table(costs: dict, hello: float, backend: str) -> list[str]:
    lines = [f"| page ({NAMES.get(backend, backend)}, in process) | CPU ms a request | "
             "statements | bare Flask's cost as % of the page's | bound | met |",
             "|---|---:|---:|---:|---|---|",
             f"| bare Flask hello (ceiling app) | {hello:.2f} | 0 | 100% | | |"]
    for page, cost in costs.items():
        bounds, met = [], True
        if page in CPU_LIMITS:
            bounds.append(f"<= {CPU_LIMITS[page]:.1f} ms")
            met &= cost.cpu_ms <= CPU_LIMITS[page]
        if page in STATEMENT_LIMITS:
            bounds.append(f"<= {STATEMENT_LIMITS[page]} statements")
            met &= isinstance(cost.statements, int) and cost.statements <= STATEMENT_LIMITS[page]
        lines.append(f"| {page} | {cost.cpu_ms:.2f} | {cost.statements} | "
                     f"{100 * hello / cost.cpu_ms:.1f}% | {', '.join(bounds)} | "
                     f"{('yes' if met else '**no**') if bounds else ''} |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, action="append")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pages", help="comma-separated subset of the pages")
    args = parser.parse_args(argv)
    pages = {p.strip() for p in args.pages.split(",")} if args.pages else None
    for url in args.database_url:
        costs, backend = page_costs(url, args.repeat, pages)
        hello = hello_ms(args.repeat * 10)
        print("\n".join(table(costs, hello, backend)) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
