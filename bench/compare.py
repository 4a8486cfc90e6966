"""Two load.py runs side by side: what a change did to each page.

    .venv/bin/python bench/compare.py bench/results/before-24-sqlite.json \\
        bench/results/after-24-sqlite.json

Prints a Markdown table: per page the CPU milliseconds and SQL statements in process, the
requests/s as a share of the ceiling measured around that page in the same run, and the p99 as
a multiple of the ceiling's, before and after, with the target of the second run and whether it
is met.
"""

import json
import sys
from pathlib import Path


def _cpu(row: dict) -> str:
    value = row.get("cpu_ms")
    return "-" if value is None or value != value else f"{value:.2f}"


def compare(before: dict, after: dict) -> str:
    old = {row["page"]: row for row in before["pages"]}
    lines = ["| page | CPU ms before → after | statements before → after | % of ceiling "
             "before → after | p99 / ceiling p99 before → after | target | met |",
             "|---|---:|---:|---:|---:|---|---|"]
    for row in after["pages"]:
        was = old.get(row["page"], {})
        lines.append(
            f"| {row['page']} | {_cpu(was)} → {_cpu(row)} | {was.get('statements', '-')} → "
            f"{row['statements']} | {was.get('pct_of_ceiling', float('nan')):.1f}% → "
            f"**{row['pct_of_ceiling']:.1f}%** | {was.get('p99_x_ceiling', float('nan')):.1f}x → "
            f"{row['p99_x_ceiling']:.1f}x | {row['target']} | "
            f"{'yes' if row['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2:
        print(__doc__)
        return 2
    before, after = (json.loads(Path(name).read_text()) for name in args)
    print(compare(before, after))
    return 0


if __name__ == "__main__":
    sys.exit(main())
