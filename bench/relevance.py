"""Relevance benchmark: learnpath's catalog search next to SQLite FTS5 bm25() on judged queries.

    .venv/bin/python bench/relevance.py [--skip-speed] [--show] [--speed-args "--modules 3000"]

Builds a throwaway database and index from bench/relevance/ (about 340 modules in English and
Dutch: the starter catalog, hand-written topics with translations, near-duplicates, pages that
mention a topic only in passing, generated filler) and runs the judged queries through
- learnpath: `learnpath.search.search` as the catalog page calls it (learner's language = the
  query's language, first page of 10);
- FTS5: the same texts in columns title, headings, summary, body, ranked by
  bm25(fts, 10, 5, 3, 1), all query words required (a quoted phrase stays a phrase).

Judgments are per translation group; in a result list only the first module of a group counts
(a second language of the same module gains nothing but takes a place). Reports MRR@10 (first
result graded 2 or 3) and nDCG@10 (gain 2^grade - 1). Then, unless --skip-speed, runs
bench/search_bench.py for the speed figures (its own targets).
"""

import argparse
import math
import os
import random
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-rel-"))

from relevance.corpus import build  # noqa: E402
from relevance.queries import QUERIES  # noqa: E402
from search_bench import Writer  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from learnpath import create_app  # noqa: E402
from learnpath.extensions import db  # noqa: E402
from learnpath.modules.models import Module, ModuleVersion  # noqa: E402
from learnpath.modules.rendering import html_to_text  # noqa: E402
from learnpath.search import index as search_index  # noqa: E402
from learnpath.search import search  # noqa: E402

K = 10
_HEADING = re.compile(r"<h[2-6]\b[^>]*>(.*?)</h[2-6]>", re.DOTALL)


def judgments(grades: dict[str, int], groups: set[str]) -> dict[str, int]:
    """The query's grades plus 1 for every page that mentions a grade-3 topic in passing."""
    judged = dict(grades)
    for group in groups:
        topic = group.split("~mention-")[0]
        if "~mention-" in group and grades.get(topic) == 3:
            judged.setdefault(group, 1)
    return judged


def metrics(ranked_groups: list[str], judged: dict[str, int]) -> tuple[float, float]:
    seen, gains = set(), []
    for group in ranked_groups[:K]:
        gains.append(0 if group in seen else judged.get(group, 0))
        seen.add(group)
    rr = next((1 / (i + 1) for i, g in enumerate(gains) if g >= 2), 0.0)
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(judged.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return rr, (dcg / idcg if idcg else 0.0)


def load(modules: list[tuple]) -> dict[int, str]:
    now = datetime.now(UTC)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rng = random.Random(2)
    rows = [{"id": number, "key": key, "group": group, "language": language, "title": title,
             "summary": summary, "html": html}
            for number, (key, group, language, title, summary, html)
            in enumerate(modules, start=1)]
    db.session.execute(insert(Module), [{
        "id": r["id"], "slug": r["key"], "language": r["language"], "status": "published",
        "draft_title": r["title"], "edit_count": 1, "created_at": now, "updated_at": now,
        "translation_group": r["group"], "source_key": r["key"]} for r in rows])
    db.session.execute(insert(ModuleVersion), [{
        "id": r["id"], "module_id": r["id"], "number": 1, "title": r["title"],
        "summary": r["summary"], "language": r["language"], "duration": 5,
        "level": "beginner", "skills": [], "tags": [], "front_matter": {},
        "source": html_to_text(r["html"]), "html": r["html"], "toc_html": "",
        "content_hash": str(r["id"]),
        "published_at": start + timedelta(minutes=rng.randint(0, 500_000))} for r in rows])
    db.session.execute(update(Module).values(current_version_id=Module.id))
    db.session.commit()
    return {r["id"]: r["group"] for r in rows}


def build_fts(path: Path, modules: list[tuple]) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, headings, summary, body, "
                 "tokenize='porter unicode61 remove_diacritics 2')")
    conn.executemany(
        "INSERT INTO fts(rowid, title, headings, summary, body) VALUES (?, ?, ?, ?, ?)",
        ((number, title, " ".join(html_to_text(h) for h in _HEADING.findall(html)), summary,
          html_to_text(html))
         for number, (_k, _g, _l, title, summary, html) in enumerate(modules, start=1)))
    conn.commit()
    return conn


def fts_query(text: str) -> str:
    parts = []
    for token in re.findall(r'"[^"]*"|\S+', text):
        words = re.findall(r"\w+", token)
        if token.startswith('"') and words:
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"' for w in words)
    return " ".join(parts)


def fts_search(conn, text: str) -> list[int]:
    return [row[0] for row in conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 10.0, 5.0, 3.0, 1.0) "
        "LIMIT ?", (fts_query(text), K))]


def run(args, folder: Path) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'r.db'}",
                      "SEARCH_INDEX_DIR": str(folder / "index")})
    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        writers = {language: Writer(language, rng) for language in ("en", "nl")}
        modules = build(writers)
        groups_of = load(modules)
        search_index.current().rebuild()
        conn = build_fts(folder / "fts.db", modules)
        all_groups = set(groups_of.values())
        languages = {language for _k, _g, language, *_rest in modules}
        print(f"{len(modules)} modules ({', '.join(sorted(languages))}) in "
              f"{len(all_groups)} translation groups; {len(QUERIES)} judged queries")
        totals = {"learnpath": [0.0, 0.0], "FTS5 bm25": [0.0, 0.0]}
        for text, language, grades in QUERIES:
            judged = judgments(grades, all_groups)
            result = search(text, per_page=K, locale=language)
            ours = [groups_of[m] for m in result.module_ids]
            theirs = [groups_of[m] for m in fts_search(conn, text)]
            row = []
            for name, ranked in (("learnpath", ours), ("FTS5 bm25", theirs)):
                rr, ndcg = metrics(ranked, judged)
                totals[name][0] += rr
                totals[name][1] += ndcg
                row.append(f"{rr:.2f}/{ndcg:.2f}")
            if args.show:
                shown = f" -> {result.query!r}" if result.corrected_from else ""
                print(f"{text!r:32} {language}  learnpath {row[0]}  FTS5 {row[1]}{shown}  "
                      f"top: {ours[:3]}")
        print()
        print(f"| engine ({len(QUERIES)} queries, {len(modules)} modules) | MRR@10 | nDCG@10 |")
        print("|---|---|---|")
        for name, (rr, ndcg) in totals.items():
            print(f"| {name} | {rr / len(QUERIES):.3f} | {ndcg / len(QUERIES):.3f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-speed", action="store_true",
                        help="do not run bench/search_bench.py afterwards")
    parser.add_argument("--speed-args", default="",
                        help="arguments for bench/search_bench.py, e.g. '--modules 3000'")
    parser.add_argument("--show", action="store_true", help="print every query's figures")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="learnpath-relevance-") as folder:
        run(args, Path(folder))
    print(f"\nrelevance run: {time.perf_counter() - started:.0f} s")
    if not args.skip_speed:
        print("\nspeed (bench/search_bench.py):", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "search_bench.py"),
                        *shlex.split(args.speed_args)], check=False)


if __name__ == "__main__":
    main()
