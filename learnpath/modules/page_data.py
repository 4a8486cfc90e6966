"""What the module page shows that is the same for everyone, kept with the version.

A version's `page_data` holds, as JSON: the candidates for "what comes next" (the newest
published modules of its language with how many skills each shares with it), the published
translations, the names of its skills, its knowledge-check options and number of questions.
Per request only the personal part is left: which candidates the person has completed.

Invalidation has one owner: the stamp (models.PageStamp, one row). Everything page_data
depends on is announced through `bump()`, in the same transaction as the change:

- modules: publishing a version, unpublishing, archiving, linking translations, the import's
  linking of files that share a name: every change of what learners may find or how a module
  is named goes through search_hooks.index_module / remove_module, which call `bump()`;
- skills: a skill created, renamed or imported (signals.skills_changed, connected in
  modules/hooks.py).

A version whose stored stamp differs from the current one is recomputed on its next view and
stored again (the caller commits). The stamp is read in the same statement as the module
(`stamp_column()`), so a fresh page costs no statement for it. A stamp read before a change
commits can only make the stored data look older than it is, and it is recomputed next time.

Paths are not part of it: the next step in a person's path is personal and stays a query per
request (paths/next_step.py).
"""

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import defer, joinedload

from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion, PageStamp
from learnpath.modules.quiz_options import QuizOptions, quiz_options
from learnpath.skills import services as skills

# "What comes next" ranks the 50 newest published modules of the language the person has not
# completed by the skills they share with this one; twice that many are kept so a person may
# have completed 50 of them before the window shrinks.
WINDOW = 50
KEPT = 2 * WINDOW


@dataclass(frozen=True)
class ModuleLink:
    """A module as a link on the page: what the template reads of a Module (slug, language,
    current_version.title and .duration) without loading one."""

    id: int
    slug: str
    language: str
    title: str
    duration: int

    @property
    def current_version(self) -> "ModuleLink":
        return self


def stamp_column():
    """The current stamp as a column to select beside the module (0 before the first bump)."""
    return select(PageStamp.value).where(PageStamp.id == 1).scalar_subquery()


def bump() -> None:
    """Mark every version's page_data stale (flushes; the caller commits)."""
    if not db.session.execute(update(PageStamp).where(PageStamp.id == 1)
                              .values(value=PageStamp.value + 1)).rowcount:
        db.session.add(PageStamp(id=1, value=1))
        db.session.flush()


def receive_skills_changed(_sender=None, **_extra) -> None:
    """signals.skills_changed (modules/hooks.py): skill names are part of the page data."""
    bump()


def _candidates(module: Module, version: ModuleVersion) -> list[list]:
    """The newest published modules of the language, newest first, each with the number of
    skills it shares with this version. A version's id grows with its publication, so the index
    on (language, status, current_version_id) gives them in order without a sort over the
    whole catalog (which took 60 ms of CPU at 10,000 modules on SQLite, 0009_perf)."""
    wanted = set(version.skills or [])
    rows = db.session.execute(
        select(Module.id, Module.slug, Module.language, ModuleVersion.title,
               ModuleVersion.duration, ModuleVersion.skills)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Module.status == "published", Module.id != module.id,
               Module.language == module.language)
        .order_by(Module.current_version_id.desc()).limit(KEPT))
    return [[mid, slug, language, title, duration, len(wanted & set(other or []))]
            for mid, slug, language, title, duration, other in rows]


def _translations(module: Module) -> list[list]:
    """The published modules of the translation group in other languages, in language order."""
    if not module.translation_group:
        return []
    rows = db.session.execute(
        select(Module.id, Module.slug, Module.language, ModuleVersion.title,
               ModuleVersion.duration)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Module.translation_group == module.translation_group, Module.id != module.id,
               Module.status == "published").order_by(Module.language, Module.id))
    return [list(row) for row in rows]


def compute(module: Module, version: ModuleVersion, stamp: int) -> dict:
    """The page data of the module's current version at this stamp."""
    skill_map = skills.skills_by_slug(version.skills or [])
    front_matter = version.front_matter or {}
    return {
        "stamp": stamp,
        "next": _candidates(module, version),
        "translations": _translations(module),
        "skills": [[s, skill_map[s].name_nl, skill_map[s].name_en]
                   for s in version.skills or [] if s in skill_map],
        "quiz": {key: front_matter[key] for key in ("quiz", "pass") if key in front_matter},
        "questions": len(version.questions),
    }


@dataclass
class PageData:
    """A version's page data, read for one request; `computed`: just computed and flushed,
    for the caller to commit."""

    data: dict
    computed: bool = False

    @property
    def has_questions(self) -> bool:
        return bool(self.data["questions"])

    def skill_names(self, locale: str) -> list[str]:
        return [nl if locale == "nl" else en for _slug, nl, en in self.data["skills"]]

    def translations(self) -> list[ModuleLink]:
        return [ModuleLink(*row) for row in self.data["translations"]]

    def quiz_options(self) -> QuizOptions:
        return quiz_options(self.data["quiz"])

    def candidate_ids(self) -> list[int]:
        return [row[0] for row in self.data["next"]]

    def next_modules(self, done: set[int], limit: int = 3) -> list[ModuleLink]:
        """Of the newest WINDOW candidates the person has not completed, those sharing most
        skills with this version first (newest first among equals)."""
        window = [row for row in self.data["next"] if row[0] not in done][:WINDOW]
        ranked = sorted(window, key=lambda row: -row[5])
        return [ModuleLink(*row[:5]) for row in ranked[:limit]]


def for_version(module: Module, version: ModuleVersion, stamp: int | None) -> PageData:
    """The stored page data, recomputed and stored first when missing or stale (flushes)."""
    stamp = stamp or 0
    data = version.page_data
    if data and data.get("stamp") == stamp:
        return PageData(data)
    data = compute(module, version, stamp)
    version.page_data = data
    db.session.flush()
    return PageData(data, computed=True)


# The module page's statements, built once (building a select with its options cost about as
# much CPU as running it on SQLite); the values are bound per request.
_LOAD = (
    select(Module, stamp_column(), Completion)
    .outerjoin(Completion, and_(Completion.module_id == Module.id,
                                Completion.user_id == bindparam("user_id")))
    .options(defer(Module.draft_source),
             joinedload(Module.current_version).options(
                 defer(ModuleVersion.source), defer(ModuleVersion.front_matter),
                 defer(ModuleVersion.toc_html)))
    .where(Module.slug == bindparam("slug"), Module.status == "published",
           Module.current_version_id.is_not(None)))
_DONE = select(Completion.module_id).where(
    Completion.user_id == bindparam("user_id"),
    Completion.module_id.in_(bindparam("ids", expanding=True)))


def load(slug: str, user) -> tuple[Module, int | None, Completion | None] | None:
    """The published module with its current version (without the texts the page does not
    show: Markdown source, front matter, table of contents, draft), the stamp and the person's
    completion of it, in one statement; None when learners may not see it."""
    row = db.session.execute(_LOAD, {"slug": slug, "user_id": user.id}).first()
    return tuple(row) if row is not None else None


def completed(user, ids: list[int]) -> set[int]:
    """Which of these modules the person has completed (one statement; none without ids)."""
    if not ids:
        return set()
    return set(db.session.scalars(_DONE, {"user_id": user.id, "ids": ids}))
