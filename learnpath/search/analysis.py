"""Text analysis per language: words, stop words, Snowball stems, and a fast path for indexing.

Content may be in any language (BCP 47 tags): `analysis_key` maps a tag to its analysis, the
Snowball stemmer and stop words of its primary language where whoosh has them (de, fr, pt-BR ->
pt, ...), else a neutral one (words lowercased and accent-folded, no stop words, no stemming;
Chinese and Japanese text, written without spaces, as overlapping pairs of characters).
English and Dutch keep their own refinements (British spellings, Dutch participles).

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
from whoosh.lang import has_stopwords, stopwords_for_language
from whoosh.lang.snowball import classes as snowball
from whoosh.system import pack_uint

# The languages with tuned analyses (and the UI's languages, listed first in the facet).
LANGUAGES = ("en", "nl")
NEUTRAL = "neutral"  # the analysis of a language whoosh has no stemmer for (ar, zh, ja, tr, ...)
# Every analysis the index has fields for: one field family each (title_de, body_neutral, ...).
ANALYSES = (*LANGUAGES, *sorted(set(snowball) - set(LANGUAGES)), NEUTRAL)
_PRIMARY_ALIASES = {"nb": "no", "nn": "no"}  # Norwegian Bokmål and Nynorsk: the Norwegian stemmer
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


def analysis_key(language: str | None) -> str:
    """The analysis of a content language: 'de-AT' -> 'de', 'pt-BR' -> 'pt', 'zh-CN' -> 'neutral';
    no language at all is English, as it always was."""
    primary = (language or "en").split("-")[0].lower()
    primary = _PRIMARY_ALIASES.get(primary, primary)
    return primary if primary in snowball else NEUTRAL


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
        if language not in ANALYSES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self._setup()

    def _setup(self):
        # Shared by every instance of a language: the schema's analyzers are unpickled each
        # time a searcher opens, and should cost nothing then.
        self._stem, self._stops, self._cache = _parts(self.language)

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
        if self.language == "nl":
            stem = self._stem(folded)
            variant = self._participle_stem(folded)
            return (stem, variant) if variant and variant != stem else (stem,)
        if self._stem is None:
            return (folded,)
        # Snowball's rules know their language's accents (pt "programação", "programações":
        # "program"); the stem of the word without them is how a learner may type it.
        stem = fold_accents(self._stem(word))
        if folded == word:
            return (stem,)
        typed = self._stem(folded)
        return (stem, typed) if typed != stem else (stem,)

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


# Chinese and Japanese script (Han, kana, bopomofo): runs of these have no spaces between words.
_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff" \
    "\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_CJK_RUNS = re.compile(f"([{_CJK}]+)")


class NeutralAnalysis(LanguageAnalysis):
    """Words lowercased and accent-folded, without stop words or stemming; a run of Chinese or
    Japanese characters becomes its overlapping pairs, one per position ("编程语言": 编程 程语
    语言), so a query of a few characters finds them inside a longer run as a phrase."""

    def spans(self, text: str):
        if not _HAS_CJK.search(text):
            yield from super().spans(text)
            return
        lowered = text.lower()
        exact = len(lowered) == len(text)
        position = 0
        for match in WORD.finditer(lowered if exact else text):
            word = match.group() if exact else match.group().lower()
            for start, end, terms in self._pieces(word):
                yield position, match.start() + start, match.start() + end, terms
                position += 1

    def _pieces(self, word: str):
        """(start, end, terms) of the words and character pairs inside one word match."""
        offset = 0
        for number, piece in enumerate(_CJK_RUNS.split(word)):
            if number % 2:  # a run of CJK characters
                if len(piece) == 1:
                    yield offset, offset + 1, (piece,)
                for at in range(len(piece) - 1):
                    yield offset + at, offset + at + 2, (piece[at:at + 2],)
            else:
                for match in WORD.finditer(piece):
                    terms = self.terms_for(match.group())
                    if terms:
                        yield offset + match.start(), offset + match.end(), terms
            offset += len(piece)

    def gaps(self, text: str, chars: bool) -> tuple[dict[str, list], int]:
        if _HAS_CJK.search(text):
            return self._gaps_slowly(text, chars)
        return super().gaps(text, chars)

    def terms(self, text: str) -> list[tuple[str, ...]]:
        if _HAS_CJK.search(text):
            return [terms for _position, _start, _end, terms in self.spans(text)]
        return super().terms(text)


def _parts(language: str):
    """(stem function or None, stop words, word cache) of an analysis, made once a process."""
    parts = _PARTS.get(language)
    if parts is None:
        stem = snowball[language]().stem if language in snowball else None
        stops = frozenset(stopwords_for_language(language)
                          if stem is not None and has_stopwords(language) else ())
        stops |= _MORE_STOPS.get(language, frozenset())
        parts = _PARTS.setdefault(language, (stem, stops, {}))
    return parts


_PARTS: dict[str, tuple] = {}
# Words Snowball's lists lack although they are among the most frequent of their language.
_MORE_STOPS = {"fr": frozenset({"les"})}


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


def make_analysis(language: str) -> LanguageAnalysis:
    """A new analysis for an analysis key (see ANALYSES); its parts are shared."""
    return NeutralAnalysis(language) if language == NEUTRAL else LanguageAnalysis(language)


def analysis_for(language: str) -> LanguageAnalysis:
    """The shared analysis for an analysis key (its word cache is reused across calls)."""
    if language not in _ANALYSES:
        _ANALYSES[language] = make_analysis(language)
    return _ANALYSES[language]
