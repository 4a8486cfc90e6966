"""A module is (slug, language): language folders with shared file names import as one
translation group with distinct addresses, twice changes nothing, and a file in one
language never touches a module in another (issue 17, DESIGN section 5)."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from learnpath.extensions import db
from learnpath.modules import authoring, services
from learnpath.modules.importer import export_modules, import_paths, import_upload
from learnpath.modules.languages import normalise
from learnpath.modules.models import Module, ModuleVersion
from learnpath.modules.parsing import slug_from_filename
from learnpath.modules.services import ModuleError

COLLECTION = Path(__file__).resolve().parent / "data" / "multilingual"
PYTHONS = {"python": "en", "python-nl": "nl", "python-de": "de", "python-ar": "ar",
           "python-zh-cn": "zh-CN", "python-pt-br": "pt-BR"}


def _modules() -> dict[str, Module]:
    return {m.slug: m for m in db.session.scalars(select(Module))}


def _versions() -> int:
    return db.session.scalar(select(func.count(ModuleVersion.id)))


@pytest.mark.parametrize(("value", "tag"), [
    ("zh-cn", "zh-CN"), ("pt_br", "pt-BR"), ("AR", "ar"), ("zh-hant-tw", "zh-Hant-TW"),
    ("en", "en"), ("xx", None), ("img", None), ("Scheme", None), ("", None), (3, None)])
def test_language_tags_are_recognised_and_canonical(value, tag):
    assert normalise(value) == tag


@pytest.mark.parametrize(("name", "slug"), [
    ("c++.md", "cpp"), ("c.md", "c"), ("C#.md", "csharp"), ("g++ flags.md", "gpp-flags"),
    ("Lesson #1.md", "lesson-1")])
def test_slugs_keep_their_meaning(name, slug):
    assert slug_from_filename(name) == slug


def test_language_folders_become_one_translation_group_with_distinct_addresses(app):
    report = import_paths([COLLECTION])
    assert report.ok, [(f.name, [str(e) for e in f.errors]) for f in report.files]
    assert report.count("created") == 10 and len(report.files) == 10
    modules = _modules()
    assert {slug: modules[slug].language for slug in PYTHONS} == PYTHONS
    assert {m.current_version.language for s, m in modules.items() if s in PYTHONS} == \
        set(PYTHONS.values())
    assert {modules[slug].translation_group for slug in PYTHONS} == {"python"}
    assert modules["python-ar"].current_version.title == "بايثون في خمس دقائق"
    assert modules["python"].current_version.title == "Python in five minutes"
    # c++ is not c, and c exists in two languages.
    assert modules["cpp"].current_version.title == "C++ basics"
    assert (modules["c"].language, modules["c-nl"].language) == ("en", "nl")
    assert modules["c"].translation_group == modules["c-nl"].translation_group == "c"
    assert modules["cpp"].translation_group is None
    # The report says where each file went, and why an address has a suffix.
    by_name = {Path(f.name).parent.name + "/" + Path(f.name).name: f for f in report.files}
    assert by_name["nl/python.md"].slug == "python-nl"
    assert "python-nl" in " ".join(str(w) for w in by_name["nl/python.md"].warnings)
    assert by_name["en/python.md"].warnings == []
    # A folder named like a language code that is none: a warning, the default language.
    notes = by_name["xx/notes.md"]
    assert notes.status == "created" and "xx" in str(notes.warnings[0])
    assert modules["notes"].language == "en"


def test_importing_the_collection_twice_changes_nothing(app):
    import_paths([COLLECTION])
    db.session.commit()
    before = {s: (m.language, m.translation_group, m.current_version_id, m.edit_count)
              for s, m in _modules().items()}
    versions = _versions()
    again = import_paths([COLLECTION])
    db.session.commit()
    assert {f.status for f in again.files} == {"unchanged"}
    assert _versions() == versions
    assert {s: (m.language, m.translation_group, m.current_version_id, m.edit_count)
            for s, m in _modules().items()} == before


def test_a_language_folder_alone_updates_only_its_own_language(app, tmp_path):
    import_paths([COLLECTION])
    nl = tmp_path / "nl"
    nl.mkdir()
    (nl / "python.md").write_text((COLLECTION / "nl" / "python.md").read_text(encoding="utf-8")
                                  + "\nNog een alinea.\n", encoding="utf-8")
    report = import_paths([nl])
    assert [(f.slug, f.status) for f in report.files] == [("python-nl", "updated")]
    modules = _modules()
    assert modules["python-nl"].current_version.number == 2
    assert "Nog een alinea" in modules["python-nl"].current_version.source
    assert modules["python"].current_version.number == 1
    assert modules["python"].language == "en"
    assert "Nog een alinea" not in modules["python"].current_version.source


def test_the_first_language_imported_keeps_the_bare_address(app, tmp_path):
    shutil.copytree(COLLECTION / "nl", tmp_path / "nl")
    assert {f.slug for f in import_paths([tmp_path / "nl"]).files} == {"python", "c"}
    report = import_paths([COLLECTION])
    modules = _modules()
    assert modules["python"].language == "nl"
    assert modules["python-en"].language == "en"
    assert {f.status for f in report.files if "/nl/" in f.name} == {"unchanged"}
    assert modules["python-en"].translation_group == modules["python"].translation_group


def test_files_order_does_not_decide_which_language_keeps_the_address(app):
    # Within one import the default language's file gets the bare slug, even sorted last.
    sources = sorted(COLLECTION.glob("*/python.md"), reverse=True)
    import_paths(sources)
    assert _modules()["python"].language == "en"


def test_same_file_name_twice_in_one_language_is_refused_with_the_other_named(app, tmp_path):
    for folder in ("en", "en/extra"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "python.md").write_text(f"# Python {folder}\n\nText.\n")
    report = import_paths([tmp_path])
    statuses = sorted((f.status, str(f.errors[0]) if f.errors else "") for f in report.files)
    assert statuses[0][0] == "created" and statuses[1][0] == "invalid"
    assert "python.md" in statuses[1][1] and "en" in statuses[1][1]


def test_a_zip_upload_with_language_folders_links_them(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for lang in ("en", "nl", "ar"):
            archive.write(COLLECTION / lang / "python.md", f"{lang}/python.md")
    report = import_upload("lesson.zip", buffer.getvalue())
    assert sorted(f.slug for f in report.files) == ["python", "python-ar", "python-nl"]
    assert {m.translation_group for m in _modules().values()} == {"python"}


def test_an_upload_without_a_language_updates_its_module_with_a_language_only_its_own(app):
    import_paths([COLLECTION / "nl" / "python.md"])
    assert _modules()["python"].language == "nl"
    # No folder, no front matter: the file is the existing module's (nl) new text.
    report = import_upload("python.md", b"# Python\n\nNieuwe tekst.\n")
    assert [(f.slug, f.status) for f in report.files] == [("python", "updated")]
    # A stated language is another module, never an overwrite of the Dutch one.
    report = import_upload("python.md", b"---\nlanguage: de\n---\n# Python\n\nNeuer Text.\n")
    assert [(f.slug, f.status) for f in report.files] == [("python-de", "created")]
    modules = _modules()
    assert modules["python"].language == "nl" and "Nieuwe" in modules["python"].draft_source


def test_changing_the_language_to_one_the_group_has_is_refused_not_a_crash(app):
    import_paths([COLLECTION / "en" / "python.md", COLLECTION / "nl" / "python.md"])
    dutch = services.get_module("python-nl")
    text = "---\nlanguage: en\n---\n" + dutch.current_version.source
    with pytest.raises(ModuleError) as caught:
        authoring.publish(dutch, None, text)
    assert "python" in str(caught.value)


def test_a_new_module_in_the_editor_never_takes_an_imported_key(app):
    import_paths([COLLECTION / "en" / "python.md", COLLECTION / "nl" / "python.md"])
    db.session.execute(delete(Module).where(Module.slug == "python"))
    # The address python is free again, but key python in nl belongs to python-nl.
    created = authoring.create_module("python", "# Python\n", "nl")
    db.session.commit()
    assert created.source_key is None
    assert authoring.create_module("java", "# Java\n", "nl").source_key == "java"


def test_export_and_import_into_an_empty_database_round_trips_groups(app, tmp_path):
    import_paths([COLLECTION])
    db.session.commit()
    before = {s: (m.language, m.translation_group) for s, m in _modules().items()}
    export_modules(tmp_path / "out")
    assert (tmp_path / "out" / "modules" / "zh-CN" / "python.md").is_file()
    db.session.execute(delete(Module))
    db.session.commit()
    report = import_paths([tmp_path / "out" / "modules"])
    assert report.count("created") == len(before), [str(e) for f in report.files
                                                   for e in f.errors]
    assert {s: (m.language, m.translation_group) for s, m in _modules().items()} == before


def test_every_language_of_the_group_has_its_page_and_links_another(client, login_as):
    import_paths([COLLECTION])
    db.session.commit()
    login_as()
    for slug in PYTHONS:
        response = client.get(f"/modules/{slug}")
        assert response.status_code == 200, slug
        html = response.get_data(as_text=True)
        # "Also in" lists every other language of the group, not one of them.
        assert "Also in:" in html
        assert all(f'href="/modules/{other}" hreflang="{PYTHONS[other]}"' in html
                   for other in PYTHONS if other != slug), slug
    assert "بايثون" in client.get("/modules/python-ar").get_data(as_text=True)
