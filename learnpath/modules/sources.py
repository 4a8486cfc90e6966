"""What an import finds: the files of a folder or a .zip, each read or skipped with a reason.

Every file found is accounted for: Markdown and the .yml files the import knows are read
(at most MAX_FILE_BYTES each, never more into memory), everything else comes back as
skipped or refused with the reason, so the import report lists it. A walk never follows a
symbolic link and never enters a hidden folder (.git, .github); both are reported once.
"""

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from learnpath.modules import languages
from learnpath.modules.parsing import MAX_FILE_BYTES
from learnpath.modules.problems import Problem, too_large
from learnpath.web.i18n import lazy_text as _l

MAX_ZIP_ENTRIES = 2000
MAX_ZIP_TOTAL = 64 * 1024 * 1024  # uncompressed bytes read from one archive
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class Source:
    name: str
    data: bytes | None
    folder_language: str | None = None
    asset_dir: str | None = None
    problem: Problem | None = None
    skip: bool = False  # not an error: a file the import does not handle
    folder_warning: Problem | None = None  # a folder named like a language that is none


def _skipped(name: str, reason) -> Source:
    return Source(name, None, problem=Problem(reason), skip=True)


def _refused(name: str, problem: Problem) -> Source:
    return Source(name, None, problem=problem)


NOT_MARKDOWN = _l("Not a Markdown (.md) file; skipped.")
HIDDEN_FOLDER = _l("A hidden folder (its name starts with a dot); nothing in it is imported.")
HIDDEN_FILE = _l("A hidden file (its name starts with a dot); skipped.")
SYMLINK = _l("A symbolic link; links are never followed, so it is skipped.")
NOT_A_FILE = _l("Not a regular file; skipped.")
NESTED_SKILLS = _l("A skills.yml is read only at the top of the imported folder; skipped.")


def language_of(parts) -> tuple[str | None, Problem | None]:
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


def is_path_file(name: str) -> bool:
    """A growth path: paths/<name>.yml."""
    entry = PurePosixPath(name.rsplit(":", 1)[-1].replace("\\", "/"))
    return entry.suffix == ".yml" and entry.parent.name == "paths"


# Folders and files on disk -------------------------------------------------------------------

def _walk(folder: Path):
    """Yield (path, reason) depth first in name order; reason is None for a file to consider.

    Symbolic links and hidden entries are yielded once with their reason, never entered."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield folder, _l("This folder cannot be read: %(reason)s.", reason=exc.strerror or exc)
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_symlink():
            yield path, SYMLINK
        elif entry.is_dir(follow_symlinks=False):
            if entry.name.startswith("."):
                yield path, HIDDEN_FOLDER
            else:
                yield from _walk(path)
        elif entry.name.startswith("."):
            yield path, HIDDEN_FILE
        elif entry.is_file(follow_symlinks=False):
            yield path, None
        else:
            yield path, NOT_A_FILE


def read_limited(path: Path) -> bytes | Problem:
    """The file's bytes, or the problem: larger than the limit (never read whole) or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return too_large(size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Problem(_l("This file cannot be read: %(reason)s.", reason=exc.strerror or exc))
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        return too_large(len(data))
    return data


def _read_source(path: Path, **kwargs) -> Source:
    data = read_limited(path)
    if isinstance(data, Problem):
        return _refused(str(path), data)
    return Source(str(path), data, **kwargs)


def from_folder(folder: Path, content_root: Path | None) -> list[Source]:
    sources: list[Source] = []
    for path, reason in _walk(folder):
        if reason is not None:
            sources.append(_skipped(str(path), reason))
        elif path.name == "skills.yml":
            sources.append(_read_source(path) if path.parent == folder
                           else _skipped(str(path), NESTED_SKILLS))
        elif is_path_file(path.as_posix()):
            sources.append(_read_source(path))
        elif path.suffix.lower() in MARKDOWN_SUFFIXES:
            sources.append(_markdown_file(path, content_root))
        else:
            sources.append(_skipped(str(path), NOT_MARKDOWN))
    # Skills first: modules refer to them (the importer also sorts, this keeps reports tidy).
    return sorted(sources, key=lambda s: not s.name.endswith("skills.yml"))


def _markdown_file(path: Path, content_root: Path | None) -> Source:
    asset_dir = None
    resolved = path.resolve()
    if content_root is not None:
        try:
            asset_dir = resolved.parent.relative_to(content_root.resolve()).as_posix()
        except ValueError:
            asset_dir = None
    language, warning = language_of(resolved.parts)
    return _read_source(path, folder_language=language, asset_dir=asset_dir,
                        folder_warning=warning)


def from_path(path: Path, content_root: Path | None) -> list[Source]:
    """One path named by the user: a folder, a .zip, skills.yml or a Markdown file.

    A path named explicitly is used even when it is a symbolic link (a content folder
    mounted elsewhere); inside it, links are never followed."""
    if path.is_dir():
        return from_folder(path, content_root)
    if path.suffix.lower() == ".zip":
        try:
            size = path.stat().st_size
            if size > MAX_ZIP_TOTAL:
                return [_refused(str(path), too_large(size, MAX_ZIP_TOTAL))]
            return from_zip(path.name, path.read_bytes())
        except OSError as exc:
            return [_refused(str(path), Problem(_l("This file cannot be read: %(reason)s.",
                                                   reason=exc.strerror or exc)))]
    if path.name == "skills.yml" or is_path_file(path.as_posix()):
        return [_read_source(path)]
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        return [_skipped(str(path), NOT_MARKDOWN)]
    return [_markdown_file(path, content_root)]


# Zip archives --------------------------------------------------------------------------------

def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def from_zip(name: str, data: bytes) -> list[Source]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [_refused(name, Problem(_l("This is not a valid .zip file.")))]
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return [_refused(name, Problem(
            _l("The archive has more than %(max)d files.", max=MAX_ZIP_ENTRIES)))]
    sources: list[Source] = []
    hidden_folders: set[str] = set()
    total = 0
    for info in entries:
        if info.is_dir():
            continue
        label = f"{name}:{info.filename}"
        entry = PurePosixPath(info.filename.replace("\\", "/"))
        if entry.is_absolute() or ".." in entry.parts or (entry.parts and ":" in entry.parts[0]):
            sources.append(_refused(label, Problem(
                _l("Unsafe path in the archive (absolute or with '..'); refused."))))
            continue
        hidden = next((i for i, p in enumerate(entry.parts[:-1]) if p.startswith(".")), None)
        if hidden is not None:  # reported once for the folder, like on disk
            folder = "/".join(entry.parts[:hidden + 1])
            if folder not in hidden_folders:
                hidden_folders.add(folder)
                sources.append(_skipped(f"{name}:{folder}/", HIDDEN_FOLDER))
            continue
        skip = _zip_skip_reason(info, entry)
        if skip is not None:
            sources.append(_skipped(label, skip))
            continue
        if info.file_size > MAX_FILE_BYTES:
            sources.append(_refused(label, too_large(info.file_size)))
            continue
        total += info.file_size
        if total > MAX_ZIP_TOTAL:
            sources.append(_refused(label, Problem(
                _l("The archive unpacks to more than %(limit)d MB; the rest is not read.",
                   limit=MAX_ZIP_TOTAL // (1024 * 1024)))))
            break
        sources.append(_zip_source(archive, info, label, entry))
    return sources


def _zip_skip_reason(info: zipfile.ZipInfo, entry: PurePosixPath):
    if _is_symlink(info):
        return SYMLINK
    if entry.name.startswith("."):
        return HIDDEN_FILE
    if entry.name == "skills.yml" or is_path_file(entry.as_posix()):
        return None
    if entry.suffix.lower() not in MARKDOWN_SUFFIXES:
        return NOT_MARKDOWN
    return None


def _zip_source(archive, info, label: str, entry: PurePosixPath) -> Source:
    data = _read_entry(archive, info)
    if data is None:
        return _refused(label, Problem(
            _l("This archive entry cannot be read (damaged or encrypted).")))
    if len(data) > MAX_FILE_BYTES:  # the entry lied about its size
        return _refused(label, too_large(len(data)))
    if entry.suffix.lower() not in MARKDOWN_SUFFIXES:
        return Source(label, data)
    language, warning = language_of(entry.parts)
    return Source(label, data, folder_language=language, folder_warning=warning)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """Read one entry (at most one byte past the limit), or None when damaged or encrypted."""
    try:
        with archive.open(info) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError,
            ValueError):
        return None
