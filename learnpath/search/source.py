"""What the index is built from: the stamp, the change log and published modules in the database.

The search index is derived data; these reads are the only way data flows into it. Only a
module's current (published) version is read, so draft text never reaches a snippet.
"""

import re
from dataclasses import dataclass
from datetime import UTC
from itertools import islice

from sqlalchemy import func, select

from learnpath.modules.models import Module, ModuleVersion
from learnpath.modules.rendering import html_to_text
from learnpath.search.analysis import LANGUAGES, analysis_key
from learnpath.search.models import STAMP_ID, CatalogChange, CatalogStamp
from learnpath.skills.models import Skill

BATCH = 500
# The "¶" permalinks the Markdown table of contents adds to headings are not text.
_HEADERLINK = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.DOTALL)
# Section headings below the title (the title is the h1): their own field, boosted above body.
_HEADING = re.compile(r"<h[2-6]\b[^>]*>(.*?)</h[2-6]>", re.DOTALL | re.IGNORECASE)
_SPELL_WORD = re.compile(r"[^\W\d_]{3,30}")


@dataclass(frozen=True)
class Stamp:
    epoch: str
    version: int
    pruned_through: int = 0


NO_STAMP = Stamp("", 0, 0)


def read_stamp(session) -> Stamp:
    """The database's catalog stamp (one primary-key read)."""
    row = session.execute(select(CatalogStamp.epoch, CatalogStamp.version,
                                 CatalogStamp.pruned_through)
                          .where(CatalogStamp.id == STAMP_ID)).first()
    return Stamp(*row) if row else NO_STAMP


def changed_since(session, version: int, limit: int) -> tuple[set[int], int] | None:
    """Module ids changed after `version` and the newest version seen; None when over limit."""
    rows = session.execute(select(CatalogChange.module_id, CatalogChange.version)
                           .where(CatalogChange.version > version)
                           .limit(limit + 1)).all()
    if len(rows) > limit:
        return None
    return {module_id for module_id, _ in rows}, max((v for _, v in rows), default=version)


def published_count(session) -> int:
    return session.scalar(select(func.count(Module.id)).where(
        Module.status == "published", Module.current_version_id.is_not(None))) or 0


def _skill_names(session) -> dict[str, dict[str, str]]:
    rows = session.execute(select(Skill.slug, Skill.name_en, Skill.name_nl))
    return {slug: {"en": en, "nl": nl} for slug, en, nl in rows}


def _published(ids=None):
    stmt = (select(Module.id, Module.translation_group, ModuleVersion.language, ModuleVersion.title,
                   ModuleVersion.summary, ModuleVersion.html, ModuleVersion.skills,
                   ModuleVersion.tags, ModuleVersion.level, ModuleVersion.duration,
                   ModuleVersion.published_at)
            .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
            .where(Module.status == "published"))
    if ids is not None:
        stmt = stmt.where(Module.id.in_(ids))
    return stmt.order_by(Module.id)


def documents(session, ids=None):
    """Yield one index document per published module (all, or those among `ids`)."""
    names = _skill_names(session)
    if ids is None:
        rows = session.execute(_published().execution_options(yield_per=BATCH))
        yield from (make_document(row, names) for row in rows)
        return
    ids = iter(sorted(ids))
    while chunk := list(islice(ids, BATCH)):
        for row in session.execute(_published(chunk)):
            yield make_document(row, names)


def _epoch_milliseconds(moment) -> int:
    if moment is None:
        return 0
    if moment.tzinfo is None:  # SQLite hands back naive UTC datetimes
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def make_document(row, skill_names: dict[str, dict[str, str]]) -> dict:
    """Turn a module's published version into the fields of its index document."""
    (module_id, group, language, title, summary, html, skills, tags, level, duration,
     published_at) = row
    analysed = analysis_key(language)
    named = analysed if analysed in LANGUAGES else "en"  # skills have en and nl names
    skills = [s for s in skills or [] if isinstance(s, str)]
    tags = [str(t) for t in tags or []]
    names = [skill_names[s].get(named) or s for s in skills if s in skill_names]
    keywords = " ".join(tags + names)
    summary = summary or ""
    html = _HEADERLINK.sub("", html or "")
    headings = " ".join(html_to_text(h) for h in _HEADING.findall(html))
    body = html_to_text(html)
    return {
        "id": str(module_id),
        "module": module_id,
        "language": language,
        "group": group or "",
        "level": level or "",
        "skills": ",".join(skills) or None,
        "duration": int(duration or 0),
        "published": _epoch_milliseconds(published_at),
        f"title_{analysed}": title or "",
        f"summary_{analysed}": summary,
        f"keywords_{analysed}": keywords,
        f"headings_{analysed}": headings,
        f"body_{analysed}": body,
        "spell": spelling_words(" ".join((title or "", summary, keywords, headings))),
    }


def spelling_words(lead: str) -> str:
    """The words of the "Did you mean" dictionary, each once: those of the title, summary,
    keywords and headings. Body words are found from the body's stems instead (spelling.py):
    indexing every one of them again doubled the CPU time of a rebuild."""
    return " ".join(dict.fromkeys(_SPELL_WORD.findall(lead.lower())))
