"""Text analysis per language: words, stop words, Snowball stems, and a fast path for indexing.

whoosh's stock analyzer chains a tokenizer and three filters as nested generators; on a large
catalog that dominates rebuild time. `LanguageAnalysis` does the same work in one pass with a
per-word cache (each distinct word is folded, checked and stemmed once), and the formats below
use that pass directly when indexing. Both are ordinary whoosh components, so query parsing and
highlighting keep working through the standard Token interface.
"""

import re
import unicodedata
from pickle import dumps

from whoosh.analysis import Composable, Token
from whoosh.formats import Characters, Positions
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball import classes as snowball
from whoosh.system import pack_uint

LANGUAGES = ("en", "nl")
WORD = re.compile(r"\w+(?:\.?\w+)*")
MIN_WORD, MAX_WORD = 2, 40
_CACHE_LIMIT = 200_000

# British spellings fold to the American ones before stemming, so "recognising" and
# "recognizing" meet; the same rewrite runs at query time, so odd rewrites stay consistent.
_BRITISH = [
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations|er|ers|able)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|able)?$"), r"or\1"),
]


def fold_accents(word: str) -> str:
    """Drop diacritics: 'efficiënt' -> 'efficient'."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class LanguageAnalysis(Composable):
    """Tokenise, lowercase, fold accents, drop stop words and stem, for one language.

    A Dutch past participle ("gegeven", "gewerkt") also yields the stem of its verb ("geven",
    "werken") at the same position, so either form finds the other.
    """

    def __init__(self, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self._setup()

    def _setup(self):
        self._stem = snowball[self.language]().stem
        self._stops = frozenset(stopwords_for_language(self.language))
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self):
        return {"language": self.language}

    def __setstate__(self, state):
        self.language = state["language"]
        self._setup()

    def __eq__(self, other):
        return type(other) is type(self) and other.language == self.language

    def __hash__(self):
        return hash((type(self), self.language))

    def __repr__(self):
        return f"LanguageAnalysis({self.language!r})"

    # The per-word step ------------------------------------------------------------------

    def terms_for(self, word: str) -> tuple[str, ...]:
        """Index terms of one lowercase word: () for a stop word, else the stem (and variants)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        terms = self._analyse_word(word)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = terms
        return terms

    def _analyse_word(self, word: str) -> tuple[str, ...]:
        if len(word) < MIN_WORD or len(word) > MAX_WORD or word in self._stops:
            return ()
        folded = fold_accents(word)
        if folded in self._stops:
            return ()
        if self.language == "en":
            for pattern, replacement in _BRITISH:
                folded = pattern.sub(replacement, folded)
            return (self._stem(folded),)
        stem = self._stem(folded)
        variant = self._participle_stem(folded)
        return (stem, variant) if variant and variant != stem else (stem,)

    def _participle_stem(self, word: str) -> str | None:
        if len(word) < 6 or not word.startswith("ge"):
            return None
        rest = word[2:]
        if rest.endswith(("t", "d")):
            rest = rest[:-1]
        elif not rest.endswith("en"):
            return None
        return self._stem(rest) if len(rest) >= 3 else None

    # Whole texts ------------------------------------------------------------------------

    def spans(self, text: str):
        """Yield (position, start, end, terms) for every word that is not a stop word."""
        lowered = text.lower()
        exact = len(lowered) == len(text)  # a few characters change length when lowercased
        position = 0
        terms_for = self.terms_for
        for match in WORD.finditer(lowered if exact else text):
            terms = terms_for(match.group() if exact else match.group().lower())
            if terms:
                yield position, match.start(), match.end(), terms
                position += 1

    def gaps(self, text: str, chars: bool) -> tuple[dict[str, list], int]:
        """(term -> occurrences, word count), the occurrences already encoded as whoosh stores
        them: position gaps, or (position gap, start gap, length) with `chars`.

        This is the indexing hot path, so it is one loop with the encoding folded in.
        """
        lowered = text.lower()
        if len(lowered) != len(text):
            return self._gaps_slowly(text, chars)
        cache = self._cache
        terms_for = self.terms_for
        # term -> [encoded occurrences, last position, last end]
        seen: dict[str, list] = {}
        position = 0
        for match in WORD.finditer(lowered):
            word = match.group()
            terms = cache.get(word)
            if terms is None:
                terms = terms_for(word)
            if not terms:
                continue
            start, end = match.span()
            for term in terms:
                state = seen.get(term)
                if state is None:
                    first = (position, start, end - start) if chars else position
                    seen[term] = [[first], position, end]
                else:
                    gap = position - state[1]
                    state[0].append((gap, start - state[2], end - start) if chars else gap)
                    state[1], state[2] = position, end
            position += 1
        return {term: state[0] for term, state in seen.items()}, position

    def _gaps_slowly(self, text: str, chars: bool) -> tuple[dict[str, list], int]:
        seen: dict[str, list] = {}
        count = 0
        for position, start, end, terms in self.spans(text):
            count = position + 1
            for term in terms:
                state = seen.setdefault(term, [[], 0, 0])
                gap = position - state[1]
                state[0].append((gap, start - state[2], end - start) if chars else gap)
                state[1], state[2] = position, end
        return {term: state[0] for term, state in seen.items()}, count

    def terms(self, text: str) -> list[tuple[str, ...]]:
        """The terms of a text, one tuple per word position (query building)."""
        terms_for = self.terms_for
        found = (terms_for(word) for word in WORD.findall(text.lower()))
        return [terms for terms in found if terms]

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, start, end, terms in self.spans(value):
            for text in terms:
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = value[start:end]
                if positions:
                    token.pos = start_pos + position
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                yield token


def _fast(analyzer) -> bool:
    return isinstance(analyzer, LanguageAnalysis)


# BM25's term-frequency saturation and length normalisation, applied when indexing: a posting's
# weight is its term's contribution for that document, so searching only multiplies by idf.
K1, B = 1.2, 0.75


def impact(frequency: int, length: int, average_length: float) -> float:
    """The BM25 weight of a term occurring `frequency` times in a field of `length` words."""
    norm = K1 * (1 - B + B * length / average_length)
    return frequency * (K1 + 1) / (frequency + norm)


class FastPositions(Positions):
    """Positions with BM25 impact weights, computed in one pass with LanguageAnalysis."""

    def __init__(self, average_length: float, field_boost=1.0, **options):
        super().__init__(field_boost=field_boost, **options)
        self.average_length = average_length

    def word_values(self, value, analyzer, **kwargs):
        if not _fast(analyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        encoded, length = analyzer.gaps(value, chars=False)
        average = self.average_length
        for text, gaps in encoded.items():
            # What Positions.encode writes: the count, then the pickled gaps.
            yield (text, len(gaps), impact(len(gaps), length, average),
                   pack_uint(len(gaps)) + dumps(gaps, 2))


class FastCharacters(Characters):
    """Positions, character offsets (snippets without re-reading) and BM25 impact weights."""

    def __init__(self, average_length: float, field_boost=1.0, **options):
        super().__init__(field_boost=field_boost, **options)
        self.average_length = average_length

    def word_values(self, value, analyzer, **kwargs):
        if not _fast(analyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        encoded, length = analyzer.gaps(value, chars=True)
        average = self.average_length
        for text, gaps in encoded.items():
            # What Characters.encode writes: the count, then the pickled gap triples.
            yield (text, len(gaps), impact(len(gaps), length, average),
                   pack_uint(len(gaps)) + dumps(gaps, 2))


_ANALYSES: dict[str, LanguageAnalysis] = {}


def analysis_for(language: str) -> LanguageAnalysis:
    """The shared analysis for a language (its word cache is reused across calls)."""
    if language not in _ANALYSES:
        _ANALYSES[language] = LanguageAnalysis(language)
    return _ANALYSES[language]
