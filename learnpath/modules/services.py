"""Module look-ups and lists: by slug or id, the learner's catalog, the author's list.

Plain functions that read; what changes modules is in authoring.py (writing, publishing) and
learning.py (knowledge checks, completions).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion
from learnpath.modules.problems import Problem

SLUG_MAX = 120


class ModuleError(ValueError):
    """A refused module operation, with a message fit to show the person."""

    def __init__(self, message, problems: list[Problem] | None = None):
        super().__init__(str(message))
        self.message = message
        self.problems = problems or []


def get_module(slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def get_module_by_id(module_id: int) -> Module | None:
    return db.session.get(Module, module_id)


def modules_by_ids(ids) -> list[Module]:
    """Modules with their current version, in one query (plus one for the versions)."""
    ids = list(ids)
    if not ids:
        return []
    return db.session.scalars(select(Module).options(selectinload(Module.current_version))
                              .where(Module.id.in_(ids))).all()


def get_published(slug: str) -> Module | None:
    """The module with its current version, questions loaded, if learners may see it."""
    return db.session.scalar(
        select(Module)
        .options(joinedload(Module.current_version).selectinload(ModuleVersion.questions))
        .where(Module.slug == slug, Module.status == "published",
               Module.current_version_id.is_not(None)))


def catalog_page(language: str | None = None, page: int = 1, per_page: int = 20):
    """Published modules, newest first (the search issue adds ranking and facets)."""
    stmt = (select(Module).join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
            .options(selectinload(Module.current_version))
            .where(Module.status == "published")
            .order_by(ModuleVersion.published_at.desc(), Module.id.desc()))
    if language:
        stmt = stmt.where(Module.language == language)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def list_modules(status: str | None = None, language: str | None = None, query: str = "",
                 page: int = 1, per_page: int = 25):
    """A page of modules for authors, newest change first."""
    stmt = select(Module).options(selectinload(Module.current_version)).order_by(
        Module.updated_at.desc(), Module.id.desc())
    if status:
        stmt = stmt.where(Module.status == status)
    if language:
        stmt = stmt.where(Module.language == language)
    if query:
        query = query.lower()
        stmt = stmt.where(func.lower(Module.draft_title).contains(query, autoescape=True)
                          | Module.slug.contains(query, autoescape=True))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def versions_of(module: Module) -> list[ModuleVersion]:
    return db.session.scalars(select(ModuleVersion).where(
        ModuleVersion.module_id == module.id).order_by(ModuleVersion.number.desc())).all()


def get_version(module: Module, number: int) -> ModuleVersion | None:
    return db.session.scalar(select(ModuleVersion).where(
        ModuleVersion.module_id == module.id, ModuleVersion.number == number))


def translations_of_module(module: Module) -> list[Module]:
    """The published modules of this module's translation group in other languages, in
    language order (a group may have a dozen: en, nl, de, ar, zh-CN, ...)."""
    if not module.translation_group:
        return []
    return list(db.session.scalars(
        select(Module).options(*listing_options(joined=True))
        .where(Module.translation_group == module.translation_group, Module.id != module.id,
               Module.status == "published").order_by(Module.language, Module.id)))


def translation_of_module(module: Module) -> Module | None:
    """One published variant of this module in another language, if any."""
    return next(iter(translations_of_module(module)), None)


def listing_options(joined: bool = False):
    """Load modules for a link or a list: without the texts (Markdown, HTML) nobody shows.

    A module page lists up to 50 candidates; with their texts that was about 1 MB a request.
    `joined`: the versions in the same query (a join) instead of a second one.
    """
    load = joinedload if joined else selectinload
    return (defer(Module.draft_source),
            load(Module.current_version).options(
                defer(ModuleVersion.source), defer(ModuleVersion.html),
                defer(ModuleVersion.toc_html), defer(ModuleVersion.front_matter)))
