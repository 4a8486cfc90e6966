"""The local whoosh index of the catalog: schema, opening, locking, rebuilding and catching up.

Every process (gunicorn worker, host, CLI) keeps a directory of derived data and a small stamp
file saying which catalog version it reflects. Before answering, `catch_up` compares that with
the database stamp and applies the logged changes (or rebuilds when too far behind, from another
database, or unreadable). Writes to one directory are serialised by a lock file, and the whoosh
writer itself is always opened with a timeout; searchers are kept per thread and refreshed.
"""

import fcntl
import gc
import json
import logging
import os
import secrets
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session
from whoosh import fields, formats, index, writing
from whoosh.analysis import Composable, Token
from whoosh.codec.whoosh3 import W3Codec
from whoosh.reading import SegmentReader

from learnpath.extensions import db
from learnpath.search import source
from learnpath.search.analysis import (
    ANALYSES,
    WORD,
    FastCharacters,
    FastPositions,
    fold_accents,
    make_analysis,
)

log = logging.getLogger(__name__)

# 2: headings field, translation group column, body words in "spell"; 3: a field family per
# analysis (de, fr, ..., neutral), not only en and nl. Another version is rebuilt on first use.
SCHEMA_VERSION = 3
META_FILE = "learnpath-index.json"
LOCK_FILE = "learnpath-index.lock"
WRITE_TIMEOUT = 5.0  # seconds a writer waits for the lock before giving up
INCREMENTAL_LIMIT = 2000  # more changed modules than this: rebuild instead
PARALLEL_FROM = 1000  # catalogs at least this large are rebuilt on several cores
WRITER_MEMORY_MB = 512
COMPRESSION = 0  # uncompressed postings: rebuilds take a third less CPU; the index is ~2x larger
# Each publish writes a one-module segment. When MERGE_FACTOR of those pile up, the next publish
# merges them into one (about 3% of publishes pay roughly half a second). Larger merges would
# stall a publish for many seconds, so segments of merged ones are left to `learnpath search
# reindex`, which also drops deleted documents: run it now and then (nightly, say).
MERGE_FACTOR = 32
MERGE_TIERS = 1


class IndexUnavailable(RuntimeError):
    """The index cannot be read and another process holds the lock to rebuild it."""


class SpellingWords(Composable):
    """Lowercase, accent-free words as typed, for "Did you mean ...?" suggestions."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, match in enumerate(WORD.finditer(value.lower())):
            word = fold_accents(match.group())
            if 3 <= len(word) <= 30 and word.isalpha():
                token.text, token.boost, token.stopped = word, 1.0, False
                if positions:
                    token.pos = start_pos + position
                if chars:
                    token.startchar, token.endchar = match.start(), match.end()
                yield token


class SpellingFormat(formats.Existence):
    """Which words a module holds, each once: the "Did you mean" dictionary. Built in one pass
    over the text rather than through whoosh's token stream, as the body's words are many."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, SpellingWords):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        words = {fold_accents(word) for word in value.split()}
        for word in words:
            if 3 <= len(word) <= 30 and word.isalpha():
                yield word, 1, boost, b""


class LanguageText(fields.TEXT):
    """Text analysed in one language; `chars` keeps offsets for snippets from the postings."""

    def __init__(self, language: str, average_length: float, stored=False, chars=False):
        super().__init__(analyzer=make_analysis(language), stored=stored, chars=chars)
        self.format = (FastCharacters if chars else FastPositions)(average_length)
        self.scorable = False  # relevance comes from the postings' weights, not whoosh's BM25F


class CatalogCodec(W3Codec):
    """whoosh's codec without per-block length statistics, which only whoosh's BM25F uses."""

    length_stats = False


# Typical field lengths in words (without stop words), for length normalisation.
AVERAGE_LENGTHS = {"title": 5, "headings": 12, "summary": 12, "keywords": 5, "body": 500}


def build_schema() -> fields.Schema:
    """One field set per analysis, so each module is analysed in its own language.

    Fields no document uses cost nothing in the postings, and queries only look at the
    analyses the catalog holds (facets.FacetData.analyses)."""
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        module=fields.NUMERIC(int, bits=64, sortable=True),
        language=fields.ID(stored=True),
        # The translation group ("" for a module without translations): one result per group.
        group=fields.ID(sortable=True),
        level=fields.ID,
        skills=fields.KEYWORD(commas=True),
        duration=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        published=fields.NUMERIC(int, bits=64, sortable=True),
        spell=fields.TEXT(analyzer=SpellingWords(), phrase=False),
    )
    schema["spell"].scorable = False
    schema["spell"].format = SpellingFormat()
    for language in ANALYSES:
        for name, average in AVERAGE_LENGTHS.items():
            schema.add(f"{name}_{language}", LanguageText(
                language, average, stored=name == "body", chars=name == "body"))
    return schema


@cache
def current_schema() -> fields.Schema:
    """This version's schema, built once a process. Indexes are opened with it rather than
    unpickling the one stored with every commit (each searcher and writer reads that again):
    meta() has already checked the index is of this SCHEMA_VERSION."""
    return build_schema()


def _writer(ix, **options):
    """Every writer: a timeout on the lock, our codec, and plain files (see below)."""
    # Compound segment files are read through a BytesIO copy of the whole file on every
    # open (tens of milliseconds on a large catalog); separate files are opened in place.
    return ix.writer(timeout=WRITE_TIMEOUT, codec=CatalogCodec(compression=COMPRESSION),
                     compound=False, **options)


@dataclass(frozen=True)
class Meta:
    """What the local index reflects: the database epoch and catalog version, and its build."""

    epoch: str
    version: int
    build: str
    schema: int = SCHEMA_VERSION


class CatalogIndex:
    """One index directory as seen by this process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._guard = threading.Lock()
        self._ix = None
        self._ix_build = None
        self._local = threading.local()

    # Metadata and locking ------------------------------------------------------------------

    def meta(self) -> Meta | None:
        try:
            data = json.loads((self.path / META_FILE).read_text())
            meta = Meta(**data)
        except (OSError, ValueError, TypeError):
            return None
        return meta if meta.schema == SCHEMA_VERSION else None

    def _write_meta(self, meta: Meta) -> None:
        temporary = self.path / f".{META_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(asdict(meta)))
        os.replace(temporary, self.path / META_FILE)

    @contextmanager
    def _exclusive(self, wait: float):
        """Hold the directory's write lock; yields False when it stayed busy for `wait` s."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK_FILE, "a+") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # Reading -------------------------------------------------------------------------------

    def _open(self):
        """The whoosh index, or None when missing, unreadable or of another schema version."""
        try:
            if self.meta() is None or not index.exists_in(str(self.path)):
                return None
            ix = index.open_dir(str(self.path), schema=current_schema())
            ix.latest_generation()
            return ix
        except Exception:  # whoosh raises many kinds on damaged files
            log.warning("search index at %s is unreadable", self.path, exc_info=True)
            return None

    def _index(self, meta: Meta | None):
        """The open index for this build (opened once per build, not per call)."""
        build = meta.build if meta else None
        with self._guard:
            if self._ix is None or self._ix_build != build:
                self._ix, self._ix_build = self._open(), build
            return self._ix

    def searcher(self):
        """This thread's searcher, refreshed to the latest commit (reopened after a rebuild)."""
        ix = self._index(self.meta())
        if ix is None:
            raise IndexUnavailable(str(self.path))
        held = getattr(self._local, "held", None)
        if held is not None and held[0] is ix \
                and held[1].reader().generation() == ix.latest_generation():
            return held[1]
        # A new searcher, not Searcher.refresh(): whoosh-reloaded 2.7.5 re-adds merged-away
        # segments and keeps stale deletions when it reuses readers, so an updated module
        # would show twice. Opening happens once per index change and thread, not per query.
        if held is not None:
            held[1].close()
        searcher = ix.searcher()
        self._local.held = (ix, searcher)
        return searcher

    def forget(self) -> None:
        """Drop this thread's searcher and the open index (after a read error)."""
        held = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None:
            try:
                held[1].close()
            except Exception:
                pass
        with self._guard:
            self._ix = None

    # Writing -------------------------------------------------------------------------------

    def catch_up(self, session=None, wait: float = WRITE_TIMEOUT, repair: bool = False) -> bool:
        """Bring the index up to the database stamp; False when it is left stale (lock busy).

        Reads go through their own session (by default), so the index only ever sees committed
        data, whatever the caller's transaction holds.
        """
        if session is None:
            with Session(db.engine) as own:
                return self.catch_up(own, wait, repair)
        stamp = source.read_stamp(session)
        meta = self.meta()
        if not repair and self._is_current(meta, stamp) and self._index(meta) is not None:
            return True
        with self._exclusive(wait) as locked:
            if not locked:
                return False
            meta = self.meta()
            stamp = source.read_stamp(session)
            ix = None if repair else self._index(meta)
            if ix is not None and self._is_current(meta, stamp):
                return True  # another process caught up while we waited
            # An index built before the database had a stamp can catch up from version 0.
            same_data = meta is not None and (
                meta.epoch == stamp.epoch or (meta.epoch == "" and meta.version == 0))
            if ix is None or not same_data or meta.version > stamp.version \
                    or meta.version < stamp.pruned_through:
                self._rebuild_locked(session, ix)
                return True
            changes = source.changed_since(session, meta.version, INCREMENTAL_LIMIT)
            if changes is None:
                self._rebuild_locked(session, ix)
                return True
            module_ids, seen = changes
            self._apply(ix, session, module_ids)
            self._write_meta(Meta(stamp.epoch, max(stamp.version, seen), meta.build))
            return True

    @staticmethod
    def _is_current(meta: Meta | None, stamp: source.Stamp) -> bool:
        return meta is not None and meta.epoch == stamp.epoch and meta.version == stamp.version

    def _apply(self, ix, session, module_ids: set[int]) -> None:
        documents = list(source.documents(session, module_ids))
        # Under the lock nobody else writes, so this thread's refreshed searcher sees exactly
        # the segments the writer will: finding old documents with it saves opening them all.
        searcher = self.searcher()
        writer = _writer(ix)
        try:
            if searcher.reader().generation() == ix.latest_generation():
                for module_id in module_ids:
                    for docnum in searcher.document_numbers(id=str(module_id)):
                        writer.delete_document(docnum)
            else:
                for module_id in module_ids:
                    writer.delete_by_term("id", str(module_id))
            for document in documents:
                writer.add_document(**document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_in_tiers)

    def rebuild(self, session=None, progress=None, procs: int | None = None,
                wait: float = 60.0) -> int:
        """Rebuild the whole index from the database; returns the number of modules indexed."""
        if session is None:
            with Session(db.engine) as own:
                return self.rebuild(own, progress, procs, wait)
        with self._exclusive(wait) as locked:
            if not locked:
                raise IndexUnavailable(f"{self.path} is locked by another writer")
            return self._rebuild_locked(session, self._open(), progress, procs)

    def _rebuild_locked(self, session, ix, progress=None, procs=None) -> int:
        with _collector_paused():
            return self._rebuild_paused(session, ix, progress, procs)

    def _rebuild_paused(self, session, ix, progress, procs) -> int:
        stamp = source.read_stamp(session)  # read first: the documents are at least this new
        total = source.published_count(session)
        if procs is None:
            procs = min(2, os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
        if ix is None:
            self._wipe()
            ix = index.create_in(str(self.path), current_schema())
        options = {"limitmb": WRITER_MEMORY_MB}
        if procs > 1:
            options.update(procs=procs, multisegment=True, batchsize=250)
        writer = _writer(ix, **options)
        count = 0
        try:
            for document in source.documents(session):
                writer.add_document(**document)
                count += 1
                if progress is not None:
                    progress(count, total)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        if procs > 1 and ix.doc_count() != count:
            # whoosh's multi-process writer waits only a second for each worker's segment;
            # should one ever be dropped, index again on one core rather than lose modules.
            log.error("parallel rebuild indexed %d of %d modules; rebuilding on one core",
                      ix.doc_count(), count)
            return self._rebuild_paused(session, ix, progress, procs=1)
        self._write_meta(Meta(stamp.epoch, stamp.version, secrets.token_hex(8)))
        log.info("search index rebuilt: %d modules in %s", count, self.path)
        return count

    def _wipe(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for entry in self.path.iterdir():
            if entry.name == LOCK_FILE:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector (the worker processes inherit the pause).

    A rebuild creates millions of short-lived posting tuples and no garbage cycles worth
    collecting; repeated collector passes over them cost a quarter of the rebuild time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def merge_in_tiers(writer, segments):
    """Merge policy: when MERGE_FACTOR segments of one size tier exist, merge them into one."""
    tiers: dict[int, list] = {}
    for segment in segments:
        size, tier = segment.doc_count_all(), 0
        while size >= MERGE_FACTOR ** (tier + 1):
            tier += 1
        tiers.setdefault(tier, []).append(segment)
    for tier in range(MERGE_TIERS):
        group = tiers.get(tier, [])
        if len(group) >= MERGE_FACTOR:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [s for s in segments if s not in group]
    return segments


_registry: dict[str, CatalogIndex] = {}
_registry_lock = threading.Lock()


def at(path) -> CatalogIndex:
    """The process-wide handle for an index directory."""
    key = str(Path(path).resolve())
    with _registry_lock:
        if key not in _registry:
            _registry[key] = CatalogIndex(Path(key))
        return _registry[key]


def current() -> CatalogIndex:
    """The index of the current app (SEARCH_INDEX_DIR; per test under TESTING)."""
    return at(current_app.config["SEARCH_INDEX_DIR"])
