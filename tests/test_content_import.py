"""`learnpath content import` / `export`: idempotent, located errors, round trip."""

import io
import zipfile
from pathlib import Path

from learnpath.extensions import db
from learnpath.modules import services
from learnpath.modules.importer import import_paths, import_upload
from learnpath.modules.models import Module, ModuleVersion

CONTENT = Path(__file__).resolve().parent.parent / "content"
GOOD = "---\ntitle: Good one\nlanguage: en\n---\n# Good one\n\nText.\n"


def _statuses(report):
    return {Path(f.name.split(":")[-1]).stem: f.status for f in report.files}


def test_starter_catalog_imports_cleanly_and_twice_is_unchanged(runner):
    first = runner.invoke(args=["content", "import", str(CONTENT)])
    assert first.exit_code == 0, first.output
    assert "invalid" not in first.output.replace("0 invalid", "")
    assert "  error" not in first.output
    count = db.session.scalar(db.select(db.func.count(Module.id)))
    assert count >= 24
    paths = len(list((CONTENT / "paths").glob("*.yml")))
    assert paths >= 5
    second = runner.invoke(args=["content", "import", str(CONTENT)])
    assert second.exit_code == 0
    assert f"0 created, 0 updated, {count + paths} unchanged" in second.output
    assert db.session.scalar(db.select(db.func.count(ModuleVersion.id))) == count


def test_starter_catalog_has_translations_and_known_skills(runner):
    runner.invoke(args=["content", "import", str(CONTENT)])
    pair = services.get_module("giving-feedback-that-lands")
    other = services.translation_of_module(pair)
    assert other is not None and other.language == "nl"
    languages = set(db.session.scalars(db.select(Module.language)))
    assert languages == {"nl", "en"}


def test_export_then_import_changes_nothing(runner, tmp_path):
    runner.invoke(args=["content", "import", str(CONTENT)])
    versions = db.session.scalar(db.select(db.func.count(ModuleVersion.id)))
    result = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert result.exit_code == 0
    exported = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*.md"))
    original = sorted(p.relative_to(CONTENT) for p in (CONTENT / "modules").rglob("*.md"))
    assert exported == original
    for path in exported:
        assert (tmp_path / "out" / path).read_bytes() == (CONTENT / path).read_bytes()
    again = runner.invoke(args=["content", "import", str(tmp_path / "out")])
    assert again.exit_code == 0 and "0 created, 0 updated" in again.output
    assert db.session.scalar(db.select(db.func.count(ModuleVersion.id))) == versions


def test_a_changed_file_becomes_a_new_version(app, tmp_path):
    path = tmp_path / "modules" / "en" / "good-one.md"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD)
    # tmp_path also holds the test database, which the import would report as skipped.
    assert _statuses(import_paths([tmp_path / "modules"])) == {"good-one": "created"}
    path.write_text(GOOD + "\nMore.\n")
    assert _statuses(import_paths([tmp_path / "modules"])) == {"good-one": "updated"}
    assert services.get_module("good-one").current_version.number == 2


def test_bad_files_are_reported_with_lines_and_do_not_stop_the_others(runner, tmp_path):
    folder = tmp_path / "modules" / "en"
    folder.mkdir(parents=True)
    (folder / "good-one.md").write_text(GOOD)
    (folder / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\n# x\n")
    (folder / "as-list.md").write_text("---\n- a\n- b\n---\n# x\n")
    (folder / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (folder / "quiz.md").write_text("# Q\n\n<quiz>\nWhat?\n- [ ] a\n- [ ] b\n</quiz>\n")
    result = runner.invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code == 1
    output = result.output
    assert "created   " in output and "good-one.md" in output
    assert "bad-yaml.md: line 2" in output
    assert "as-list.md: line 1" in output
    assert "latin.md: line 1" in output and "UTF-8" in output
    assert "quiz.md: line 3" in output
    assert services.get_module("good-one") is not None
    assert services.get_module("bad-yaml") is None


def test_warnings_for_unknown_skills_and_missing_translation(app, tmp_path):
    (tmp_path / "lonely.md").write_text(
        "---\nskills: [made-up-skill]\ntranslation_of: nowhere\n---\n# Lonely\n")
    report = import_paths([tmp_path / "lonely.md"])
    result = report.files[0]
    assert result.status == "created"
    warnings = " ".join(str(w) for w in result.warnings)
    assert "made-up-skill" in warnings
    assert "translation_of points to 'nowhere'" in warnings
    assert services.get_module("lonely").current_version.skills == []


def test_duplicate_slugs_in_one_import(app, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.md").write_text(GOOD)
    (tmp_path / "b" / "same.md").write_text(GOOD + "x\n")
    statuses = [f.status for f in import_paths([tmp_path / "a", tmp_path / "b"]).files]
    assert sorted(statuses) == ["created", "invalid"]


def test_archive_missing_archives_but_never_deletes(app, tmp_path):
    (tmp_path / "keep.md").write_text(GOOD)
    (tmp_path / "gone.md").write_text(GOOD)
    import_paths([tmp_path])
    (tmp_path / "gone.md").unlink()
    report = import_paths([tmp_path], archive_missing=True)
    assert report.archived == ["gone"]
    assert services.get_module("gone").status == "archived"
    assert services.get_module("keep").status == "published"


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_import_refuses_unsafe_paths_and_skips_binaries(app, tmp_path):
    data = _zip({
        "modules/en/zipped.md": GOOD,
        "../escape.md": GOOD,
        "/absolute.md": GOOD,
        "images/logo.png": b"\x89PNG\x00\x00binary",
        "binary.md": b"\x00\x01\x02\x03",
    })
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    report = import_paths([path])
    by_name = {f.name.split(":", 1)[1]: f.status for f in report.files}
    assert by_name["modules/en/zipped.md"] == "created"
    assert by_name["../escape.md"] == "invalid"
    assert by_name["/absolute.md"] == "invalid"
    assert by_name["images/logo.png"] == "skipped"
    assert by_name["binary.md"] == "invalid"
    assert not (tmp_path.parent / "escape.md").exists()


def test_upload_of_a_broken_zip_is_reported(app):
    report = import_upload("broken.zip", b"PK\x03\x04 not really a zip")
    assert report.files[0].status == "invalid"
    assert "not a valid .zip" in str(report.files[0].errors[0])


def test_a_very_large_file_is_refused(app, tmp_path):
    big = tmp_path / "huge.md"
    big.write_bytes(b"# Huge\n" + b"word " * (4 * 1024 * 1024))
    report = import_paths([big])
    assert report.files[0].status == "invalid"
    assert "larger than" in str(report.files[0].errors[0])


def test_import_without_a_path_imports_the_bundled_starter_catalog(app, runner):
    from learnpath.factory import bundled

    assert Path(app.config["CONTENT_DIR"]) == bundled("content") == CONTENT
    assert "starter catalog" in runner.invoke(args=["content", "import", "--help"]).output
    result = runner.invoke(args=["content", "import"])
    assert result.exit_code == 0, result.output
    assert f"starter catalog from {CONTENT}" in result.output
    assert db.session.scalar(db.select(db.func.count(Module.id))) >= 24


def test_import_without_a_path_and_without_a_catalog_says_what_to_give(app, runner, tmp_path):
    app.config["CONTENT_DIR"] = str(tmp_path / "gone")
    result = runner.invoke(args=["content", "import"])
    assert result.exit_code == 1
    assert "No PATHS given and no starter catalog" in result.output


def test_import_of_a_missing_path_exits_non_zero(runner, tmp_path):
    result = runner.invoke(args=["content", "import", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "No such file or folder" in result.output


def test_export_keeps_skills_edited_in_the_browser_and_a_draft_path_stays_a_draft(
        runner, tmp_path):
    from learnpath.paths.models import GrowthPath
    from learnpath.skills.models import Skill

    runner.invoke(args=["content", "import", str(CONTENT)])
    skill = db.session.scalar(db.select(Skill).where(Skill.slug == "giving-feedback"))
    skill.name_en, skill.esco_uri = "Feedback, renamed", "http://data.europa.eu/esco/skill/x"
    path = db.session.scalar(db.select(GrowthPath).order_by(GrowthPath.slug))
    path.status = "draft"
    db.session.commit()
    assert runner.invoke(args=["content", "export", str(tmp_path / "out")]).exit_code == 0
    assert "Feedback, renamed" in (tmp_path / "out" / "skills.yml").read_text()
    slug = path.slug
    skill.name_en, skill.esco_uri = "Something else", None
    db.session.delete(path)
    db.session.commit()
    assert runner.invoke(args=["content", "import", str(tmp_path / "out")]).exit_code == 0
    db.session.expire_all()
    skill = db.session.scalar(db.select(Skill).where(Skill.slug == "giving-feedback"))
    assert (skill.name_en, skill.esco_uri) == ("Feedback, renamed",
                                               "http://data.europa.eu/esco/skill/x")
    again = db.session.scalar(db.select(GrowthPath).where(GrowthPath.slug == slug))
    assert again.status == "draft"  # an exported draft does not go live elsewhere


def test_a_path_file_with_an_unknown_status_is_refused_with_its_line(app):
    from learnpath.modules.models import Module  # noqa: F401
    from learnpath.paths.catalog import import_path_text

    result = import_path_text("title: P\nstatus: live\nsteps: []\n", "paths/p.yml")
    assert result.status == "invalid"
    assert any("status must be" in str(p.message) and p.line == 2 for p in result.errors)
