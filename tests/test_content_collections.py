"""Real collections import as they are (issue 17): every file found is reported, twice
changes nothing, export and import into a fresh database round-trips every module and
translation link, and each kind of bad input gets a located message while the rest goes on.

The collections are in tests/data/collection and tests/data/bad-input; files too big, zips,
symbolic links and other encodings are made in tmp_path by the tests themselves.
"""

import io
import os
import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from learnpath import create_app
from learnpath.extensions import db
from learnpath.modules.importer import import_paths
from learnpath.modules.models import Module, ModuleVersion

DATA = Path(__file__).resolve().parent / "data"
COLLECTION = DATA / "collection"
BAD = DATA / "bad-input"
GOOD = b"---\ntitle: Good\nlanguage: en\n---\n\nText.\n"
FEEDBACK = {"giving-feedback": "en", "giving-feedback-nl": "nl", "giving-feedback-ar": "ar",
            "giving-feedback-pt-br": "pt-BR", "giving-feedback-zh-cn": "zh-CN"}


def _by_name(report, root: Path | None = None) -> dict:
    def name(result):
        text = result.name.split(":", 1)[-1] if ".zip:" in result.name else result.name
        return Path(text).relative_to(root).as_posix() if root else text
    return {name(f): f for f in report.files}


def _snapshot() -> dict[str, tuple]:
    """Every module with what a round trip must keep: language, title, source key, and its
    translation group as the set of its members (group names are an internal detail)."""
    modules = list(db.session.scalars(select(Module)))
    groups: dict[str, set[str]] = {}
    for module in modules:
        if module.translation_group:
            groups.setdefault(module.translation_group, set()).add(module.slug)
    return {m.slug: (m.language, m.current_version.title, m.source_key,
                     frozenset(groups.get(m.translation_group, {m.slug})))
            for m in modules}


# The multilingual collection -----------------------------------------------------------------

def test_every_file_found_is_reported_and_what_is_not_imported_says_why(app):
    report = import_paths([COLLECTION])
    files = _by_name(report, COLLECTION)
    assert report.ok, {n: [str(e) for e in f.errors] for n, f in files.items()}
    skipped = {n: str(f.warnings[0]) for n, f in files.items() if f.status == "skipped"}
    assert set(skipped) == {".drafts", "README.txt", "assets/diagram.csv"}
    assert "hidden folder" in skipped[".drafts"]
    assert "Not a Markdown" in skipped["README.txt"]
    markdown = sorted(p.relative_to(COLLECTION).as_posix() for p in COLLECTION.rglob("*.md")
                      if ".drafts" not in p.parts)
    assert sorted(n for n, f in files.items() if f.status == "created") == markdown
    assert services_slugs() >= set(FEEDBACK)


def services_slugs() -> set[str]:
    return set(db.session.scalars(select(Module.slug)))


def test_language_folders_with_shared_names_become_one_group_with_real_languages(app):
    import_paths([COLLECTION])
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    assert {slug: modules[slug].language for slug in FEEDBACK} == FEEDBACK
    assert {modules[slug].translation_group for slug in FEEDBACK} == {"giving-feedback"}
    assert modules["een-op-een"].translation_group == modules["one-to-one"].translation_group
    assert modules["giving-feedback-ar"].current_version.title == "ملاحظات تصل إلى هدفها"
    # Episodes sit in a folder that is no language: the default language.
    assert modules["01-introduction"].language == "en"
    # The only heading is "Further reading", further down: the file name is the title.
    assert modules["reading-list"].current_version.title == "Reading list"


def test_importing_the_collection_twice_changes_nothing(app):
    import_paths([COLLECTION])
    db.session.commit()
    before, versions = _snapshot(), db.session.scalar(select(func.count(ModuleVersion.id)))
    again = import_paths([COLLECTION])
    db.session.commit()
    statuses = {f.status for f in again.files}
    assert statuses == {"unchanged", "skipped"}, [(f.name, f.status) for f in again.files]
    assert db.session.scalar(select(func.count(ModuleVersion.id))) == versions
    assert _snapshot() == before


def test_export_and_import_into_a_fresh_database_round_trips_modules_and_links(
        app, runner, tmp_path):
    assert runner.invoke(args=["content", "import", str(COLLECTION)]).exit_code == 0
    before = _snapshot()
    assert len(before) == 12
    exported = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert exported.exit_code == 0 and "Exported 12 modules" in exported.output

    fresh = create_app({"TESTING": True,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                        "SEARCH_INDEX_DIR": str(tmp_path / "fresh-index")})
    with fresh.app_context():
        db.create_all()
        result = fresh.test_cli_runner().invoke(
            args=["content", "import", str(tmp_path / "out" / "modules")])
        assert result.exit_code == 0, result.output
        assert "12 created" in result.output
        assert _snapshot() == before
        db.session.remove()
        db.engine.dispose()


def test_the_cli_lists_skipped_files_with_their_reason(app, runner):
    output = runner.invoke(args=["content", "import", str(COLLECTION)]).output
    assert f"skipped   {COLLECTION / '.drafts'}: A hidden folder" in output
    assert f"skipped   {COLLECTION / 'assets' / 'diagram.csv'}: Not a Markdown" in output


def test_a_key_with_another_meaning_is_a_located_warning_with_a_fallback(app):
    report = import_paths([COLLECTION / "en" / "scheme-basics.md"])
    result = report.files[0]
    assert result.status == "created" and not result.errors
    warnings = {w.line: str(w) for w in result.warnings}
    assert "title and name are both set" in warnings[3]
    assert "Scheme is not a language code" in warnings[4] and "programming" in warnings[4]
    module = db.session.scalar(select(Module).where(Module.slug == "scheme-basics"))
    assert (module.language, module.current_version.title) == ("en", "Scheme in ten expressions")


def test_two_files_naming_each_other_are_one_pair_without_a_warning(app, tmp_path):
    for name, other in (("pair-a", "pair-b"), ("pair-b", "pair-a")):
        (tmp_path / f"{name}.md").write_bytes(GOOD.replace(b"---\n\n", (
            f"translation_of: {other}\n---\n\n").encode()))
    report = import_paths([tmp_path / "pair-a.md", tmp_path / "pair-b.md"])
    assert [f.warnings for f in report.files] == [[], []]
    groups = {m.translation_group for m in db.session.scalars(select(Module))}
    assert len(groups) == 1 and None not in groups


def test_the_module_page_lists_every_translation_and_the_arabic_one_is_rtl(client, login_as):
    import_paths([COLLECTION])
    db.session.commit()
    login_as()
    html = client.get("/modules/giving-feedback-ar").get_data(as_text=True)
    assert '<article class="module" lang="ar" dir="rtl">' in html
    for slug, language in FEEDBACK.items():
        if slug != "giving-feedback-ar":
            assert f'href="/modules/{slug}" hreflang="{language}"' in html
    # The title reads with the text (right to left); the meta line and "Also in" are the UI's.
    assert '<p class="meta" lang="en" dir="ltr">' in html
    assert 'class="also-in" aria-labelledby="also-in-label" lang="en"' in html
    assert html.count("<h1") == 1


def test_a_title_only_in_the_front_matter_still_heads_the_page(client, login_as):
    import_paths([COLLECTION / "episodes"])
    db.session.commit()
    login_as()
    html = client.get("/modules/01-introduction").get_data(as_text=True)
    assert '<header class="module-head">\n    <h1>Introducing the Shell</h1>' in html
    assert html.count("<h1") == 1


# Bad input -----------------------------------------------------------------------------------

def test_bad_files_get_located_messages_and_the_rest_is_imported(app):
    files = _by_name(import_paths([BAD]), BAD)
    assert files["fine.md"].status == "created"
    for name in ("cycle-a.md", "cycle-b.md", "cycle-c.md"):
        result = files[name]
        assert result.status == "created"
        (warning,) = result.warnings
        assert warning.line == 4 and "circle" in str(warning)
    assert "cycle-a → cycle-b → cycle-c → cycle-a" in str(files["cycle-a.md"].warnings[0])
    assert {m.translation_group for m in db.session.scalars(select(Module))} == {None}
    (warning,) = files["unclosed-div.md"].warnings
    assert warning.line == 8 and "never closed" in str(warning)
    module = db.session.scalar(select(Module).where(Module.slug == "unclosed-div"))
    assert "<aside" not in module.current_version.html
    assert "shown as ordinary text" in module.current_version.html
    broken = files["invalid-yaml.md"]
    assert broken.status == "invalid" and broken.errors[0].line == 4
    assert "not valid YAML" in str(broken.errors[0])


def test_a_50_mb_file_is_refused_with_its_size_without_being_read(app, tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "fine.md").write_bytes(GOOD)
    with (folder / "huge.md").open("wb") as handle:
        handle.write(b"# Huge\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        files = _by_name(import_paths([folder]), folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert files["fine.md"].status == "created"
    assert files["huge.md"].status == "invalid"
    message = str(files["huge.md"].errors[0])
    assert "50.0 MB" in message and "256 KB" in message
    assert peak < 10 * 1024 * 1024


def _zip(entries: dict[str, bytes], links: dict[str, str] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in dict(links).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def test_a_zip_refuses_unsafe_paths_and_skips_links_and_hidden_folders(app, tmp_path):
    path = tmp_path / "collection.zip"
    path.write_bytes(_zip({
        "en/good.md": GOOD,
        "../../etc/escape.md": GOOD,
        "/absolute.md": GOOD,
        "C:/windows.md": GOOD,
        ".git/config": b"[core]\n",
        ".git/HEAD": b"ref: refs/heads/main\n",
        "en/.hidden.md": GOOD,
    }, links={"en/passwd.md": "/etc/passwd"}))
    files = _by_name(import_paths([path]))
    assert files["en/good.md"].status == "created"
    for name in ("../../etc/escape.md", "/absolute.md", "C:/windows.md"):
        assert files[name].status == "invalid"
        assert "Unsafe path" in str(files[name].errors[0])
    assert files[".git/"].status == "skipped" and ".git/config" not in files
    assert "symbolic link" in str(files["en/passwd.md"].warnings[0])
    assert files["en/.hidden.md"].status == "skipped"
    assert not (tmp_path.parent / "etc").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symbolic_links_are_reported_and_never_followed(app, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_bytes(GOOD)
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "real.md").write_bytes(GOOD)
    (folder / "link.md").symlink_to(folder / "real.md")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    files = _by_name(import_paths([folder]), folder)
    assert files["real.md"].status == "created"
    for name in ("link.md", "elsewhere"):
        assert files[name].status == "skipped"
        assert "never followed" in str(files[name].warnings[0])
    assert "secret" not in services_slugs()


def test_a_file_in_another_encoding_names_its_first_bad_byte(app, tmp_path):
    folder = tmp_path / "encodings"
    folder.mkdir()
    (folder / "latin1.md").write_bytes("---\ntitle: Café\n---\n\nÉtude en français.\n"
                                       .encode("latin-1"))
    (folder / "fine.md").write_bytes(GOOD)
    files = _by_name(import_paths([folder]), folder)
    assert files["fine.md"].status == "created"
    (error,) = files["latin1.md"].errors
    assert (error.line, error.column) == (2, 11)
    assert "not UTF-8" in str(error) and "0xE9" in str(error) and "offset 14" in str(error)
