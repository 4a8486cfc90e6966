"""Where a page's CPU goes: pyinstrument over repeated requests of one page, in process.

    .venv/bin/pip install pyinstrument
    .venv/bin/python bench/profile.py --database-url sqlite:///bench/.data/small.db \\
        --page "module page" [--repeat 200] [--depth 14]

The app, the signed-in person and the request are those of bench/cpu.py (bench/measure.py:
the production configuration, each request in its own app context, two warm-ups first). The
output is pyinstrument's call tree of the timed requests, frames under 2% of the time left
out; bench/README.md summarises the most expensive pages before and after issue 24.
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

from measure import bench_app, signed_in  # noqa: E402
from pages import PAGES, REFERENCE_PAGES, organisation, url_for_page  # noqa: E402

from learnpath.extensions import db  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", required=True, choices=sorted({**PAGES, **REFERENCE_PAGES}))
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--depth", type=int, default=14, help="deepest frame shown")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
        from pyinstrument.renderers import ConsoleRenderer
    except ImportError:
        print("pyinstrument is not installed: .venv/bin/pip install pyinstrument", file=sys.stderr)
        return 2
    app = bench_app(args.database_url)
    with app.app_context():
        org = organisation(employees=1, managers=1, hr=1)
    clients = signed_in(app, org)
    role = {**PAGES, **REFERENCE_PAGES}[args.page][0]
    client, path = clients[role], url_for_page(args.page, org.people(role)[0], org)
    for _ in range(2):
        with app.app_context():
            assert client.get(path).status_code == 200, path
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(args.repeat):
        with app.app_context():
            client.get(path)
    session = profiler.stop()
    print(f"{args.page}: {path}, {args.repeat} requests, "
          f"{1000 * session.cpu_time / args.repeat:.2f} ms CPU a request under the profiler")
    renderer = ConsoleRenderer(unicode=True, color=False, show_all=False, short_mode=True,
                               time="percent_of_total", processor_options={"filter_threshold": 0.02,
                                                  "hide_regex": r".*/(werkzeug|flask)/.*"})
    lines = renderer.render(session).splitlines()
    shown = [line for line in lines if len(line) - len(line.lstrip(" │├└─")) <= 2 * args.depth]
    print("\n".join(shown))
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
