"""Catalog search: ranked, filtered, highlighted results with facet counts and suggestions.

The index decides which modules match and in what order; the database then supplies what the
page shows for just those modules, in a fixed number of queries. Modules the database does not
list as published are dropped, so a stale index can never surface a hidden module.
"""

import logging
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from markupsafe import Markup, escape
from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload, load_only
from whoosh import highlight
from whoosh.analysis import Token

from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion
from learnpath.search import facets as facet_data
from learnpath.search import index, ranking
from learnpath.search.analysis import analysis_for, analysis_key
from learnpath.search.facets import Facet
from learnpath.search.query import Builder, ParsedQuery, parse, replace_word
from learnpath.search.scoring import Evaluation, characters_at, evaluate
from learnpath.search.spelling import corrections
from learnpath.skills import services as skills

log = logging.getLogger(__name__)

SORTS = ("relevance", "newest", "shortest")
FEW_RESULTS = 3
SNIPPET_CHARS = 220
MAX_PAGE = 500
SEARCH_WAIT = 2.0  # seconds a search waits for another process's index write


@dataclass
class Hit:
    """One result: the module (with its published version) and its highlighted texts."""

    module: Module
    title: Markup
    summary: Markup
    snippet: Markup
    skills: list[str]
    translations: list[Module] = field(default_factory=list)  # the group's other languages

    @property
    def version(self):
        return self.module.current_version


@dataclass
class SearchResult:
    query: str
    sort: str
    filters: dict[str, list[str]]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    facets: list[Facet] = field(default_factory=list)
    suggestion: str | None = None
    matched_any: bool = False  # no module had every word; these have some of them
    corrected_from: str | None = None  # the typed query, when these are results for a correction
    literal: bool = False  # search exactly what was typed, without correcting it
    available: bool = True  # False while another process builds the index for the first time

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def module_ids(self) -> list[int]:
        return [hit.module.id for hit in self.hits]

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())

    def params(self, **changes) -> dict:
        """Query-string values for a link to this search with some of them changed."""
        values = {"q": self.query, "sort": self.sort if self.sort != "relevance" else None,
                  **self.filters, "page": self.page if self.page > 1 else None,
                  "literal": "1" if self.literal else None}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "", [])}


def search(text: str | None = "", filters: dict | None = None, sort: str = "relevance",
           page: int = 1, per_page: int = 20, locale: str = "en",
           literal: bool = False) -> SearchResult:
    """Search the published catalog; any input gives a result, never an exception.

    A query that finds nothing or very little is answered with the results of its spelling
    correction when that finds more (`corrected_from` then holds the typed text), unless
    `literal`.
    """
    filters = facet_data.clean_filters(filters or {})
    parsed = parse(text)
    result = SearchResult(query=parsed.text, sort=sort if sort in SORTS else "relevance",
                          filters=filters, page=min(max(_int(page), 1), MAX_PAGE),
                          per_page=min(max(_int(per_page), 1), 100), literal=bool(literal))
    catalog = index.current()
    for attempt in (1, 2):
        try:
            if not catalog.catch_up(wait=SEARCH_WAIT, repair=attempt == 2):
                log.info("search index is busy elsewhere; answering from its current state")
            _run(catalog.searcher(), parsed, result, locale)
            return result
        except index.IndexUnavailable:
            result.available = False
            return result
        except SQLAlchemyError:
            raise  # the database is the problem, not the index
        except Exception:
            catalog.forget()
            if attempt == 2:
                log.exception("the search index failed again after a rebuild")
                result.available = False
                return result
            log.warning("reading the search index failed; rebuilding it", exc_info=True)
    return result


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _run(searcher, parsed: ParsedQuery, result: SearchResult, locale: str) -> None:
    data = facet_data.for_searcher(searcher)
    found = _find(searcher, parsed, data)
    if found is not None and not found.scores and len(parsed.groups) > 1:
        plans = Builder(searcher.reader(), data.analyses).build(parsed)
        fallback = _evaluate(searcher, plans, data, require_all=False)
        if fallback.scores:
            found, result.matched_any = fallback, True
    ranking.reward_adjacency(searcher, parsed, found, data)
    matched = set(data.live) if found is None else set(found.scores)
    selected = {name: data.docs_for(name, values)
                for name, values in result.filters.items() if values}
    candidates = matched.intersection(*selected.values()) if selected else matched
    shown = ranking.entries(candidates, found, data, result.sort, locale)
    result.total = len(shown)
    result.page = min(result.page, result.pages)
    result.facets = data.counts(matched, selected, result.filters)
    end = result.page * result.per_page
    docnums = ranking.page(shown, end - result.per_page, end)
    if parsed.words and (result.total < FEW_RESULTS or result.matched_any):
        # Few results, or only some of the words matched: a correction may match them all.
        suggestion = _suggestion(searcher, parsed, data,
                                 0 if result.matched_any else result.total)
        if suggestion and not result.literal and result.corrected_from is None:
            # Show what the correction finds at once; the typed query stays one click away.
            result.corrected_from, result.query = parsed.text, suggestion
            result.matched_any = False
            _run(searcher, parse(suggestion + " "), result, locale)
            return
        result.suggestion = suggestion
    result.hits = _load_hits(searcher, docnums, found, data, result.facets, locale)


def _find(searcher, parsed: ParsedQuery, data) -> Evaluation | None:
    """Exact terms first; expansions only when those match little, and ranked below them."""
    reader = searcher.reader()
    exact = _evaluate(searcher, Builder(reader, data.analyses, expand=False).build(parsed), data)
    if exact is None or len(exact.scores) >= ranking.EXPAND_BELOW:
        return exact
    expanded = _evaluate(searcher, Builder(reader, data.analyses).build(parsed), data)
    return ranking.below(exact, expanded)


def _evaluate(searcher, plans, data, require_all: bool = True) -> Evaluation | None:
    if plans is None:
        return None
    return evaluate(searcher, plans, data.live, data.scopes, require_all)


def _suggestion(searcher, parsed: ParsedQuery, data, total: int) -> str | None:
    reader = searcher.reader()
    fixes = corrections(reader, parsed.words, data.analyses)
    if not fixes:
        return None
    suggested = replace_word(parsed, fixes)
    found = _evaluate(searcher, Builder(reader, data.analyses).build(parse(suggested + " ")), data)
    if found is None or len(found.scores) <= total:
        return None
    return suggested


# Display -------------------------------------------------------------------------------------


class _Marks(highlight.Formatter):
    """Escape all text; wrap matched words in <mark>."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


_fragmenter = highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=70, autotrim=True)
_fragment_scorer = highlight.BasicFragmentScorer()
_formatter = _Marks()


def mark_words(text: str, language: str, terms: set[str]) -> Markup:
    """Escape text and mark the words whose index terms (in analysis `language`) are among
    `terms`."""
    if not terms or not text:
        return escape(text or "")
    marked: list[list[int]] = []  # [start, end]; overlapping pairs of Chinese characters merge
    for _position, start, end, word_terms in analysis_for(language).spans(text):
        if terms.intersection(word_terms):
            if marked and start < marked[-1][1]:
                marked[-1][1] = max(marked[-1][1], end)
            else:
                marked.append([start, end])
    out, last = [], 0
    for start, end in marked:
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _snippets(searcher, docnums: list[int], found: Evaluation | None) -> dict[int, Markup]:
    """Highlighted body fragments from the stored text and the postings' character offsets."""
    if found is None:
        return {}
    leaves = list(searcher.reader().leaf_readers())
    starts = [offset for _leaf, offset in leaves]
    snippets = {}
    for docnum in docnums:
        leaf, offset = leaves[bisect_right(starts, docnum) - 1]
        tokens = []
        for fieldname, terms in found.terms_of(docnum).items():
            if not fieldname.startswith("body_"):
                continue
            for text in terms:
                tokens.extend(Token(text=text, startchar=start, endchar=end, matched=True)
                              for _position, start, end
                              in characters_at(leaf, fieldname, text, docnum - offset))
        if not tokens:
            continue
        stored = leaf.stored_fields(docnum - offset)
        body = next((v for k, v in stored.items() if k.startswith("body_")), "")
        tokens.sort(key=lambda t: t.startchar)
        fragments = _fragmenter.fragment_matches(body, tokens)
        best = highlight.top_fragments(fragments, 2, _fragment_scorer, highlight.FIRST)
        # Made by _Marks: escaped text and <mark> only.
        snippets[docnum] = Markup(_formatter(body, best).strip())
    return snippets


@cache
def _hits_statement():
    """The modules of a results page, built once a process (building it costs more CPU than
    running it). Only the columns the page shows: versions carry the whole text and HTML."""
    return (
        select(Module).options(
            load_only(Module.id, Module.slug, Module.status, Module.language,
                      Module.current_version_id),
            joinedload(Module.current_version).load_only(
                ModuleVersion.title, ModuleVersion.summary, ModuleVersion.language,
                ModuleVersion.duration, ModuleVersion.level, ModuleVersion.skills))
        .where(Module.id.in_(bindparam("ids", expanding=True)), Module.status == "published",
               Module.current_version_id.is_not(None)))


def _load_hits(searcher, docnums: list[int], found: Evaluation | None, data,
               facets: list[Facet], locale: str) -> list[Hit]:
    """Display data for the page's modules: modules with versions, skill names: 2 queries."""
    facet_skills = {v.value for f in facets if f.name == "skill" for v in f.values}
    if not docnums:
        _label_skills(facets, skills.skills_by_slug(facet_skills), locale)
        return []
    ids = [data.module_ids[docnum] for docnum in docnums]
    others = {docnum: [data.module_ids[d] for d in ranking.siblings(data, docnum)]
              for docnum in docnums}
    modules = {m.id: m for m in db.session.scalars(
        _hits_statement(), {"ids": ids + [i for more in others.values() for i in more]})}
    slugs = {s for m in modules.values() for s in m.current_version.skills or []}
    skill_map = skills.skills_by_slug(slugs | facet_skills)
    _label_skills(facets, skill_map, locale)
    snippets = _snippets(searcher, docnums, found)
    hits = []
    for docnum, module_id in zip(docnums, ids, strict=True):
        module = modules.get(module_id)
        if module is None:
            continue  # no longer published; the index has not caught up yet
        version = module.current_version
        language = analysis_key(version.language)
        terms = found.terms_of(docnum) if found is not None else {}
        hits.append(Hit(
            module=module,
            title=mark_words(version.title, language, terms.get(f"title_{language}", set())),
            summary=mark_words(version.summary, language,
                               terms.get(f"summary_{language}", set())),
            snippet=snippets.get(docnum, Markup("")),
            skills=[skill_map[s].name(locale) for s in version.skills or [] if s in skill_map],
            translations=[modules[i] for i in others[docnum] if i in modules],
        ))
    return hits


def _label_skills(facets: list[Facet], skill_map: dict, locale: str) -> None:
    """Skill facet values show the skill's name in the reader's language."""
    for facet in facets:
        if facet.name == "skill":
            for value in facet.values:
                skill = skill_map.get(value.value)
                value.label = skill.name(locale) if skill else value.value
