"""`learnpath content import` and `export`: Markdown files, folders and .zip archives."""

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select, update

from learnpath.extensions import db
from learnpath.modules import authoring, languages, search_hooks, services
from learnpath.modules.models import Module
from learnpath.modules.parsing import (
    MAX_FILE_BYTES,
    ParsedModule,
    parse_module,
    slug_from_filename,
)
from learnpath.modules.problems import Problem
from learnpath.modules.services import SLUG_MAX
from learnpath.skills import services as skills
from learnpath.web.i18n import lazy_text as _l

MAX_ZIP_ENTRIES = 2000
MAX_ZIP_TOTAL = 64 * 1024 * 1024  # uncompressed bytes read from one archive
MARKDOWN_SUFFIXES = (".md", ".markdown")


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


@dataclass
class _Source:
    name: str
    data: bytes | None
    folder_language: str | None
    asset_dir: str | None
    problem: Problem | None = None
    skip: bool = False  # not an error: a file the import does not handle
    folder_warning: Problem | None = None  # a folder named like a language that is none


def _language_of(parts) -> tuple[str | None, Problem | None]:
    """The language of the nearest folder named after one (en/, zh-cn/, pt_BR/), and a
    warning for a nearer folder that looks like a language code but is none (xx/)."""
    warning = None
    for part in reversed(list(parts)[:-1]):
        if (tag := languages.normalise(part)) is not None:
            return tag, warning
        if warning is None and languages.looks_like_folder_language(part):
            warning = Problem(_l("The folder %(folder)s is not a known language code; the file "
                                 "gets the default language.", folder=part))
    return None, warning


def _from_path(path: Path, content_root: Path | None) -> list[_Source]:
    sources: list[_Source] = []
    if path.is_dir():
        skills_file = path / "skills.yml"
        if skills_file.is_file():
            sources.append(_Source(str(skills_file), skills_file.read_bytes(), None, None))
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES
                       and p.is_file() and not any(x.startswith(".") for x in p.parts))
        for file in files:
            sources.extend(_from_path(file, content_root))
        for file in sorted(path.rglob("*.yml")):
            if file.parent.name == "paths" and file.is_file():
                sources.append(_Source(str(file), file.read_bytes(), None, None))
        return sources
    if path.suffix.lower() == ".zip":
        return _from_zip(path.name, path.read_bytes())
    if path.name == "skills.yml":
        return [_Source(str(path), path.read_bytes(), None, None)]
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        return [_Source(str(path), None, None, None,
                        Problem(_l("Not a Markdown (.md) file; skipped.")), skip=True)]
    if path.stat().st_size > MAX_FILE_BYTES:
        return [_Source(str(path), None, None, None, Problem(
            _l("The file is larger than the limit of %(limit)d KB.",
               limit=MAX_FILE_BYTES // 1024)))]
    asset_dir = None
    resolved = path.resolve()
    if content_root is not None:
        try:
            asset_dir = resolved.parent.relative_to(content_root.resolve()).as_posix()
        except ValueError:
            asset_dir = None
    language, warning = _language_of(resolved.parts)
    return [_Source(str(path), path.read_bytes(), language, asset_dir, folder_warning=warning)]


def _from_zip(name: str, data: bytes) -> list[_Source]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [_Source(name, None, None, None, Problem(_l("This is not a valid .zip file.")))]
    sources: list[_Source] = []
    total = 0
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return [_Source(name, None, None, None, Problem(
            _l("The archive has more than %(max)d files.", max=MAX_ZIP_ENTRIES)))]
    for info in entries:
        if info.is_dir():
            continue
        label = f"{name}:{info.filename}"
        entry = PurePosixPath(info.filename.replace("\\", "/"))
        if entry.is_absolute() or ".." in entry.parts or (entry.parts and ":" in entry.parts[0]):
            sources.append(_Source(label, None, None, None, Problem(
                _l("Unsafe path in the archive (absolute or with '..'); refused."))))
            continue
        if entry.name == "skills.yml" or (entry.suffix == ".yml" and entry.parent.name == "paths"):
            data = _read_entry(archive, info)
            sources.append(_Source(label, data, None, None, None if data is not None else
                                   Problem(_l("This archive entry cannot be read."))))
            continue
        if entry.suffix.lower() not in MARKDOWN_SUFFIXES:
            sources.append(_Source(label, None, None, None,
                                   Problem(_l("Not a Markdown (.md) file; skipped.")), skip=True))
            continue
        if info.file_size > MAX_FILE_BYTES:
            sources.append(_Source(label, None, None, None, Problem(
                _l("The file is larger than the limit of %(limit)d KB.",
                   limit=MAX_FILE_BYTES // 1024))))
            continue
        total += info.file_size
        if total > MAX_ZIP_TOTAL:
            sources.append(_Source(label, None, None, None, Problem(
                _l("The archive unpacks to more than %(limit)d MB; the rest is not read.",
                   limit=MAX_ZIP_TOTAL // (1024 * 1024)))))
            break
        data = _read_entry(archive, info)
        if data is None:
            sources.append(_Source(label, None, None, None, Problem(
                _l("This archive entry cannot be read (damaged or encrypted)."))))
            continue
        language, warning = _language_of(entry.parts)
        sources.append(_Source(label, data, language, None, folder_warning=warning))
    return sources


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """Read one entry, or None when it is damaged, encrypted or lies about its size."""
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError,
            ValueError):
        return None
    return data


def import_paths(paths, author=None, archive_missing: bool = False,
                 content_root: Path | None = None, default_language: str = "en") -> ImportReport:
    """Import files, folders or .zip archives; report per file; never delete."""
    sources: list[_Source] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            sources.append(_Source(str(path), None, None, None,
                                   Problem(_l("No such file or folder."))))
            continue
        sources.extend(_from_path(path, content_root))
    return import_sources(sources, author, archive_missing, default_language)


def import_upload(filename: str, data: bytes, author=None,
                  default_language: str = "en") -> ImportReport:
    """Import one uploaded .md or .zip file (the author's upload page).

    A module the upload replaced counts as edited even when the new text equals its draft,
    so an editor opened before the upload gets a conflict and sees the new version.
    """
    if filename.lower().endswith(".zip"):
        sources = _from_zip(filename, data)
    elif filename.lower().endswith(MARKDOWN_SUFFIXES):
        sources = [_Source(filename, data, None, None)]
    else:
        sources = [_Source(filename, None, None, None,
                           Problem(_l("Upload a Markdown (.md) file or a .zip of them.")))]
    report = import_sources(sources, author, False, default_language)
    slugs = [f.slug for f in report.files if f.status == "updated"]
    if slugs:
        db.session.execute(update(Module).where(Module.slug.in_(slugs))
                           .values(edit_count=Module.edit_count + 1),
                           execution_options={"synchronize_session": False})
    return report


def import_sources(sources: list[_Source], author, archive_missing: bool,
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


def _is_skills_file(source: _Source) -> bool:
    return source.name.endswith("skills.yml") and source.data is not None


def _is_path_source(source: _Source) -> bool:
    return _is_path_file(source.name) and source.data is not None


def _import_skill_files(sources: list[_Source], report: ImportReport) -> None:
    for source in sources:
        result = skills.import_skills(source.data.decode("utf-8", "replace"), source.name)
        report.skills_messages.extend(f"error: {e}" for e in result.errors)
        report.skills_messages.append(
            f"{source.name}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged")


def _import_module_files(sources: list[_Source], author, default_language: str,
                         report: ImportReport) -> set[str]:
    """Import the module files; return the slugs of the modules this import holds.

    A module is (source key, language), the key being the file name's slug: en/python.md and
    nl/python.md are two modules of one translation group. Files are parsed first, then
    stored with the default language's file of each key first, so that it keeps the bare
    slug (python) and the others get their language as a suffix (python-nl, python-zh-cn)
    whichever order the files come in.
    """
    results: list[FileResult | None] = [None] * len(sources)
    parsed_files: list[tuple[int, _Source, str, ParsedModule]] = []
    seen: dict[tuple[str, str], str] = {}
    for index, source in enumerate(sources):
        key = slug_from_filename(source.name.rsplit(":", 1)[-1])
        if source.problem is not None:
            if source.skip:
                results[index] = FileResult(source.name, key, "skipped", [], [source.problem])
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
    imported: list[tuple[Module, str | None, FileResult]] = []
    for index, source, key, parsed in sorted(
            parsed_files, key=lambda f: (f[2], f[3].language != default, f[3].language)):
        result, module = _import_one(source, key, parsed, author)
        results[index] = result
        if module is not None:
            imported.append((module, parsed.translation_of, result))
    report.files.extend(r for r in results if r is not None)
    _link_same_keys({module.source_key for module, _, _ in imported if module.source_key})
    # Link translations once every file is in, so the order of files does not matter.
    for module, translation_of, result in imported:
        if (translation_of and translation_of != module.slug
                and services.get_module(translation_of) is None):
            result.warnings.append(Problem(
                _l("translation_of points to '%(slug)s', which does not exist (yet).",
                   slug=translation_of), field="translation_of"))
        authoring.link_translation(module, translation_of)
    return {module.slug for module, _, _ in imported}


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


def _import_path_files(sources: list[_Source], report: ImportReport) -> None:
    for source in sources:
        try:
            text = source.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.files.append(FileResult(source.name, "", "invalid",
                                           [Problem(_l("The file is not UTF-8 text."))]))
            continue
        report.files.append(_path_files["import"](text, source.name.rsplit(":", 1)[-1]))


def _is_path_file(name: str) -> bool:
    entry = PurePosixPath(name.rsplit(":", 1)[-1].replace("\\", "/"))
    return entry.suffix == ".yml" and entry.parent.name == "paths"


def _parse(source: _Source, key: str, default_language: str) -> ParsedModule:
    """Parse a file; one that names no language (no folder, no front matter) takes the
    language of the module it updates, as a single uploaded file does."""
    parsed = parse_module(source.data, source.name.rsplit(":", 1)[-1],
                          default_language=default_language,
                          folder_language=source.folder_language)
    states_language = source.folder_language or any(
        parsed.front_matter.get(k) is not None for k in ("language", "lang"))
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


def _import_one(source: _Source, key: str, parsed: ParsedModule, author):
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
        authoring.publish_parsed(module, parsed, author)
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
        (folder / f"{module.source_key or module.slug}.md").write_text(
            module.current_version.source, encoding="utf-8", newline="\n")
        count += 1
    skills.export_skills(target)
    _path_files["export"](target)
    return count
