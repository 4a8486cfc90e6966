""""Did you mean ...?": replace words the catalog does not know with close words it does.

Two dictionaries, both from the index and in every language it holds:
- the `spell` field: the words of titles, summaries, keywords and headings, as typed; a typo
  within two edits of one of those is corrected to it;
- the body's stems: a typo one edit (insert, delete, replace or swap) away from a word whose
  stem a body holds is corrected to that word as the body writes it. Generating the edits of
  one typed word is cheaper than indexing every body word a second time, and runs only when a
  search finds (almost) nothing.
"""

from string import ascii_lowercase

from whoosh.support.levenshtein import distance

from learnpath.search.analysis import analysis_for, fold_accents

SPELL_FIELD = "spell"
CHECKED_FIELDS = ("title", "headings", "summary", "keywords", "body")


def _known(reader, word: str, analyses) -> bool:
    if reader.doc_frequency(SPELL_FIELD, word):
        return True
    for language in analyses:
        for term in {t for terms in analysis_for(language).terms(word) for t in terms}:
            if any(reader.doc_frequency(f"{name}_{language}", term) for name in CHECKED_FIELDS):
                return True
    return False


def _closest(reader, word: str) -> str | None:
    maxdist = 1 if len(word) <= 5 else 2
    candidates = []
    for candidate in reader.terms_within(SPELL_FIELD, word, maxdist, prefix=1):
        if candidate == word:
            continue
        candidates.append((distance(word, candidate, limit=maxdist),
                           -reader.doc_frequency(SPELL_FIELD, candidate), candidate))
    return min(candidates)[2] if candidates else None


def _edits(word: str) -> set[str]:
    """Every string one edit away (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in ascii_lowercase}
            | {a + c + b for a, b in splits for c in ascii_lowercase}) - {word}


def _from_bodies(reader, word: str, analyses) -> str | None:
    """The body word one edit away whose stem the most modules hold, as a body writes it."""
    best = None  # (-frequency, language, stem)
    variants = _edits(word)
    for language in analyses:
        analysis, fieldname = analysis_for(language), f"body_{language}"
        for stem in {t for variant in variants for t in analysis.terms_for(variant)}:
            frequency = reader.doc_frequency(fieldname, stem)
            if frequency and (best is None or (-frequency, language, stem) < best):
                best = (-frequency, language, stem)
    if best is None:
        return None
    return _surface(reader, best[1], best[2], word)


def _surface(reader, language: str, stem: str, typed: str) -> str | None:
    """The written word closest to what was typed among those with this stem in one body."""
    fieldname = f"body_{language}"
    matcher = reader.postings(fieldname, stem)
    if not matcher.is_active():
        return None
    body = reader.stored_fields(matcher.id()).get(fieldname, "")
    words = {fold_accents(body[start:end].lower())
             for _position, start, end, terms in analysis_for(language).spans(body)
             if stem in terms}
    return min(words, key=lambda w: (distance(typed, w), w)) if words else None


def corrections(reader, words: list[str], analyses) -> dict[str, str]:
    """Map each unknown word (lowercased) to the closest known word, where one is close;
    `analyses` are those of the catalog (facets.FacetData.analyses)."""
    fixes = {}
    for typed in words:
        word = fold_accents(typed.lower())
        if len(word) < 4 or not word.isalpha() or _known(reader, word, analyses):
            continue
        best = _closest(reader, word) or _from_bodies(reader, word, analyses)
        if best:
            fixes[typed.lower()] = best
    return fixes
