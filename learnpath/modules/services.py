"""Module authoring, publishing and learning: plain functions that flush; the caller commits."""

import difflib
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, selectinload

from learnpath.extensions import db
from learnpath.modules import search_hooks as search
from learnpath.modules.models import (
    Completion,
    Module,
    ModuleVersion,
    Question,
    QuizAnswer,
    QuizAttempt,
)
from learnpath.modules.parsing import ParsedModule, Problem, parse_module, slugify
from learnpath.paths import services as skills
from learnpath.signals import module_completed, module_withdrawn, quiz_answered
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

SLUG_MAX = 120


class ModuleError(ValueError):
    """A refused module operation, with a message fit to show the person."""

    def __init__(self, message, problems: list[Problem] | None = None):
        super().__init__(str(message))
        self.message = message
        self.problems = problems or []


class EditConflict(ModuleError):
    """Someone else saved the module since this editor loaded it."""

    def __init__(self, module: Module):
        super().__init__(_l("Someone else saved this module while you were editing it."))
        self.module = module


# Look-ups ------------------------------------------------------------------------------------


def get_module(slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def get_module_by_id(module_id: int) -> Module | None:
    return db.session.get(Module, module_id)


def validate_slug(slug: str) -> str:
    """Return the normalised slug or raise ModuleError."""
    normalised = slugify(slug or "")
    if not normalised:
        raise ModuleError(_l("Use letters, digits and hyphens for the address (slug)."))
    if len(normalised) > SLUG_MAX:
        raise ModuleError(_l("The address (slug) is longer than %(max)d characters.",
                             max=SLUG_MAX))
    return normalised


# Authoring ----------------------------------------------------------------------------------


def normalise_text(source: str) -> str:
    """Browsers send CRLF; files and versions use LF."""
    return (source or "").replace("\r\n", "\n").replace("\r", "\n")


def check_source(source: str, slug: str, language: str = "en") -> ParsedModule:
    """Parse a module text as the editor and import would, adding the database checks."""
    parsed = parse_module(source, f"{slug}.md", default_language=language)
    known = skills.known_skill_slugs()
    for skill in parsed.skills:
        if skill not in known:
            parsed.warnings.append(Problem(
                _l("Unknown skill '%(skill)s': add it to skills.yml first; it is ignored.",
                   skill=skill), field="skills"))
    if parsed.translation_of and parsed.translation_of != slug:
        if get_module(parsed.translation_of) is None:
            parsed.warnings.append(Problem(
                _l("translation_of points to '%(slug)s', which does not exist (yet).",
                   slug=parsed.translation_of), field="translation_of"))
    return parsed


def create_module(slug: str, source: str, language: str = "en") -> Module:
    """Create a draft module; its text may still have problems (publishing checks them)."""
    slug = validate_slug(slug)
    if get_module(slug) is not None:
        raise ModuleError(_l("A module with the address '%(slug)s' already exists.", slug=slug))
    source = normalise_text(source)
    parsed = parse_module(source, f"{slug}.md", default_language=language)
    module = Module(slug=slug, language=parsed.language, status="draft", draft_source=source,
                    draft_title=parsed.title[:200], edit_count=1)
    db.session.add(module)
    db.session.flush()
    return module


def save_draft(module: Module, source: str, based_on_edit: int) -> ParsedModule:
    """Save the working text; refuse with EditConflict when the editor's copy is stale."""
    source = normalise_text(source)
    parsed = check_source(source, module.slug, module.language)
    # A conditional UPDATE: of two saves based on the same edit, exactly one wins.
    claimed = db.session.execute(
        update(Module).where(Module.id == module.id, Module.edit_count == based_on_edit)
        .values(draft_source=source, draft_title=parsed.title[:200],
                edit_count=Module.edit_count + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.refresh(module)
        raise EditConflict(module)
    db.session.refresh(module)
    return parsed


def publish(module: Module, author, source: str | None = None) -> ModuleVersion:
    """Publish the draft (or the given text) as the module's current version."""
    text = normalise_text(source) if source is not None else module.draft_source
    if text is None and module.current_version is not None:
        text = module.current_version.source
    if text is None:
        raise ModuleError(_l("There is no text to publish."))
    parsed = check_source(text, module.slug, module.language)
    if not parsed.ok:
        raise ModuleError(_l("The module has problems; fix them before publishing."),
                          parsed.errors)
    version = publish_parsed(module, parsed, author)
    return version


def publish_parsed(module: Module, parsed: ParsedModule, author) -> ModuleVersion:
    """Store a valid parse as a new immutable version, unless it equals the current one."""
    # Take the module's row lock first (PostgreSQL row lock, SQLite write lock), so two
    # publishes in parallel cannot pick the same version number.
    db.session.execute(update(Module).where(Module.id == module.id)
                       .values(updated_at=utcnow()).execution_options(synchronize_session=False))
    db.session.refresh(module)
    current = module.current_version
    if current is None or current.content_hash != parsed.content_hash:
        number = (db.session.scalar(select(func.max(ModuleVersion.number)).where(
            ModuleVersion.module_id == module.id)) or 0) + 1
        html = rewrite_relative_urls(parsed.html, module.asset_dir)
        current = ModuleVersion(
            module_id=module.id, number=number, title=parsed.title, summary=parsed.summary,
            language=parsed.language, duration=parsed.duration, level=parsed.level,
            skills=[s for s in parsed.skills if s in skills.known_skill_slugs()],
            tags=parsed.tags, translation_of=parsed.translation_of,
            front_matter=_json_safe(parsed.front_matter), source=parsed.source, html=html,
            toc_html=parsed.toc_html, content_hash=parsed.content_hash,
            published_by_id=getattr(author, "id", None),
        )
        for question in parsed.questions:
            current.questions.append(Question(
                position=question.position, prompt_html=question.prompt_html,
                options=[{"html": o.html, "correct": o.correct} for o in question.options],
                multiple=question.multiple, feedback_html=question.feedback_html))
        db.session.add(current)
        db.session.flush()
        module.current_version = current
    module.language = parsed.language
    if module.draft_source != parsed.source:
        module.edit_count += 1  # an editor opened before this publish must not overwrite it
    module.draft_source = parsed.source
    module.draft_title = parsed.title[:200]
    module.status = "published"
    module.updated_at = utcnow()
    link_translation(module, parsed.translation_of)
    db.session.flush()
    search.index_module(module)  # search: applied after commit; stamp raised in this transaction
    return current


def _json_safe(value):
    """Front matter may hold dates; keep what JSON can store."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def link_translation(module: Module, translation_of: str | None) -> None:
    """Put the module in the same translation group as the module it translates."""
    if not translation_of or translation_of == module.slug:
        return
    other = get_module(translation_of)
    if other is None:
        return
    group = other.translation_group or module.translation_group or other.slug
    other.translation_group = group
    module.translation_group = group


def unpublish(module: Module) -> None:
    """Hide the module from learners; versions and completions stay."""
    module.status = "draft"
    db.session.flush()
    search.remove_module(module)  # search: applied after commit; stamp raised in this transaction
    module_withdrawn.send(module)


def archive(module: Module) -> None:
    """Hide the module from the catalog for good; its history and completions are kept."""
    module.status = "archived"
    db.session.flush()
    search.remove_module(module)  # search: applied after commit; stamp raised in this transaction
    module_withdrawn.send(module)


_RELATIVE_URL = re.compile(
    r'(<(?:img|a)\b[^>]*?\s(?:src|href)=")(?![a-z][a-z0-9+.-]*:|/|#)([^"]+)"')


def rewrite_relative_urls(html: str, asset_dir: str | None) -> str:
    """Point relative image and link URLs at the content route for the module's folder."""
    if not asset_dir:
        return html
    base = "/content/" + asset_dir.strip("/") + "/"
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}{base}{m.group(2)}"', html)


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


def version_diff(old: str, new: str, old_label: str, new_label: str) -> list[tuple[str, str]]:
    """Return (kind, line) pairs of a unified diff; kind is add, remove, hunk or same."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label,
                                     lineterm="", n=3):
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "remove"
        else:
            kind = "same"
        lines.append((kind, line))
    return lines


@dataclass
class ModuleStats:
    completions: int
    average_score: float | None
    questions: list[tuple[Question, int, float | None]] = field(default_factory=list)


def module_stats(module: Module, threshold: int = 5) -> ModuleStats:
    """Aggregates for authors: completions, mean score and per-question correct rates.

    A mean over fewer than `threshold` people is withheld (None): with one learner it
    would be that person's score.
    """
    completions, average = db.session.execute(
        select(func.count(Completion.id), func.avg(Completion.score)).where(
            Completion.module_id == module.id)).one()
    rows = []
    if module.current_version is not None:
        rates = dict((qid, (n, rate)) for qid, n, rate in db.session.execute(
            select(QuizAnswer.question_id, func.count(QuizAnswer.id),
                   func.avg(func.cast(QuizAnswer.correct, db.Integer)))
            .join(Question, Question.id == QuizAnswer.question_id)
            .where(Question.version_id == module.current_version.id)
            .group_by(QuizAnswer.question_id)))
        for question in module.current_version.questions:
            n, rate = rates.get(question.id, (0, None))
            shown = float(rate) if rate is not None and n >= threshold else None
            rows.append((question, n, shown))
    if average is not None and (completions or 0) >= threshold:
        average = float(average)
    else:
        average = None
    return ModuleStats(completions or 0, average, rows)


# Learning -----------------------------------------------------------------------------------


def get_published(slug: str) -> Module | None:
    """The module with its current version, questions loaded, if learners may see it."""
    return db.session.scalar(
        select(Module)
        .options(selectinload(Module.current_version).selectinload(ModuleVersion.questions))
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


@dataclass
class QuestionResult:
    question: Question
    selected: set[int]
    correct: bool


@dataclass
class QuizResult:
    results: list[QuestionResult]
    unanswered: list[Question]
    attempt: QuizAttempt | None = None

    @property
    def score(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0


def check_answers(version: ModuleVersion, answers: dict[int, set[int]]) -> QuizResult:
    """Compare chosen option indexes with the correct ones (no storing)."""
    results, unanswered = [], []
    for question in version.questions:
        chosen = {i for i in answers.get(question.id, set()) if 0 <= i < len(question.options)}
        if not question.multiple and len(chosen) > 1:
            chosen = set()
        if not chosen:
            unanswered.append(question)
        results.append(QuestionResult(question, chosen, chosen == question.correct_indexes()))
    return QuizResult(results, unanswered)


def submit_quiz(user, version: ModuleVersion, answers: dict[int, set[int]]) -> QuizResult:
    """Check and store a complete attempt; an incomplete one is returned but not stored."""
    result = check_answers(version, answers)
    if result.unanswered:
        return result
    attempt = QuizAttempt(user_id=user.id, version_id=version.id, score=result.score)
    for item in result.results:
        attempt.answers.append(QuizAnswer(question_id=item.question.id,
                                          selected=sorted(item.selected), correct=item.correct))
    db.session.add(attempt)
    db.session.flush()
    result.attempt = attempt
    quiz_answered.send(user, version=version, result=result)
    return result


def latest_attempt(user, version: ModuleVersion) -> QuizAttempt | None:
    return db.session.scalar(
        select(QuizAttempt).options(selectinload(QuizAttempt.answers))
        .where(QuizAttempt.user_id == user.id, QuizAttempt.version_id == version.id)
        .order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc()).limit(1))


def result_from_attempt(version: ModuleVersion, attempt: QuizAttempt) -> QuizResult:
    answers = {a.question_id: set(a.selected) for a in attempt.answers}
    result = check_answers(version, answers)
    result.attempt = attempt
    return result


def get_completion(user, module: Module) -> Completion | None:
    return db.session.scalar(select(Completion).where(
        Completion.user_id == user.id, Completion.module_id == module.id))


def complete_module(user, module: Module) -> tuple[Completion, bool]:
    """Record that the person finished the module; a repeat returns the existing record.

    Returns (completion, created). Safe under concurrent requests: the unique constraint
    decides, and the loser of a race reads the winner's row.
    """
    version = module.current_version
    if module.status != "published" or version is None:
        raise ModuleError(_l("This module is not available."))
    score = None
    if version.questions:
        attempt = latest_attempt(user, version)
        if attempt is None:
            raise ModuleError(_l("Answer the knowledge check before marking the module as done."))
        score = attempt.score
    existing = get_completion(user, module)
    if existing is not None:
        if score is not None and (existing.score is None or score > existing.score):
            existing.score = score
            db.session.flush()
        return existing, False
    completion = Completion(user_id=user.id, module_id=module.id, version_id=version.id,
                            score=score, completed_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return get_completion(user, module), False
    module_completed.send(user, module=module, completion=completion)
    return completion, True


def completed_module_ids(user, module_ids) -> set[int]:
    ids = list(module_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Completion.module_id).where(
        Completion.user_id == user.id, Completion.module_id.in_(ids))))


def translation_of_module(module: Module) -> Module | None:
    """The published variant of this module in another language, if any."""
    if not module.translation_group:
        return None
    return db.session.scalar(
        select(Module).options(*_listing_options())
        .where(Module.translation_group == module.translation_group, Module.id != module.id,
               Module.status == "published").limit(1))


def _listing_options():
    """Load modules for a link or a list: without the texts (Markdown, HTML) nobody shows.

    A module page lists up to 50 candidates; with their texts that was about 1 MB a request.
    """
    return (defer(Module.draft_source),
            selectinload(Module.current_version).options(
                defer(ModuleVersion.source), defer(ModuleVersion.html),
                defer(ModuleVersion.toc_html), defer(ModuleVersion.front_matter)))


def next_modules(user, module: Module, limit: int = 3) -> list[Module]:
    """Published modules sharing a skill with this one that the person has not completed."""
    version = module.current_version
    if version is None:
        return []
    done = select(Completion.module_id).where(Completion.user_id == user.id)
    # Newest published first: a version's id grows with its publication, so the index on
    # (language, status, current_version_id) gives them in order without a sort over the
    # whole catalog (which took 60 ms of CPU a request at 10,000 modules on SQLite).
    candidates = db.session.scalars(
        select(Module).options(*_listing_options())
        .where(Module.status == "published", Module.id != module.id,
               Module.language == module.language, Module.current_version_id.is_not(None),
               Module.id.not_in(done))
        .order_by(Module.current_version_id.desc()).limit(50)).all()
    wanted = set(version.skills or [])
    ranked = sorted(candidates, key=lambda m: -len(wanted & set(m.current_version.skills or [])))
    return ranked[:limit]


def recent_completions(user, limit: int = 5) -> list[tuple[Completion, Module]]:
    return db.session.execute(
        select(Completion, Module).join(Module, Module.id == Completion.module_id)
        .options(selectinload(Module.current_version))
        .where(Completion.user_id == user.id)
        .order_by(Completion.completed_at.desc()).limit(limit)).all()


def modules_by_ids(ids) -> list[Module]:
    """Modules with their current version, in one query (plus one for the versions)."""
    ids = list(ids)
    if not ids:
        return []
    return db.session.scalars(select(Module).options(selectinload(Module.current_version))
                              .where(Module.id.in_(ids))).all()


def suggest_module(user) -> Module | None:
    """A published module the person has not done yet, shortest first."""
    done = select(Completion.module_id).where(Completion.user_id == user.id)
    return db.session.scalar(
        select(Module).join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .options(selectinload(Module.current_version))
        .where(Module.status == "published", Module.id.not_in(done))
        .order_by(ModuleVersion.duration, ModuleVersion.published_at.desc()).limit(1))
