"""`learnpath content import` and `export`: Markdown files, folders and .zip archives."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update

from learnpath.extensions import db
from learnpath.modules import assets, authoring, languages, search_hooks, services
from learnpath.modules.models import Module, ModuleVersion
from learnpath.modules.parsing import (
    ParsedModule,
    parse_module,
    slug_from_filename,
)
from learnpath.modules.problems import Problem
from learnpath.modules.services import SLUG_MAX
from learnpath.modules.sources import MARKDOWN_SUFFIXES, Source, from_path, from_zip, is_path_file
from learnpath.skills import services as skills
from learnpath.web.i18n import lazy_text as _l

# Growth paths (paths/*.yml) refer to modules, so they are imported after them and exported
# beside them by the paths feature, which plugs its two functions in here at app start
# (paths/hooks.py): modules sits below paths and does not import it.
_path_files: dict[str, Callable] = {}


def register_path_files(import_text: Callable, export: Callable[[Path], object]) -> None:
    """import_text(text, name) -> a file result; export(target) writes target/paths/*.yml."""
    _path_files["import"] = import_text
    _path_files["export"] = export


@dataclass
class FileResult:
    name: str  # the file path or zip entry as given
    slug: str
    status: str  # created, updated, unchanged, invalid or skipped
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    skills_messages: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def ok(self) -> bool:
        return self.count("invalid") == 0 and not any(
            m.startswith("error") for m in self.skills_messages)


def import_paths(paths, author=None, archive_missing: bool = False,
                 content_root: Path | None = None, default_language: str = "en") -> ImportReport:
    """Import files, folders or .zip archives; report per file; never delete."""
    sources: list[Source] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            sources.append(Source(str(path), None, problem=Problem(_l("No such file or folder."))))
            continue
        sources.extend(from_path(path, content_root))
    return import_sources(sources, author, archive_missing, default_language)


def import_upload(filename: str, data: bytes, author=None,
                  default_language: str = "en") -> ImportReport:
    """Import one uploaded .md or .zip file (the author's upload page).

    A module the upload replaced counts as edited even when the new text equals its draft,
    so an editor opened before the upload gets a conflict and sees the new version.
    """
    if filename.lower().endswith(".zip"):
        sources = from_zip(filename, data)
    elif filename.lower().endswith(MARKDOWN_SUFFIXES):
        sources = [Source(filename, data)]
    else:
        sources = [Source(filename, None, problem=Problem(
            _l("Upload a Markdown (.md) file or a .zip of them.")))]
    report = import_sources(sources, author, False, default_language)
    slugs = [f.slug for f in report.files if f.status == "updated"]
    if slugs:
        db.session.execute(update(Module).where(Module.slug.in_(slugs))
                           .values(edit_count=Module.edit_count + 1),
                           execution_options={"synchronize_session": False})
    return report


def import_sources(sources: list[Source], author, archive_missing: bool,
                   default_language: str) -> ImportReport:
    """Skills first, then modules, then paths (their steps refer to the modules)."""
    report = ImportReport()
    _import_skill_files([s for s in sources if _is_skills_file(s)], report)
    seen = _import_module_files(
        [s for s in sources if not _is_skills_file(s) and not _is_path_source(s)],
        author, default_language, report)
    _import_path_files([s for s in sources if _is_path_source(s)], report)
    if archive_missing:
        for module in db.session.scalars(select(Module).where(
                Module.slug.not_in(list(seen)), Module.status != "archived")):
            authoring.archive(module)
            report.archived.append(module.slug)
    db.session.flush()
    return report


def _is_skills_file(source: Source) -> bool:
    return source.name.endswith("skills.yml") and source.data is not None


def _is_path_source(source: Source) -> bool:
    return is_path_file(source.name) and source.data is not None


def _import_skill_files(sources: list[Source], report: ImportReport) -> None:
    for source in sources:
        result = skills.import_skills(source.data.decode("utf-8", "replace"), source.name)
        report.skills_messages.extend(f"error: {e}" for e in result.errors)
        report.skills_messages.append(
            f"{source.name}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged")


def _import_module_files(sources: list[Source], author, default_language: str,
                         report: ImportReport) -> set[str]:
    """Import the module files; return the slugs of the modules this import holds.

    A module is (source key, language), the key being the file name's slug: en/python.md and
    nl/python.md are two modules of one translation group. Files are parsed first, then
    stored with the default language's file of each key first, so that it keeps the bare
    slug (python) and the others get their language as a suffix (python-nl, python-zh-cn)
    whichever order the files come in.
    """
    results: list[FileResult | None] = [None] * len(sources)
    parsed_files: list[tuple[int, Source, str, ParsedModule]] = []
    seen: dict[tuple[str, str], str] = {}
    for index, source in enumerate(sources):
        key = slug_from_filename(source.name.rsplit(":", 1)[-1])
        if source.problem is not None:
            if source.skip:  # no module address: a skipped file (README.txt) never had one
                results[index] = FileResult(source.name, "", "skipped", [], [source.problem])
            else:
                results[index] = FileResult(source.name, key, "invalid", [source.problem])
            continue
        parsed = _parse(source, key, default_language)
        if source.folder_warning is not None:
            parsed.warnings.insert(0, source.folder_warning)
        if not parsed.ok:
            results[index] = FileResult(source.name, key, "invalid", parsed.errors,
                                        parsed.warnings)
            continue
        if (key, parsed.language) in seen:
            results[index] = FileResult(source.name, key, "invalid", [Problem(
                _l("The file name '%(slug)s' in %(language)s is already used by %(other)s in "
                   "this import.", slug=key, language=parsed.language,
                   other=seen[key, parsed.language]))])
            continue
        seen[key, parsed.language] = source.name
        parsed_files.append((index, source, key, parsed))
    default = languages.normalise(default_language) or default_language
    imported: list[tuple[Module, ParsedModule, FileResult]] = []
    for index, source, key, parsed in sorted(
            parsed_files, key=lambda f: (f[2], f[3].language != default, f[3].language)):
        result, module = _import_one(source, key, parsed, author)
        results[index] = result
        if module is not None:
            imported.append((module, parsed, result))
    report.files.extend(r for r in results if r is not None)
    _link_same_keys({module.source_key for module, _, _ in imported if module.source_key})
    _link_translations(imported)
    return {module.slug for module, _, _ in imported}


def _link_translations(imported: list[tuple[Module, ParsedModule, FileResult]]) -> None:
    """Link translation_of once every file is in, so the order of files does not matter.

    Two files that name each other (a -> b, b -> a, as the starter catalog does) are one
    pair. A longer chain that comes back to where it started (a -> b -> c -> a) says no
    module is the original: those links are not made, with a warning on each file's
    translation_of line."""
    links = {module.slug: parsed.translation_of for module, parsed, _ in imported
             if parsed.translation_of and parsed.translation_of != module.slug}
    for module, parsed, result in imported:
        translation_of = parsed.translation_of
        if not translation_of or translation_of == module.slug:
            continue
        line = parsed.key_lines.get("translation_of")
        if (cycle := _cycle(module.slug, links)) is not None:
            result.warnings.append(Problem(_l(
                "translation_of goes round in a circle (%(cycle)s), so no module is the "
                "original; these links are not made. Point every translation at the original.",
                cycle=" → ".join(cycle)), line=line, field="translation_of"))
        elif services.get_module(translation_of) is None:
            result.warnings.append(Problem(
                _l("translation_of points to '%(slug)s', which does not exist (yet).",
                   slug=translation_of), line=line, field="translation_of"))
        else:
            authoring.link_translation(module, translation_of)


def _cycle(start: str, links: dict[str, str | None]) -> list[str] | None:
    """The slugs from start back to start along translation_of, or None when the chain ends.

    Links of modules outside this import come from their current version (looked up once)."""
    chain, current = [start], links.get(start)
    while current is not None and current not in chain:
        chain.append(current)
        if current not in links:
            links[current] = db.session.scalar(
                select(ModuleVersion.translation_of).join(
                    Module, Module.current_version_id == ModuleVersion.id)
                .where(Module.slug == current))
        current = links[current]
    return [*chain, start] if current == start and len(chain) > 2 else None


def _link_same_keys(keys: set[str]) -> None:
    """Put the modules that share a file name (one per language) in one translation group."""
    if not keys:
        return
    by_key: dict[str, list[Module]] = {}
    for module in db.session.scalars(select(Module).where(Module.source_key.in_(keys))
                                     .order_by(Module.id)):
        by_key.setdefault(module.source_key, []).append(module)
    for key, modules in by_key.items():
        if len(modules) < 2:
            continue
        bare = next((m for m in modules if m.slug == key), modules[0])
        group = bare.translation_group or next(
            (m.translation_group for m in modules if m.translation_group), None) or bare.slug
        for module in modules:
            if module.translation_group != group:
                module.translation_group = group
                search_hooks.index_module(module)  # one search result per translation group


def _import_path_files(sources: list[Source], report: ImportReport) -> None:
    for source in sources:
        try:
            text = source.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.files.append(FileResult(source.name, "", "invalid",
                                           [Problem(_l("The file is not UTF-8 text."))]))
            continue
        report.files.append(_path_files["import"](text, source.name.rsplit(":", 1)[-1]))


def _parse(source: Source, key: str, default_language: str) -> ParsedModule:
    """Parse a file; one that names no language (no folder, no front matter) takes the
    language of the module it updates, as a single uploaded file does."""
    parsed = parse_module(source.data, source.name.rsplit(":", 1)[-1],
                          default_language=default_language,
                          folder_language=source.folder_language)
    states_language = source.folder_language or any(
        parsed.front_matter.get(k) is not None
        and languages.normalise(str(parsed.front_matter[k])) for k in ("language", "lang"))
    if parsed.ok and not states_language:
        existing = db.session.scalars(select(Module.language).where(
            Module.source_key == key).order_by(Module.language != parsed.language,
                                               Module.id)).first()
        if existing is not None and existing != parsed.language:
            parsed = parse_module(source.data, source.name.rsplit(":", 1)[-1],
                                  default_language=existing)
    known = skills.known_skill_slugs()
    for skill in parsed.skills:
        if skill not in known:
            parsed.warnings.append(Problem(_l(
                "Unknown skill '%(skill)s': add it to skills.yml first; it is ignored.",
                skill=skill)))
    return parsed


def _find(key: str, language: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.source_key == key,
                                                  Module.language == language))


def _new_slug(key: str, language: str) -> str:
    """The bare key when free, else key-language (python-nl, python-zh-cn), else numbered."""
    suffix = languages.slug_suffix(language)
    base = key[:SLUG_MAX]
    candidates = [base, f"{key[:SLUG_MAX - len(suffix) - 1]}-{suffix}"]
    candidates += [f"{key[:SLUG_MAX - len(suffix) - 2 - len(str(n))]}-{suffix}-{n}"
                   for n in range(2, 100)]
    return next(c for c in candidates if services.get_module(c) is None)


def _import_one(source: Source, key: str, parsed: ParsedModule, author):
    module = _find(key, parsed.language)
    with db.session.begin_nested():
        if module is None:
            slug = _new_slug(key, parsed.language)
            module = Module(slug=slug, source_key=key, language=parsed.language,
                            status="draft", asset_dir=source.asset_dir, edit_count=1)
            db.session.add(module)
            db.session.flush()
            status = "created"
            if slug != key:
                parsed.warnings.insert(0, Problem(_l(
                    "The address '%(key)s' is taken by another language's module; this "
                    "%(language)s module is at '%(slug)s'.", key=key,
                    language=parsed.language, slug=slug)))
        elif module.current_version is not None and \
                module.current_version.content_hash == parsed.content_hash:
            return FileResult(source.name, module.slug, "unchanged", [], parsed.warnings), module
        else:
            status = "updated"
        if source.asset_dir:
            module.asset_dir = source.asset_dir
        was_archived = module.status == "archived"
        authoring.publish_parsed(module, parsed, author, link=False)
        if was_archived:
            module.status = "archived"  # importing never revives an archived module silently
    return FileResult(source.name, module.slug, status, [], parsed.warnings), module


def export_modules(target: Path) -> int:
    """Write every module's current version as Markdown: modules/<language>/<slug>.md."""
    count = 0
    modules = db.session.scalars(select(Module).where(Module.current_version_id.is_not(None))
                                 .order_by(Module.slug)).all()
    for module in modules:
        folder = target / "modules" / module.language
        folder.mkdir(parents=True, exist_ok=True)
        # Under the name it was imported from, so en/python.md and nl/python.md come back as
        # one translation group with the same addresses.
        key = module.source_key or module.slug
        (folder / f"{key}.md").write_text(
            assets.portable_text(module.current_version.source, folder, key),
            encoding="utf-8", newline="\n")
        count += 1
    skills.export_skills(target)
    _path_files["export"](target)
    return count
