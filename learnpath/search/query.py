"""From what a person typed to a search plan, without ever failing on odd input.

The syntax is small on purpose: words (all must match, with a fallback to any), "quoted
phrases", OR between two items, -word or NOT word to exclude, and word* for a prefix of at least
two letters. Everything else (field names, brackets, lone operators, wildcards that would match
everything, control characters) is treated as plain text or dropped. The last word also matches
as a prefix while the person is still typing it.

A plan lists, per analysis the catalog holds (en, nl, de, ..., neutral), the index terms each
clause may match (stems in that analysis's fields, plus bounded prefix expansions);
scoring.evaluate turns it into ranked documents.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as Q

from learnpath.search.analysis import WORD, analysis_for, fold_accents

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 10
PREFIX_TERMS = 8  # a typed prefix expands to at most this many of its most frequent terms
STEM_PREFIX_FROM = 5  # stems this long also match longer forms: "recogn" finds "recognit"
STEM_EXTENSION = 3  # ... at most this many letters longer
STEM_TERMS = 4
FIELD_BOOSTS = {"title": 4.0, "headings": 2.5, "summary": 2.0, "keywords": 2.0, "body": 1.0}
PHRASE_FIELDS = ("title", "headings", "summary", "body")

_TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')


@dataclass(frozen=True)
class Clause:
    """One searched item: a word or phrase, possibly excluded or a prefix."""

    text: str
    phrase: bool = False
    negated: bool = False
    prefix: bool = False


@dataclass
class ParsedQuery:
    """Groups of alternatives (OR inside a group, AND between groups) and exclusions."""

    text: str
    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    typing: bool = False  # the last word is still being typed: also match it as a prefix

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    @property
    def words(self) -> list[str]:
        return [c.text for group in self.groups for c in group if not c.phrase]


def _normalise(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))[:MAX_QUERY_CHARS * 4]
    return "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)


def clean(text) -> str:
    """Normalise, drop control characters, collapse spaces and cap the length of a query."""
    text = " ".join(_normalise(text).split())
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text


def _bare_clauses(bare: str, negate_next: bool) -> list[Clause]:
    """The clauses of one unquoted token: its words, the last a prefix when it ends in *."""
    negated = bare.startswith("-") and len(bare) > 1
    prefix = bare.endswith("*")
    words = WORD.findall(bare)
    if not words:
        return []
    clauses = [Clause(w) for w in words[:-1]]
    last = words[-1]
    clauses.append(Clause(last, prefix=prefix and len(last) >= 2))
    if negated or negate_next:
        clauses = [Clause(c.text, negated=True) for c in clauses]
    return clauses


def parse(text) -> ParsedQuery:
    """Parse typed text into clauses; never raises."""
    finished = _normalise(text).endswith(" ")  # a trailing space: the last word is complete
    cleaned = clean(text)
    parsed = ParsedQuery(cleaned)
    pending_or = negate_next = False
    count = 0
    for match in _TOKEN.finditer(cleaned):
        if count >= MAX_CLAUSES:
            break
        if match.group("bare") is not None:
            bare = match.group("bare")
            if bare in ("OR", "AND", "NOT"):
                if bare == "OR" and parsed.groups:
                    pending_or = True
                elif bare == "NOT":
                    negate_next = True
                continue
            clauses = _bare_clauses(bare, negate_next)
            if not clauses:
                continue
        else:
            words = WORD.findall(match.group("phrase"))
            if not words:
                continue
            negated = bool(match.group("neg")) or negate_next
            clauses = [Clause(" ".join(words), phrase=len(words) > 1, negated=negated)]
        for clause in clauses:
            count += 1
            if clause.negated:
                parsed.excluded.append(clause)
            elif pending_or:
                parsed.groups[-1].append(clause)
            else:
                parsed.groups.append([clause])
            pending_or = False
        negate_next = False
    last = parsed.groups[-1][-1] if parsed.groups else None
    parsed.typing = bool(
        last and not finished and not last.phrase and not last.prefix
        and len(last.text) >= 3 and cleaned.endswith(last.text))
    return parsed


def replace_word(parsed: ParsedQuery, corrections: dict[str, str]) -> str:
    """The typed text with misspelt words replaced (for "Did you mean ...?")."""
    def swap(match):
        word = match.group()
        return corrections.get(word.lower(), word)

    return WORD.sub(swap, parsed.text)


@dataclass(frozen=True)
class TermRef:
    """One index term whose postings count towards a clause, with the field's boost."""

    field: str
    text: str
    boost: float


@dataclass
class ClausePlan:
    """How one clause matches in one language: any of its terms (within the phrase, if any)."""

    terms: list[TermRef]
    phrase: Q.Query | None = None


@dataclass
class LanguagePlan:
    """A language's clauses: groups are AND-ed (or OR-ed as a fallback), exclusions removed."""

    language: str
    groups: list[list[ClausePlan]]
    excluded: list[ClausePlan]


class Builder:
    """Turns a parsed query into per-language plans for one reader (prefixes expand on it).

    `analyses` are those of the reader's documents (facets.FacetData.analyses): a query is
    analysed in each of them, so a German query finds German pages by their German stems.
    """

    def __init__(self, reader, analyses, expand: bool = True):
        self.reader = reader
        self.analyses = analyses
        # Without `expand`, a clause matches its exact stems (and an explicit word* prefix);
        # with it, also the word being typed as a prefix and longer forms of a stem.
        self.expand = expand

    def build(self, parsed: ParsedQuery) -> list[LanguagePlan] | None:
        """None for an empty query (everything matches); [] when nothing can match."""
        if parsed.empty:
            return None
        plans = []
        last_group = len(parsed.groups) - 1
        for language in self.analyses:
            groups = []
            for number, group in enumerate(parsed.groups):
                typing = parsed.typing and number == last_group
                options = [self.clause(language, c, typing and c is group[-1]) for c in group]
                options = [o for o in options if o is not None]
                if options:
                    groups.append(options)
            if parsed.groups and not groups:
                continue  # only stop words in this language
            excluded = [self.clause(language, c) for c in parsed.excluded]
            plans.append(LanguagePlan(language, groups, [e for e in excluded if e]))
        return plans

    def clause(self, language: str, clause: Clause, typing: bool = False) -> ClausePlan | None:
        """One word or phrase on the title, summary, keywords and body fields of a language."""
        positions = analysis_for(language).terms(clause.text)
        if not positions and not (clause.prefix or typing):
            return None
        terms: list[TermRef] = []
        if len(positions) > 1:
            main = [p[0] for p in positions]
            for name in PHRASE_FIELDS:
                terms.extend(TermRef(f"{name}_{language}", t, FIELD_BOOSTS[name])
                             for t in sorted(set(main)))
            phrase = Q.Or([Q.Phrase(f"{name}_{language}", main) for name in PHRASE_FIELDS])
            return ClausePlan(terms, phrase)
        raw = fold_accents(clause.text.lower())
        exact = set(positions[0]) if positions else set()
        # Prefixes expand against the body's terms (the body also holds the title), once per
        # language rather than once per field.
        body = f"body_{language}"
        typing = typing and self.expand
        typed = self._prefix(body, raw, exact, PREFIX_TERMS) if clause.prefix or typing else []
        stem = positions[0][0] if positions else ""
        longer = []
        if self.expand and len(stem) >= STEM_PREFIX_FROM:
            longer = self._prefix(body, stem, exact | set(typed), STEM_TERMS,
                                  longest=len(stem) + STEM_EXTENSION)
        for name, boost in FIELD_BOOSTS.items():
            fieldname = f"{name}_{language}"
            terms.extend(TermRef(fieldname, t, boost) for t in sorted(exact))
            terms.extend(TermRef(fieldname, t, boost * 0.6) for t in typed)
            terms.extend(TermRef(fieldname, t, boost * 0.5) for t in longer)
        return ClausePlan(terms) if terms else None

    def _prefix(self, fieldname: str, prefix: str, exclude: set[str], limit: int,
                longest: int = 0) -> list[str]:
        """The most frequent terms starting with `prefix` (bounded), other than `exclude`."""
        if len(prefix) < 2:
            return []
        frequencies: dict[str, int] = {}
        # Segment by segment: whoosh's merged term iterator checks every segment per term.
        for leaf, _offset in self.reader.leaf_readers():
            try:
                for number, (text, info) in enumerate(leaf.iter_prefix(fieldname, prefix)):
                    if number >= 200:
                        break
                    if not longest or len(text) <= longest:
                        term = text.decode("utf-8") if isinstance(text, bytes) else text
                        frequencies[term] = frequencies.get(term, 0) + info.doc_frequency()
            except (KeyError, ValueError):
                continue
        ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
        return [term for term, _ in ranked if term not in exclude][:limit]
