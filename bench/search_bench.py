"""Catalog search benchmark: 10,000 generated modules, whoosh next to SQLite FTS5, one run.

    .venv/bin/python bench/search_bench.py [--modules 10000] [--queries 200] [--publishes 200]

Builds a throwaway SQLite database and index in a temporary folder, then reports:
- full rebuild time (`learnpath.search.rebuild`, the code `learnpath search reindex` runs);
- publish-one-module p95: publish a new version and commit, which updates the index after the
  commit; the index part alone is reported too;
- query p50/p95 for one-to-three-word queries through the catalog's search service (ranking,
  facet counts, highlighted snippets, display data from the database), next to SQLite FTS5 over
  the same texts answering the same queries (bm25 order, top 20 with snippet()), with ratios.

Module texts come from a word-pair model of the starter catalog (content/modules/<lang>) plus a
long tail of rarer words, so vocabulary and lengths resemble real modules: 3 to 15 minutes at
about 180 words a minute, half Dutch and half English.
"""

import argparse
import gc
import html
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from sqlalchemy import insert, update  # noqa: E402

from learnpath import create_app  # noqa: E402
from learnpath.extensions import db  # noqa: E402
from learnpath.modules import authoring as module_authoring  # noqa: E402
from learnpath.modules.models import Module, ModuleVersion  # noqa: E402
from learnpath.modules.rendering import html_to_text  # noqa: E402
from learnpath.search import index as search_index  # noqa: E402
from learnpath.search import search  # noqa: E402
from learnpath.search.analysis import analysis_for  # noqa: E402
from learnpath.skills import services as skills  # noqa: E402

LANGUAGES = ("en", "nl")
LEVELS = ("beginner", "intermediate", "advanced")
DURATIONS = [3] * 20 + [4] * 20 + [5] * 18 + [6] * 10 + [7] * 9 + [8] * 8 + [10] * 8 + \
    [12] * 4 + [15] * 3
WORDS_PER_MINUTE = 180
PER_PAGE = 20
_WORD = re.compile(r"[^\W\d_][\w'’-]*|[.!?]")
SYLLABLES = {
    "en": "ka ro ti ver lan sto mi pel dra quin or ex ben tal sim cor ment ate ing ous".split(),
    "nl": "ge ver sch ijk oor aal lijn ber kwa dui zee hout en tje erk heid ing baar lijk".split(),
}


# Data ----------------------------------------------------------------------------------------


class Writer:
    """Word-pair text model of one language, trained on the starter catalog."""

    def __init__(self, language: str, rng: random.Random):
        self.rng = rng
        words = []
        for path in sorted((ROOT / "content" / "modules" / language).glob("*.md")):
            text = path.read_text(encoding="utf-8").split("---", 2)[-1]
            text = re.sub(r"<quiz>.*?</quiz>", " ", text, flags=re.DOTALL)
            words += _WORD.findall(text)
        self.next = defaultdict(list)
        for first, second in zip(words, words[1:], strict=False):
            self.next[first].append(second)
        self.starts = [w for w in self.next if w[:1].isupper()]
        self.tail = sorted({"".join(rng.choice(SYLLABLES[language])
                                    for _ in range(rng.randint(2, 4))) for _ in range(40000)})
        rng.shuffle(self.tail)
        self.frequent = [w for w, _ in Counter(w.lower() for w in words if w.isalpha()
                                               and len(w) > 3).most_common(600)]

    def _tail_word(self) -> str:
        rank = min(int(self.rng.paretovariate(0.9)) - 1, len(self.tail) - 1)
        return self.tail[rank]

    def sentence(self, low=8, high=22) -> str:
        word = self.rng.choice(self.starts)
        out = [word]
        while len(out) < self.rng.randint(low, high):
            if self.rng.random() < 0.05:
                out.append(self._tail_word())
                continue
            choices = self.next.get(word)
            word = self.rng.choice(choices) if choices else self.rng.choice(self.starts)
            if word in ".!?":
                continue
            out.append(word)
        text = " ".join(out)
        return text[0].upper() + text[1:] + "."

    def module(self, minutes: int) -> tuple[str, str, str]:
        """(title, summary, body html) of about `minutes` of reading."""
        target = int(minutes * WORDS_PER_MINUTE * self.rng.uniform(0.85, 1.15))
        title = " ".join(self.sentence(3, 7).rstrip(".").split()[:7])
        summary = self.sentence(8, 18)
        parts, count = [f"<h1>{html.escape(title)}</h1>"], 0
        while count < target:
            roll = self.rng.random()
            if roll < 0.12:
                heading = self.sentence(2, 5).rstrip(".")
                parts.append(f"<h2>{html.escape(heading)}</h2>")
                count += len(heading.split())
            elif roll < 0.22:
                items = [self.sentence(4, 12) for _ in range(self.rng.randint(2, 5))]
                parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items)
                             + "</ul>")
                count += sum(len(i.split()) for i in items)
            else:
                sentences = [self.sentence() for _ in range(self.rng.randint(2, 6))]
                text = html.escape(" ".join(sentences))
                if self.rng.random() < 0.3:
                    text = text.replace(" ", " <strong>", 1).replace(" ", "</strong> ", 2)
                parts.append(f"<p>{text}</p>")
                count += sum(len(s.split()) for s in sentences)
        return title, summary, "\n".join(parts)


def generate(count: int, seed: int = 7):
    rng = random.Random(seed)
    writers = {language: Writer(language, rng) for language in LANGUAGES}
    skill_slugs = sorted(skills.known_skill_slugs())
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(1, count + 1):
        language = LANGUAGES[number % 2]
        minutes = rng.choice(DURATIONS)
        title, summary, body = writers[language].module(minutes)
        yield {
            "id": number, "slug": f"module-{number}", "language": language,
            "title": title[:200], "summary": summary, "html": body, "duration": minutes,
            "level": rng.choice(LEVELS), "skills": rng.sample(skill_slugs, rng.randint(1, 3)),
            "tags": rng.sample(writers[language].frequent[:80], rng.randint(1, 3)),
            "published_at": start + timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
        }, writers[language]


def load_catalog(count: int) -> tuple[list[dict], dict]:
    rows, writers = [], {}
    for row, writer in generate(count):
        rows.append(row)
        writers[row["language"]] = writer
    now = datetime.now(UTC)
    db.session.execute(insert(Module), [{
        "id": r["id"], "slug": r["slug"], "language": r["language"], "status": "published",
        "draft_title": r["title"], "edit_count": 1, "created_at": now, "updated_at": now,
    } for r in rows])
    db.session.execute(insert(ModuleVersion), [{
        "id": r["id"], "module_id": r["id"], "number": 1, "title": r["title"],
        "summary": r["summary"], "language": r["language"], "duration": r["duration"],
        "level": r["level"], "skills": r["skills"], "tags": r["tags"], "front_matter": {},
        "source": _markdown(r), "html": r["html"], "toc_html": "", "content_hash": str(r["id"]),
        "published_at": r["published_at"],
    } for r in rows])
    db.session.execute(update(Module).values(current_version_id=Module.id))
    db.session.commit()
    return rows, writers


def _markdown(row) -> str:
    return (f"---\ntitle: {row['title']}\nsummary: {row['summary']}\nlanguage: {row['language']}"
            f"\nduration: {row['duration']}\nlevel: {row['level']}\nskills: "
            f"[{', '.join(row['skills'])}]\n---\n\n" + html_to_text(row["html"]) + "\n")


def make_queries(writers: dict, count: int, seed: int = 11) -> list[str]:
    """One-to-three-word queries from the words people would type: frequent content words."""
    rng = random.Random(seed)
    queries = []
    for number in range(count):
        writer = writers[LANGUAGES[number % 2]]
        size = rng.choice((1, 1, 2, 2, 3))
        words = []
        while len(words) < size:
            word = rng.choice(writer.frequent) if rng.random() < 0.85 else writer._tail_word()
            if word not in words and analysis_for(LANGUAGES[number % 2]).terms(word):
                words.append(word)
        queries.append(" ".join(words))
    return queries


# Baseline ------------------------------------------------------------------------------------


def build_fts(path: Path, rows: list[dict]) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, "
                 "tokenize='porter unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO fts(rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                     ((r["id"], r["title"], r["summary"], html_to_text(r["html"]))
                      for r in rows))
    conn.commit()
    return conn


def fts_search(conn: sqlite3.Connection, text: str) -> list:
    match = " ".join('"' + w.replace('"', '""') + '"' for w in text.split())
    return conn.execute(
        "SELECT rowid, title, snippet(fts, 2, '<mark>', '</mark>', ' … ', 24) FROM fts "
        "WHERE fts MATCH ? ORDER BY bm25(fts, 4.0, 2.0, 1.0) LIMIT ?",
        (match, PER_PAGE)).fetchall()


# Measuring -----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _cpu_seconds() -> float:
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return (time.perf_counter() - start) * 1000, value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--publishes", type=int, default=200)
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="keep start-up objects in the garbage collector's scans")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary database and index (a few hundred MB)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="learnpath-search-bench-"))
    try:
        run(args, folder)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(args, folder: Path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.db'}",
                      "SEARCH_INDEX_DIR": str(folder / "index")})
    with app.app_context():
        db.create_all()
        skills.import_skills((ROOT / "content" / "skills.yml").read_text(encoding="utf-8"))
        db.session.commit()
        started = time.perf_counter()
        rows, writers = load_catalog(args.modules)
        words = sum(len(html_to_text(r["html"]).split()) for r in rows)
        print(f"generated {len(rows)} modules, {words / len(rows):.0f} words on average "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
        if not args.no_gc_freeze:
            # What a production server does after start-up (gunicorn --preload plus
            # gc.freeze()): the ~100k objects of imported modules leave the collector's scans,
            # whose full passes otherwise pause a request for ~100 ms on this machine.
            gc.collect()
            gc.freeze()

        catalog = search_index.current()
        cpu = _cpu_seconds()
        rebuild_s = timed(catalog.rebuild)[0] / 1000
        print(f"rebuild: {rebuild_s:.1f} s ({_cpu_seconds() - cpu:.0f} CPU-seconds over all "
              f"processes)", flush=True)

        publish_ms, index_ms = publish_times(rows, args.publishes, catalog)
        print(f"publish: p95 {percentile(publish_ms, .95):.0f} ms "
              f"(index part p95 {percentile(index_ms, .95):.0f} ms)", flush=True)

        conn = build_fts(folder / "fts.db", rows)
        queries = make_queries(writers, args.queries)
        for text in queries[:20]:  # warm both: caches, facet sets, page cache
            search(text)
            fts_search(conn, text)
        whoosh_ms, fts_ms, hits = [], [], 0
        for text in queries:
            elapsed, result = timed(search, text)
            whoosh_ms.append(elapsed)
            hits += bool(result.hits)
            fts_ms.append(timed(fts_search, conn, text)[0])
        report(args, rebuild_s, publish_ms, index_ms, whoosh_ms, fts_ms, hits, len(queries))


def publish_times(rows: list[dict], count: int, catalog) -> tuple[list[float], list[float]]:
    """Publish a changed text of existing modules; time the service call plus commit."""
    rng = random.Random(3)
    index_ms: list[float] = []
    original = catalog.catch_up

    def measured_catch_up(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            index_ms.append((time.perf_counter() - start) * 1000)

    catalog.catch_up = measured_catch_up
    publish_ms = []
    try:
        for number in range(count):
            row = rng.choice(rows)
            module = db.session.get(Module, row["id"])
            source = _markdown(row) + f"\nRevised paragraph number {number}.\n"
            start = time.perf_counter()
            module_authoring.publish(module, None, source=source)
            db.session.commit()
            publish_ms.append((time.perf_counter() - start) * 1000)
            db.session.expunge_all()
    finally:
        del catalog.catch_up
    return publish_ms, index_ms


def report(args, rebuild_s, publish_ms, index_ms, whoosh_ms, fts_ms, hits, queries):
    w50, w95 = percentile(whoosh_ms, .5), percentile(whoosh_ms, .95)
    f50, f95 = percentile(fts_ms, .5), percentile(fts_ms, .95)
    print()
    print(f"| measure ({args.modules} modules) | result | target |")
    print("|---|---|---|")
    print(f"| full rebuild | {rebuild_s:.1f} s | ≤ 30 s |")
    print(f"| publish one module, p95 (service + commit + index) | "
          f"{percentile(publish_ms, .95):.0f} ms | ≤ 100 ms |")
    print(f"| of which index update, p95 | {percentile(index_ms, .95):.0f} ms | |")
    print(f"| query p50: whoosh / FTS5 | {w50:.1f} ms / {f50:.1f} ms = {w50 / f50:.1f}x | ≤ 10x |")
    print(f"| query p95: whoosh / FTS5 | {w95:.1f} ms / {f95:.1f} ms = {w95 / f95:.1f}x | ≤ 4x |")
    print(f"| queries with results | {hits} of {queries} | |")
    print(f"\nmean query: whoosh {statistics.mean(whoosh_ms):.1f} ms, "
          f"FTS5 {statistics.mean(fts_ms):.1f} ms; publish p50 "
          f"{percentile(publish_ms, .5):.0f} ms, max {max(publish_ms):.0f} ms; "
          f"gc.freeze(): {'no' if args.no_gc_freeze else 'yes'}")


if __name__ == "__main__":
    main()
