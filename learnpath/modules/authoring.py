"""Module authoring: check a text, create, save drafts, publish versions, statistics.

Plain functions that flush; the caller commits. Concurrent editing is handled here and
nowhere else: every module row carries edit_count, which each save raises. An editor sends
the count it loaded with; a save based on an older count is a conflict, decided by one
conditional UPDATE so that of two simultaneous saves exactly one wins (save_draft).
Publishing takes the same row lock before it reads the text, so two publishes cannot number
alike and a publish cannot pick up a text that another save is replacing.
"""

import difflib
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.modules import search_hooks as search
from learnpath.modules.frontmatter import split_front_matter
from learnpath.modules.models import (
    Completion,
    Module,
    ModuleVersion,
    Question,
    QuizAnswer,
    QuizAttempt,
)
from learnpath.modules.parsing import MAX_TITLE, ParsedModule, parse_module
from learnpath.modules.problems import Problem, Report
from learnpath.modules.services import SLUG_MAX, ModuleError, get_module
from learnpath.signals import module_withdrawn
from learnpath.skills import services as skills
from learnpath.slugs import slugify
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l


class EditConflict(ModuleError):
    """Someone else saved the module since this editor loaded it."""

    def __init__(self, module: Module):
        super().__init__(_l("Someone else saved this module while you were editing it."))
        self.module = module


def validate_slug(slug: str) -> str:
    """Return the normalised slug or raise ModuleError."""
    normalised = slugify(slug or "")
    if not normalised:
        raise ModuleError(_l("Use letters, digits and hyphens for the address (slug)."))
    if len(normalised) > SLUG_MAX:
        raise ModuleError(_l("The address (slug) is longer than %(max)d characters.",
                             max=SLUG_MAX))
    return normalised


def normalise_text(source: str) -> str:
    """Browsers send CRLF; files and versions use LF."""
    return (source or "").replace("\r\n", "\n").replace("\r", "\n")


def honest_title(parsed: ParsedModule, previous: str = "") -> str:
    """The title a draft is listed under: while its front matter does not parse, the title
    it had before (or none), never one guessed from a heading or the file name."""
    report = Report()
    split_front_matter(parsed.source.split("\n"), report)
    return (previous or "") if report.errors else parsed.title[:200]


def slug_was_changed(typed: str, slug: str) -> bool:
    """Whether the address differs from what the author typed (so they must be told)."""
    return (typed or "").strip() != slug


def rename(module: Module, typed: str) -> str:
    """Give a never-published module another address; return the new slug."""
    if module.current_version is not None:
        raise ModuleError(_l("The address cannot change after the first publish: links to it "
                             "may exist."))
    slug = validate_slug(typed)
    if slug == module.slug:
        return slug
    if get_module(slug) is not None:
        raise ModuleError(_l("A module with the address '%(slug)s' already exists.", slug=slug))
    module.slug = slug
    module.source_key = None if _key_taken(slug, module.language, module.id) else slug
    db.session.flush()
    return slug


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
    # The slug is the file name an import would match this module by, unless an imported
    # module in this language already holds that key (its own slug then has a suffix).
    key = None if _key_taken(slug, parsed.language) else slug
    module = Module(slug=slug, source_key=key, language=parsed.language, status="draft",
                    draft_source=source, draft_title=honest_title(parsed), edit_count=1)
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
        .values(draft_source=source, draft_title=honest_title(parsed, module.draft_title),
                edit_count=Module.edit_count + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.refresh(module)
        raise EditConflict(module)
    db.session.refresh(module)
    return parsed


@dataclass
class EditorResult:
    """What the editor's Save or Publish did; the view shows it, then commits or rolls back.

    outcome: "saved" (the draft is stored), "published" (stored and published: version, and
    created False when the text equals the current version), "unpublishable" (the draft is
    stored, publishing refused: error) or "conflict" (nothing stored, the caller rolls back:
    theirs is the text saved meanwhile). edit_count is what the next save is based on.
    """

    outcome: str
    edit_count: int
    parsed: ParsedModule | None = None
    version: ModuleVersion | None = None
    created: bool = False
    error: ModuleError | None = None
    theirs: str = ""


def save_from_editor(module: Module, source: str, based_on_edit: int | None, author=None,
                     publish_too: bool = False, note: str | None = None) -> EditorResult:
    """Save the editor's text as the draft and, with publish_too, publish it.

    based_on_edit is the edit_count the editor loaded; None (missing or unreadable) counts as
    a stale copy, so a conflict, never a blind overwrite.
    """
    try:
        if based_on_edit is None:
            raise EditConflict(module)
        parsed = save_draft(module, source, based_on_edit)
    except EditConflict:
        db.session.refresh(module)
        return EditorResult("conflict", module.edit_count, theirs=module.draft_source or "")
    if not publish_too:
        return EditorResult("saved", module.edit_count, parsed)
    previous_version_id = module.current_version_id
    try:
        version = publish(module, author, note=note)
    except ModuleError as error:
        return EditorResult("unpublishable", module.edit_count, parsed, error=error)
    return EditorResult("published", module.edit_count, parsed, version,
                        version.id != previous_version_id)


def publish(module: Module, author, source: str | None = None,
            note: str | None = None) -> ModuleVersion:
    """Publish the draft (or the given text) as the module's current version.

    note: why it was published anyway (say, longer than a micro module); kept in the history.
    """
    # The row lock first, then the text: a save running at the same moment either finished
    # before (and its text is the one published) or waits until this publish is committed.
    _lock(module)
    text = normalise_text(source) if source is not None else module.draft_source
    if text is None and module.current_version is not None:
        text = module.current_version.source
    if text is None:
        raise ModuleError(_l("There is no text to publish."))
    parsed = check_source(text, module.slug, module.language)
    if not parsed.ok:
        raise ModuleError(_l("The module has problems; fix them before publishing."),
                          parsed.errors)
    return _store_version(module, parsed, author, note=note)


def _lock(module: Module) -> None:
    """Take the module's row lock for this transaction (a PostgreSQL row lock, SQLite's write
    lock) and read the row as it is now."""
    db.session.execute(update(Module).where(Module.id == module.id)
                       .values(edit_count=Module.edit_count)
                       .execution_options(synchronize_session=False))
    db.session.refresh(module)


def publish_parsed(module: Module, parsed: ParsedModule, author,
                   link: bool = True) -> ModuleVersion:
    """Store a valid parse as a new immutable version, unless it equals the current one.

    link=False leaves translation_of to the caller: an import links once every file is in,
    and makes no link that goes round in a circle."""
    _lock(module)  # so two publishes in parallel cannot pick the same version number
    return _store_version(module, parsed, author, link=link)


def _store_version(module: Module, parsed: ParsedModule, author,
                   link: bool = True, note: str | None = None) -> ModuleVersion:
    """publish_parsed under the row lock, which the caller holds.

    A text that differs from the draft raises edit_count, so an editor opened before this
    publish (or import) gets a conflict instead of saving over it.
    """
    if parsed.language != module.language and module.source_key and _key_taken(
            module.source_key, parsed.language, module.id):
        raise ModuleError(_l("Another module is already the %(language)s version of "
                             "'%(key)s'; change that one instead.", language=parsed.language,
                             key=module.source_key))
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
            published_by_id=getattr(author, "id", None), publish_note=note or None,
        )
        for question in parsed.questions:
            current.questions.append(_stored_question(question))
        db.session.add(current)
        db.session.flush()
        module.current_version = current
    module.language = parsed.language
    if module.draft_source != parsed.source:
        module.edit_count += 1
    module.draft_source = parsed.source
    module.draft_title = parsed.title[:MAX_TITLE]
    module.status = "published"
    module.updated_at = utcnow()
    if link:
        link_translation(module, parsed.translation_of)
    db.session.flush()
    search.index_module(module)  # search: applied after commit; stamp raised in this transaction
    return current


def _stored_question(question) -> Question:
    """The database row of a parsed question (quiz.Question); see models.Question.options."""
    if question.kind == "fill":
        options = [{"answer": answer} for answer in question.blanks]
    else:
        options = [{"html": o.html, "correct": o.correct, "feedback_html": o.feedback_html}
                   for o in question.options]
    return Question(position=question.position, kind=question.kind,
                    prompt_html=question.prompt_html, options=options,
                    multiple=question.multiple, feedback_html=question.explanation_html)


def _key_taken(key: str, language: str, other_than: int | None = None) -> bool:
    stmt = select(Module.id).where(Module.source_key == key, Module.language == language)
    if other_than is not None:
        stmt = stmt.where(Module.id != other_than)
    return db.session.scalar(stmt.limit(1)) is not None


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
    for member in (other, module):
        if member.translation_group != group:
            member.translation_group = group
            search.index_module(member)  # the catalog shows one result per translation group


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


DRAFT = "draft"  # the diff's name for the working text


def diff_refs(module: Module, numbers: set[int], new_ref, old_ref):
    """The (new, old) pair a diff compares, each a version number, DRAFT or None (empty).

    Unnamed, the new side is the current version (or the newest one) and the old side the
    version before it; a diff of the draft compares it with the current version.
    """
    if new_ref is None:
        if module.current_version is not None:
            new_ref = module.current_version.number
        elif numbers:
            new_ref = max(numbers)
    if old_ref is None and new_ref is not None:
        if new_ref == DRAFT:
            old_ref = module.current_version.number if module.current_version else None
        else:
            old_ref = max((n for n in numbers if n < new_ref), default=None)
    return new_ref, old_ref


def publisher_names(versions) -> dict[int, str]:
    """Names of the people who published these versions, in one query."""
    ids = {v.published_by_id for v in versions if v.published_by_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(ids))).all())


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

    A mean or a question's correct rate over fewer than `threshold` people is withheld (None):
    with one learner it would be that person's score or answer. A question's rate counts
    every submitted answer (retries included) but is shown only once that many different
    people answered it.
    """
    completions, average = db.session.execute(
        select(func.count(Completion.id), func.avg(Completion.score)).where(
            Completion.module_id == module.id)).one()
    rows = []
    if module.current_version is not None:
        rates = {qid: (n, people, rate) for qid, n, people, rate in db.session.execute(
            select(QuizAnswer.question_id, func.count(QuizAnswer.id),
                   func.count(func.distinct(QuizAttempt.user_id)),
                   func.avg(func.cast(QuizAnswer.correct, db.Integer)))
            .join(Question, Question.id == QuizAnswer.question_id)
            .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
            .where(Question.version_id == module.current_version.id)
            .group_by(QuizAnswer.question_id))}
        for question in module.current_version.questions:
            n, people, rate = rates.get(question.id, (0, 0, None))
            shown = float(rate) if rate is not None and people >= threshold else None
            rows.append((question, n, shown))
    if average is not None and (completions or 0) >= threshold:
        average = float(average)
    else:
        average = None
    return ModuleStats(completions or 0, average, rows)
