"""`learnpath content import` and `export`: Markdown files, folders and .zip archives."""

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select, update

from learnpath.extensions import db
from learnpath.modules import authoring, services
from learnpath.modules.frontmatter import LANGUAGES
from learnpath.modules.models import Module
from learnpath.modules.parsing import MAX_FILE_BYTES, parse_module, slug_from_filename
from learnpath.modules.problems import Problem
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


def _language_of(parts) -> str | None:
    for part in reversed(list(parts)[:-1]):
        if part in LANGUAGES:
            return part
    return None


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
    return [_Source(str(path), path.read_bytes(), _language_of(resolved.parts), asset_dir)]


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
        sources.append(_Source(label, data, _language_of(entry.parts), None))
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
                         report: ImportReport) -> dict[str, str]:
    """Import the module files; return {slug: file name} of those this import holds."""
    seen: dict[str, str] = {}
    imported: list[tuple[Module, str | None, FileResult]] = []
    for source in sources:
        slug = slug_from_filename(source.name.rsplit(":", 1)[-1])
        if source.problem is not None:
            if source.skip:
                report.files.append(FileResult(source.name, slug, "skipped", [],
                                               [source.problem]))
            else:
                report.files.append(FileResult(source.name, slug, "invalid", [source.problem]))
            continue
        if slug in seen:
            report.files.append(FileResult(source.name, slug, "invalid", [Problem(
                _l("The slug '%(slug)s' is already used by %(other)s in this import.",
                   slug=slug, other=seen[slug]))]))
            continue
        seen[slug] = source.name
        result, module, translation_of = _import_one(source, slug, author, default_language)
        report.files.append(result)
        if module is not None:
            imported.append((module, translation_of, result))
    # Link translations once every file is in, so the order of files does not matter.
    for module, translation_of, result in imported:
        if (translation_of and translation_of != module.slug
                and services.get_module(translation_of) is None):
            result.warnings.append(Problem(
                _l("translation_of points to '%(slug)s', which does not exist (yet).",
                   slug=translation_of), field="translation_of"))
        authoring.link_translation(module, translation_of)
    return seen


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


def _import_one(source: _Source, slug: str, author, default_language: str):
    module = services.get_module(slug)
    language = source.folder_language or (module.language if module else default_language)
    parsed = parse_module(source.data, source.name.rsplit(":", 1)[-1],
                                   default_language=language,
                                   folder_language=source.folder_language)
    known = skills.known_skill_slugs()
    for skill in parsed.skills:
        if skill not in known:
            parsed.warnings.append(Problem(_l(
                "Unknown skill '%(skill)s': add it to skills.yml first; it is ignored.",
                skill=skill)))
    if not parsed.ok:
        return FileResult(source.name, slug, "invalid", parsed.errors, parsed.warnings), None, None
    with db.session.begin_nested():
        if module is None:
            module = Module(slug=slug, language=parsed.language, status="draft",
                                     asset_dir=source.asset_dir, edit_count=1)
            db.session.add(module)
            db.session.flush()
            status = "created"
        elif module.current_version is not None and \
                module.current_version.content_hash == parsed.content_hash:
            return (FileResult(source.name, slug, "unchanged", [], parsed.warnings), module,
                    parsed.translation_of)
        else:
            status = "updated"
        if source.asset_dir:
            module.asset_dir = source.asset_dir
        was_archived = module.status == "archived"
        authoring.publish_parsed(module, parsed, author)
        if was_archived:
            module.status = "archived"  # importing never revives an archived module silently
    return FileResult(source.name, slug, status, [], parsed.warnings), module, \
        parsed.translation_of


def export_modules(target: Path) -> int:
    """Write every module's current version as Markdown: modules/<language>/<slug>.md."""
    count = 0
    modules = db.session.scalars(select(Module).where(Module.current_version_id.is_not(None))
                                 .order_by(Module.slug)).all()
    for module in modules:
        folder = target / "modules" / module.language
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{module.slug}.md").write_text(module.current_version.source, encoding="utf-8",
                                                  newline="\n")
        count += 1
    skills.export_skills(target)
    _path_files["export"](target)
    return count
