""""Did you mean ...?": replace words the catalog does not know with close words it does."""

from whoosh.support.levenshtein import distance

from learnpath.search.analysis import LANGUAGES, analysis_for, fold_accents

SPELL_FIELD = "spell"
CHECKED_FIELDS = ("title", "summary", "keywords", "body")


def _known(reader, word: str) -> bool:
    if reader.doc_frequency(SPELL_FIELD, word):
        return True
    for language in LANGUAGES:
        for term in analysis_for(language).terms_for(word):
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


def corrections(reader, words: list[str]) -> dict[str, str]:
    """Map each unknown word (lowercased) to the closest known word, where one is close."""
    fixes = {}
    for typed in words:
        word = fold_accents(typed.lower())
        if len(word) < 4 or not word.isalpha() or _known(reader, word):
            continue
        best = _closest(reader, word)
        if best:
            fixes[typed.lower()] = best
    return fixes
