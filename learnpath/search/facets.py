"""Facet filters and counts from per-reader document sets.

For each reader (that is, each index version) the documents of every facet value are read once
from the postings and columns; filtering and counting are then set operations. A value's count
applies the query and the other facets' filters, so a person sees what each choice would give.
"""

import re
import threading
from dataclasses import dataclass

from learnpath.modules import languages
from learnpath.search.analysis import ANALYSES, LANGUAGES, analysis_key
from learnpath.search.scoring import documents_with, segment_id

LEVELS = ("beginner", "intermediate", "advanced")
DURATIONS = ("5", "10", "long")  # 5 minutes or less, 10 or less, longer
FACET_ORDER = ("skill", "level", "language", "duration")
MAX_VALUES = 20
_PLAUSIBLE = re.compile(r"[\w-]{1,80}\Z")  # skill slugs, levels, language codes, buckets


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool
    label: str = ""


@dataclass
class Facet:
    name: str
    values: list[FacetValue]

    @property
    def selected(self) -> bool:
        return any(v.selected for v in self.values)


def clean_filters(raw: dict) -> dict[str, list[str]]:
    """Keep known facets with plausible values; unknown input is dropped, never an error."""
    cleaned = {}
    for name in FACET_ORDER:
        values = raw.get(name) or []
        if not isinstance(values, list | tuple):
            values = [values]
        kept = []
        for value in values:
            value = str(value).strip().lower()
            if not _PLAUSIBLE.match(value) or value in kept:
                continue
            if name == "level" and value not in LEVELS:
                continue
            if name == "language":
                value = languages.normalise(value)  # zh-cn -> zh-CN, as the index holds it
                if value is None or value in kept:
                    continue
            if name == "duration" and value not in DURATIONS:
                continue
            kept.append(value)
        if name == "duration":
            kept = kept[:1]  # the buckets nest, so one choice says it all
        cleaned[name] = kept[:MAX_VALUES]
    return cleaned


class FacetData:
    """Document sets and sort keys of one reader."""

    def __init__(self, reader):
        self.module_ids = _column(reader, "module")
        self.duration = _column(reader, "duration")
        self.published = _column(reader, "published")
        self.live = frozenset(reader.all_doc_ids())
        # Translation groups: the group of every document and the live members of each group.
        self.groups = _column(reader, "group")
        self.group_members: dict[str, list[int]] = {}
        for docnum in self.live:
            if self.groups[docnum]:
                self.group_members.setdefault(self.groups[docnum], []).append(docnum)
        self.values = {
            "skill": self._by_term(reader, "skills"),
            "level": self._by_term(reader, "level"),
            "language": self._by_term(reader, "language"),
            "duration": {
                "5": frozenset(d for d in self.live if self.duration[d] <= 5),
                "10": frozenset(d for d in self.live if self.duration[d] <= 10),
                "long": frozenset(d for d in self.live if self.duration[d] > 10),
            },
        }

        # Documents per analysis (source.make_document): English takes whatever no other takes.
        # Only the analyses present are searched, so an en/nl catalog costs what it always did.
        scopes: dict[str, set[int]] = {}
        for language, docs in self.values["language"].items():
            key = analysis_key(language)
            if key != "en":
                scopes.setdefault(key, set()).update(docs)
        scopes["en"] = self.live.difference(*scopes.values())
        self.scopes = {key: frozenset(scopes[key]) for key in ANALYSES if scopes.get(key)}
        self.analyses = tuple(self.scopes)

    def analysis_of(self, docnum: int) -> str:
        """The analysis a document was indexed with."""
        for key, docs in self.scopes.items():
            if docnum in docs:
                return key
        return "en"

    def _by_term(self, reader, fieldname: str) -> dict[str, frozenset[int]]:
        found = {}
        for text in reader.lexicon(fieldname):
            value = text.decode("utf-8") if isinstance(text, bytes) else text
            docs = frozenset(documents_with(reader, fieldname, value) & self.live)
            if docs:
                found[value] = docs
        return found

    def docs_for(self, name: str, values: list[str]) -> frozenset[int]:
        """Documents having any of the values of one facet."""
        sets = [self.values[name].get(value, frozenset()) for value in values]
        return frozenset().union(*sets)

    def in_language(self, language: str) -> frozenset[int]:
        """Documents written in a language or a regional variant of it (en: en, en-GB)."""
        language = (language or "").lower()
        return frozenset().union(*(docs for value, docs in self.values["language"].items()
                                   if value.lower().split("-")[0] == language))

    def counts(self, matched: set[int], selected: dict[str, frozenset[int]],
               filters: dict[str, list[str]]) -> list[Facet]:
        """Counts per value under the query and the other facets' filters."""
        facets = []
        for name in FACET_ORDER:
            others = [docs for other, docs in selected.items() if other != name]
            base = matched.intersection(*others) if others else matched
            chosen = filters.get(name, [])
            values = []
            for value, docs in self.values[name].items():
                count = len(base & docs) if len(base) < len(docs) else len(docs & base)
                if count or value in chosen:
                    values.append(FacetValue(value, count, value in chosen))
            for value in chosen:
                if value not in self.values[name]:
                    values.append(FacetValue(value, 0, True))
            facets.append(Facet(name, _ordered(name, values)))
        return facets


def _column(reader, fieldname: str) -> list[int]:
    if not reader.doc_count_all():
        return []  # an empty index has no columns to read
    return list(reader.column_reader(fieldname))


def _ordered(name: str, values: list[FacetValue]) -> list[FacetValue]:
    fixed = {"level": LEVELS, "language": LANGUAGES, "duration": DURATIONS}.get(name)
    if fixed:
        rank = {value: number for number, value in enumerate(fixed)}
        return sorted(values, key=lambda v: (rank.get(v.value, len(rank)), v.value))
    return sorted(values, key=lambda v: (not v.selected, -v.count, v.value))


# Keyed by the segments and their deletions, which is exactly what the data depends on, so every
# thread's searcher on the same index version shares one copy.
_cache: dict[tuple, FacetData] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 4


def _version_key(reader) -> tuple:
    return tuple((segment_id(leaf), leaf.doc_count()) for leaf, _offset in reader.leaf_readers())


def for_searcher(searcher) -> FacetData:
    """The facet data of the searcher's index version, computed once per version."""
    reader = searcher.reader()
    key = _version_key(reader)
    with _cache_lock:
        data = _cache.get(key)
    if data is None:
        data = FacetData(reader)
        with _cache_lock:
            while len(_cache) >= _CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[key] = data
    return data
