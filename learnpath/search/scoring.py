"""Relevance from the postings, read a block at a time.

Each posting's weight is already a length-normalised term frequency (see analysis.py), so a
document's score for a term is just boost x idf x weight. Summing those straight from the
posting blocks is many times faster than whoosh's matcher trees and top-N collector for the
multi-field, multi-language queries the catalog builds, and it yields the full set of matches
(needed for facet counts) in the same pass.

Blocks are read through whoosh 2.7's W3 posting matcher (the version is pinned); any other
matcher falls back to the public one-posting-at-a-time interface.
"""

import math
from bisect import bisect_left
from collections.abc import Iterator

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

# Segments never change once written (deletions are kept apart), so what a term look-up in a
# segment found can be remembered for as long as the process runs; it saves most of the hash
# look-ups a query makes across segments.
_TERM_CACHE: dict[tuple[str, str, bytes], int] = {}
_TERM_CACHE_LIMIT = 200_000


def segment_id(leaf) -> str | None:
    segment = getattr(leaf, "segment", None)
    found = segment() if segment else None
    return found.segment_id() if found is not None else None


def _locations(reader, fieldname: str, btext: bytes) -> list[tuple]:
    """(segment reader, docnum offset, doc frequency) of the segments holding the term."""
    found = []
    for leaf, offset in reader.leaf_readers():
        key = (segment_id(leaf), fieldname, btext)
        frequency = _TERM_CACHE.get(key) if key[0] else None
        if frequency is None:
            try:
                frequency = leaf.term_info(fieldname, btext).doc_frequency()
            except TermNotFound:
                frequency = 0
            if key[0]:
                if len(_TERM_CACHE) >= _TERM_CACHE_LIMIT:
                    _TERM_CACHE.clear()
                _TERM_CACHE[key] = frequency
        if frequency:
            found.append((leaf, offset, frequency))
    return found


def _blocks(locations, fieldname: str, btext: bytes) -> Iterator[tuple]:
    """(docnums, weights) blocks of one term; deleted documents included."""
    for leaf, offset, _frequency in locations:
        matcher = leaf.postings(fieldname, btext)
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child  # deletions are dropped by the caller, with the live set
        if isinstance(matcher, W3LeafMatcher):
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                ids = matcher._ids
                yield (ids if not offset else [d + offset for d in ids]), matcher._weights
                matcher._next_block()
        else:
            ids, weights = [], []
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                weights.append(matcher.weight())
                matcher.next()
            yield ids, weights


def add_scores(reader, fieldname: str, text: str, factor: float, scores: dict[int, float],
               documents: int) -> set[int]:
    """Add factor x idf x weight per document to `scores`; return the documents matched."""
    btext = text.encode("utf-8")
    locations = _locations(reader, fieldname, btext)
    if not locations:
        return set()
    # Segment statistics still count deleted (replaced) documents: keep idf positive.
    frequency = min(sum(f for _leaf, _offset, f in locations), documents)
    multiplier = factor * math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))
    matched = set()
    get = scores.get
    for ids, weights in _blocks(locations, fieldname, btext):
        for docnum, weight in zip(ids, weights, strict=False):
            scores[docnum] = get(docnum, 0.0) + weight * multiplier
        matched.update(ids)
    return matched


def documents_with(reader, fieldname: str, text: str) -> set[int]:
    """The documents containing a term (deleted ones included)."""
    btext = text.encode("utf-8")
    found = set()
    for ids, _weights in _blocks(_locations(reader, fieldname, btext), fieldname, btext):
        found.update(ids)
    return found


class Evaluation:
    """The scores of every matching document and which of the plan's terms each matched."""

    def __init__(self, scores: dict[int, float], term_docs: dict[tuple[str, str], set[int]]):
        self.scores = scores
        self.term_docs = term_docs

    def terms_of(self, docnum: int) -> dict[str, set[str]]:
        """field -> the terms this document matched in it."""
        found: dict[str, set[str]] = {}
        for (fieldname, text), docs in self.term_docs.items():
            if docnum in docs:
                found.setdefault(fieldname, set()).add(text)
        return found


def _combine(group_scores: list[dict[int, float]], scope, require_all: bool) -> dict:
    """One language's scores from its groups: all groups (sum) or any (sum of those that
    match); without groups (only exclusions), every document of the language at 0."""
    if not group_scores:
        return dict.fromkeys(scope, 0.0)
    if require_all:
        group_scores.sort(key=len)
        common = set(group_scores[0]).intersection(*group_scores[1:])
        return {d: sum(g[d] for g in group_scores) for d in common}
    language: dict[int, float] = {}
    for group in group_scores:
        for docnum, score in group.items():
            language[docnum] = language.get(docnum, 0.0) + score
    return language


def evaluate(searcher, plans, live: frozenset[int], scopes: dict[str, frozenset[int]],
             require_all: bool = True) -> Evaluation:
    """Score the documents matching the plans (see query.Builder), deleted ones excluded.

    `scopes` maps each analysis language to its documents: a query of exclusions only starts
    from those, so each language only removes from its own modules.
    """
    reader = searcher.reader()
    documents = max(len(live), 1)
    scores: dict[int, float] = {}
    term_docs: dict[tuple[str, str], set[int]] = {}

    def clause_scores(clause) -> dict[int, float]:
        found: dict[int, float] = {}
        for term in clause.terms:
            key = (term.field, term.text)
            docs = add_scores(reader, term.field, term.text, term.boost, found, documents)
            term_docs[key] = term_docs.get(key, set()) | docs
        if clause.phrase is not None:
            allowed = set(searcher.docs_for_query(clause.phrase))
            found = {d: s for d, s in found.items() if d in allowed}
        return found

    for plan in plans:
        group_scores = []
        for group in plan.groups:
            combined: dict[int, float] = {}
            for clause in group:
                for docnum, score in clause_scores(clause).items():
                    combined[docnum] = combined.get(docnum, 0.0) + score
            group_scores.append(combined)
        language = _combine(group_scores, scopes.get(plan.language, ()), require_all)
        for clause in plan.excluded:
            for docnum in set(clause_scores(clause)):
                language.pop(docnum, None)
        for docnum, score in language.items():
            if docnum in live:
                scores[docnum] = max(scores.get(docnum, 0.0), score)
    return Evaluation(scores, term_docs)


def characters_at(leaf, fieldname: str, text: str, docnum: int) -> list[tuple[int, int, int]]:
    """(position, start, end) of a term's occurrences in one document of one segment."""
    matcher = leaf.postings(fieldname, text.encode("utf-8"))
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        matcher.skip_to(docnum)
        found = matcher.is_active() and matcher.id() == docnum
        return matcher.value_as("characters") if found else []
    while matcher.is_active() and matcher.block_max_id() < docnum:
        matcher._next_block()  # whole blocks are skipped on their stored maximum id
    if not matcher.is_active():
        return []
    matcher._read_ids()
    index = bisect_left(matcher._ids, docnum)
    if index >= len(matcher._ids) or matcher._ids[index] != docnum:
        return []
    matcher._i = index
    return matcher.value_as("characters")
