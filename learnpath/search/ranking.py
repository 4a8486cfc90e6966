"""The order a learner expects, on top of the summed BM25 field scores (scoring.py).

- Exact terms first: prefix and longer-stem expansions are only consulted when the exact terms
  match little, and whatever only they find is placed below every exact match.
- Adjacent words of a multi-word query (a phrase in any field) rank above scattered ones.
- One result per translation group: shown in the learner's language when the group has it,
  ordered by the group's best member; the learner's language comes first among equal scores.
"""

import heapq
from bisect import bisect_right

from learnpath.search.analysis import analysis_for
from learnpath.search.query import PHRASE_FIELDS, ParsedQuery
from learnpath.search.scoring import Evaluation, positions_at

EXPAND_BELOW = 5  # exact terms matching fewer modules than this: also try the expansions
ADJACENT_BONUS = 1.6  # the words appear next to each other, in the typed order
ADJACENT_CHECK = 20  # ... checked among this many of the best matches (a page)


def below(exact: Evaluation, expanded: Evaluation) -> Evaluation:
    """Exact matches keep their scores; matches found only by expansions come after them."""
    if not exact.scores:
        return expanded
    floor = min(exact.scores.values())
    scores = dict(exact.scores)
    for docnum, score in expanded.scores.items():
        if docnum not in scores:
            scores[docnum] = floor * 0.99 * score / (score + 1.0)  # always below the floor
    return Evaluation(scores, expanded.term_docs)


def _adjacent_words(parsed: ParsedQuery) -> list[str]:
    """The words of a query of at least two plain words (no OR, phrases or prefixes)."""
    if len(parsed.groups) < 2 or any(len(group) > 1 for group in parsed.groups):
        return []
    clauses = [group[0] for group in parsed.groups]
    if any(c.phrase or c.prefix for c in clauses):
        return []
    return [c.text for c in clauses]


def reward_adjacency(searcher, parsed: ParsedQuery, found: Evaluation | None, data) -> None:
    """Multiply the scores of the best modules holding the query's words side by side.

    Only the ADJACENT_CHECK best are checked, from their positions: a phrase query over the
    whole index would read the positions of every module holding common words.
    """
    words = _adjacent_words(parsed)
    if found is None or not found.scores or not words:
        return
    stems = {language: [terms[0] for terms in analysis_for(language).terms(" ".join(words))]
             for language in data.analyses}
    scores = found.scores
    leaves = list(searcher.reader().leaf_readers())
    starts = [offset for _leaf, offset in leaves]
    for docnum in heapq.nlargest(ADJACENT_CHECK, scores, key=scores.get):
        language = data.analysis_of(docnum)
        if len(stems[language]) < 2:
            continue
        leaf, offset = leaves[bisect_right(starts, docnum) - 1]
        # Only fields holding every word can hold them side by side (the scoring pass knows).
        fields = [f"{name}_{language}" for name in PHRASE_FIELDS]
        fields = [f for f in fields
                  if all(docnum in found.term_docs.get((f, stem), ()) for stem in stems[language])]
        if any(_adjacent(leaf, f, stems[language], docnum - offset) for f in fields):
            scores[docnum] *= ADJACENT_BONUS


def _adjacent(leaf, fieldname: str, stems: list[str], docnum: int) -> bool:
    """Whether the stems occur one after another somewhere in the field."""
    following = None
    for number, stem in enumerate(stems):
        positions = {p - number for p in positions_at(leaf, fieldname, stem, docnum)}
        following = positions if following is None else following & positions
        if not following:
            return False
    return True


def _equal(score: float) -> float:
    """Scores equal to three decimals count as equal (then language decides)."""
    return round(score, 3)


def entries(candidates: set[int], found: Evaluation | None, data, sort: str,
            locale: str) -> list[tuple[tuple, int]]:
    """(sort key, shown document) per result: one per translation group, unordered."""
    own = data.in_language(locale)  # en also takes en-GB, nl nl-BE
    published, duration, ids = data.published, data.duration, data.module_ids
    if found is not None and sort == "relevance":
        scores = found.scores
        key = lambda d: (-_equal(scores[d]), d not in own, -published[d], -ids[d])  # noqa: E731
    elif sort == "shortest":
        key = lambda d: (duration[d], d not in own, -published[d], -ids[d])  # noqa: E731
    elif sort == "newest":
        key = lambda d: (-published[d], d not in own, -ids[d])  # noqa: E731
    else:  # the listing without a query: the reader's language first, so an English reader
        # does not scroll past every Dutch module to find the first English one
        key = lambda d: (d not in own, -published[d], -ids[d])  # noqa: E731
    groups = data.groups
    if not data.group_members:
        return [(key(d), d) for d in candidates]
    best: dict[str, tuple] = {}  # group -> (best key, shown document)
    single = []
    for docnum in candidates:
        group = groups[docnum]
        if not group:
            single.append(docnum)
            continue
        current = best.get(group)
        candidate_key = key(docnum)
        if current is None:
            best[group] = (candidate_key, docnum)
            continue
        shown = current[1]
        if docnum in own and shown not in own or \
                (docnum in own) == (shown in own) and candidate_key < key(shown):
            shown = docnum
        best[group] = (min(current[0], candidate_key), shown)
    return [(key(d), d) for d in single] + list(best.values())


def page(entries_: list[tuple[tuple, int]], start: int, end: int) -> list[int]:
    """The documents shown from `start` to `end` in rank order."""
    return [docnum for _key, docnum in heapq.nsmallest(end, entries_)[start:end]]


def siblings(data, docnum: int) -> list[int]:
    """The other live documents of a document's translation group."""
    group = data.groups[docnum] if data.groups else ""
    if not group:
        return []
    return [d for d in data.group_members.get(group, ()) if d != docnum]
