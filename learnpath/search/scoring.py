"""Relevance from the postings: a sum of per-field BM25 weights, read once per query.

Each posting's weight is already the BM25 term-frequency part with length normalisation
(see analysis.py), so a document's score for a term is just boost x idf x weight. Summing those
in one pass over each term's postings yields every match (needed for facet counts and one
result per translation group) with its score; whoosh's own matcher trees and top-N collector
would score only the top documents and need a second pass for the full match set.

Postings are read through whoosh's public matcher interface (id, weight, next, skip_to); the
block-level private internals of one codec are not used.
"""

import math
from collections.abc import Iterator

from whoosh.matching import ReadTooFar
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


def _postings(locations, fieldname: str, btext: bytes) -> Iterator[tuple[int, float]]:
    """(docnum, weight) of one term's live postings, segment by segment."""
    for leaf, offset, _frequency in locations:
        matcher = leaf.postings(fieldname, btext)  # deleted documents are already skipped
        identity, weight, advance, active = (matcher.id, matcher.weight, matcher.next,
                                             matcher.is_active)
        while active():
            yield identity() + offset, weight()
            advance()


def _same_field(fieldname: str, analyses) -> list[str]:
    """The field in every analysis the catalog holds: body_nl -> body_en, body_nl."""
    base, _, language = fieldname.rpartition("_")
    return [f"{base}_{other}" for other in analyses] if language in analyses else [fieldname]


def add_scores(reader, fieldname: str, text: str, factor: float, scores: dict[int, float],
               documents: int, analyses=()) -> set[int]:
    """Add factor x idf x weight per document to `scores`; return the documents matched."""
    btext = text.encode("utf-8")
    locations = _locations(reader, fieldname, btext)
    if not locations:
        return set()
    # One idf for the whole catalog, not per language: a word is as common in the English
    # field as in the Dutch one (else a term in the smaller language would look rare and lift
    # any page of that language that mentions it). Segment statistics still count deleted
    # (replaced) documents: keep idf positive.
    frequency = min(sum(f for name in _same_field(fieldname, analyses) for _leaf, _offset, f in
                        _locations(reader, name, btext)), documents)
    multiplier = factor * math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))
    matched = set()
    get = scores.get
    for docnum, weight in _postings(locations, fieldname, btext):
        scores[docnum] = get(docnum, 0.0) + weight * multiplier
        matched.add(docnum)
    return matched


def documents_with(reader, fieldname: str, text: str) -> set[int]:
    """The live documents containing a term."""
    btext = text.encode("utf-8")
    return {docnum for docnum, _weight in
            _postings(_locations(reader, fieldname, btext), fieldname, btext)}


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

    `scopes` maps each analysis the catalog holds to its documents: a query of exclusions only
    starts from those, so each language only removes from its own modules.
    """
    reader = searcher.reader()
    documents = max(len(live), 1)
    scores: dict[int, float] = {}
    term_docs: dict[tuple[str, str], set[int]] = {}
    analyses = tuple(scopes)

    def clause_scores(clause) -> dict[int, float]:
        found: dict[int, float] = {}
        for term in clause.terms:
            key = (term.field, term.text)
            docs = add_scores(reader, term.field, term.text, term.boost, found, documents,
                              analyses)
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
    return _value_at(leaf, fieldname, text, docnum, "characters")


def positions_at(leaf, fieldname: str, text: str, docnum: int) -> list[int]:
    """The word positions of a term in one document of one segment."""
    return _value_at(leaf, fieldname, text, docnum, "positions")


def _value_at(leaf, fieldname: str, text: str, docnum: int, kind: str) -> list:
    try:
        matcher = leaf.postings(fieldname, text.encode("utf-8"))
    except TermNotFound:
        return []
    if matcher.is_active() and matcher.id() < docnum:
        try:
            matcher.skip_to(docnum)
        except ReadTooFar:  # the term's last posting is before the document
            return []
    if matcher.is_active() and matcher.id() == docnum:
        return matcher.value_as(kind)
    return []
