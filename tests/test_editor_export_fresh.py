"""A module made in the form editor, exported with `learnpath content export`, imports into a
fresh database unchanged (issue 21): the same title, text, front matter, questions with their
options and feedback, and the same image bytes, served from the exported folder; and it builds
as working quizzes in an MkDocs site with the mkdocs-quiz plugin."""

import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from learnpath import create_app
from learnpath.accounts import services as accounts
from learnpath.extensions import db
from learnpath.modules import services
from learnpath.modules.models import ModuleAsset
from learnpath.skills import services as skills
from tests.conftest import PASSWORD, AuthActions, RequestScopedClient

SKILLS = "- slug: saying-no\n  name: {nl: Nee zeggen, en: Saying no}\n"

# What an author types into the editor's fields and question builder: a single-choice, a
# multiple-choice and a fill-in-the-blank question, with feedback per option and after.
EDITOR_FORM = {
    "title": "Saying no kindly", "summary": "Say no and keep the relationship.",
    "language": "en", "level": "intermediate", "duration": "4", "skills": ["saying-no"],
    "tags": "communication, boundaries", "translation_of": "",
    "q-0-kind": "single", "q-0-prompt": "What comes first when you say no?",
    "q-0-opt-0-text": "Thank them for asking", "q-0-opt-0-feedback": "Yes: they feel heard.",
    "q-0-opt-1-text": "An excuse", "q-0-opt-1-feedback": "Excuses invite bargaining.",
    "q-0-correct": "0", "q-0-feedback": "Thanks first, then a clear no.",
    "q-1-kind": "multiple", "q-1-prompt": "Which keep the relationship?",
    "q-1-opt-0-text": "Offer what you *can* do",
    "q-1-opt-0-feedback": "An alternative keeps the door open.",
    "q-1-opt-1-text": "Say no later by e-mail", "q-1-opt-1-feedback": "Waiting feels like yes.",
    "q-1-opt-2-text": "Be brief and kind", "q-1-correct": ["0", "2"],
    "q-1-feedback": "Short and warm works best.",
    "q-2-kind": "fill", "q-2-prompt": "A clear no is [[short]] and [[kind]].",
    "q-2-feedback": "Long explanations sound like excuses.",
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _made_in_the_editor(client) -> str:
    """Create, fill and publish a module through the editor's pages; return its slug."""
    response = client.post("/author/write", data={"title": "Saying no kindly",
                                                  "language": "en", "starter": "scenario"})
    assert response.status_code == 302, response.get_data(as_text=True)
    slug = response.location.rstrip("/").split("/")[-2]
    upload = client.post(f"/author/{slug}/assets", data={
        "image": (io.BytesIO(_png()), "two-chairs.png"), "alt": "Two chairs facing"})
    assert upload.status_code == 201
    body = (f"# Saying no kindly\n\nA no can be warm.\n\n{upload.json['markdown']}\n\n"
            "## How\n\n1. Thank them.\n2. Say no.\n3. Offer what you can do.")
    module = services.get_module(slug)
    response = client.post(f"/author/{slug}/write", data={
        **EDITOR_FORM, "slug": slug, "body": body, "edit_count": str(module.edit_count),
        "action": "publish"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert services.get_published(slug) is not None
    return slug


def _snapshot(slug: str) -> dict:
    """What a learner and an author get of the module, from the database of the current app."""
    version = services.get_published(slug).current_version
    return {
        "fields": (version.title, version.summary, version.language, version.level,
                   version.duration, version.skills, version.tags, version.translation_of),
        "front_matter": version.front_matter,
        "html": version.html, "toc": version.toc_html,
        "questions": [(q.position, q.kind, q.prompt_html, q.options, q.multiple,
                       q.feedback_html) for q in version.questions],
        "source": version.source,
    }


@pytest.fixture
def fresh(tmp_path):
    """A second app on a new SQLite file that has never seen the module; its content folder
    is where the export goes, as an operator who copies the folder to a new server sets it."""
    out = tmp_path / "export"
    out.mkdir()
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "fresh-index"),
                      "CONTENT_DIR": str(out)})
    app.test_client_class = RequestScopedClient
    yield app, out
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_editor_module_exports_and_imports_into_a_fresh_database_unchanged(
        app, client, runner, login_as, fresh):
    skills.import_skills(SKILLS)
    db.session.commit()
    login_as("author")
    slug = _made_in_the_editor(client)
    before = _snapshot(slug)
    asset = db.session.query(ModuleAsset).one()
    served = client.get(f"/module-assets/{asset.id}/{asset.filename}")
    assert served.status_code == 200
    image = served.data
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert [q[1] for q in before["questions"]] == ["single", "multiple", "fill"]

    fresh_app, out = fresh
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0 and "Exported 1 modules" in result.output, result.output
    exported = (out / "modules" / "en" / f"{slug}.md").read_text(encoding="utf-8")
    relative = f"images/{slug}/{asset.id}-{asset.filename}"
    link = f"/module-assets/{asset.id}/{asset.filename}"
    assert exported == before["source"].replace(link, relative)  # only the image link moved
    assert (out / "modules" / "en" / relative).read_bytes() == image

    with fresh_app.app_context():
        db.create_all()
        result = fresh_app.test_cli_runner().invoke(args=["content", "import", str(out)])
        assert result.exit_code == 0, result.output
        assert "1 created" in result.output and "warning" not in result.output, result.output
        after = _snapshot(slug)
        learner = accounts.create_user("learner@example.com", "Lee Learner", password=PASSWORD)
        db.session.commit()
        browser = fresh_app.test_client()
        AuthActions(browser).login(learner)
        page = browser.get(f"/modules/{slug}").get_data(as_text=True)
        src = re.search(r'<img [^>]*src="([^"]+)"', page)[1]
        fresh_image = browser.get(src)
        again = fresh_app.test_cli_runner().invoke(args=["content", "export",
                                                         str(out.parent / "again")])
        assert again.exit_code == 0, again.output

    served_at = f"/content/modules/en/{relative}"
    assert src == served_at
    assert fresh_image.status_code == 200 and fresh_image.data == image  # the same bytes
    assert after["source"] == exported
    for key in ("fields", "front_matter", "questions", "toc"):
        assert after[key] == before[key], key
    assert after["html"] == before["html"].replace(link, served_at)
    # And the fresh database exports the very same file: nothing was lost on the way.
    assert (out.parent / "again" / "modules" / "en" / f"{slug}.md").read_text(
        encoding="utf-8") == exported
    assert (out.parent / "again" / "skills.yml").read_text() == (out / "skills.yml").read_text()


def _mkdocs_command() -> list[str] | None:
    """mkdocs with the mkdocs-quiz plugin: in this interpreter, or the executable named by
    LEARNPATH_MKDOCS (a separate venv: python3 -m venv /tmp/mkq && /tmp/mkq/bin/pip install
    mkdocs mkdocs-quiz; LEARNPATH_MKDOCS=/tmp/mkq/bin/mkdocs). Neither is a dependency."""
    if importlib.util.find_spec("mkdocs_quiz") and importlib.util.find_spec("mkdocs"):
        return [sys.executable, "-m", "mkdocs"]
    named = os.environ.get("LEARNPATH_MKDOCS")
    return [named] if named and os.path.exists(named) else None


def test_the_export_builds_as_working_quizzes_in_an_mkdocs_site(app, client, runner, login_as,
                                                                tmp_path):
    command = _mkdocs_command()
    if command is None:
        pytest.skip("the MkDocs check needs mkdocs and mkdocs-quiz (not dependencies): install "
                    "them here or name an mkdocs executable with them in LEARNPATH_MKDOCS")
    skills.import_skills(SKILLS)
    db.session.commit()
    login_as("author")
    slug = _made_in_the_editor(client)
    assert runner.invoke(args=["content", "export", str(tmp_path / "out")]).exit_code == 0
    site = tmp_path / "site"
    shutil.copytree(tmp_path / "out" / "modules" / "en", site / "docs")
    (site / "mkdocs.yml").write_text(
        f"site_name: Export check\nplugins:\n  - mkdocs_quiz\nnav:\n  - {slug}.md\n")
    built = subprocess.run([*command, "build", "--strict", "-q"], cwd=site, capture_output=True,
                           text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    html = (site / "site" / slug / "index.html").read_text(encoding="utf-8")
    shown = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # mkdocs-quiz keeps the source there
    assert "<quiz>" not in shown and "[[" not in shown and "- [x]" not in shown
    quizzes = re.findall(r'<div class="quiz[ "].*?</section>', shown, flags=re.S)
    assert len(quizzes) == 3
    single, multiple, fill = quizzes
    assert re.findall(r'<input type="radio"[^>]*value="(\d)"[^>]*?( data-correct="true")?>',
                      single) == [("0", ' data-correct="true"'), ("1", "")]
    assert re.findall(r'<input type="checkbox"[^>]*value="(\d)"[^>]*?( data-correct="true")?>',
                      multiple) == [("0", ' data-correct="true"'), ("1", ""),
                                    ("2", ' data-correct="true"')]
    assert "Offer what you <em>can</em> do" in multiple
    assert re.findall(r'class="answer-feedback hidden">([^<]*)<', single + multiple) == [
        "Yes: they feel heard.", "Excuses invite bargaining.",
        "An alternative keeps the door open.", "Waiting feels like yes."]
    assert re.findall(r'class="quiz-blank-input"[^>]*data-answer="([^"]*)"', fill) == [
        "short", "kind"]
    for quiz, explanation in zip(quizzes, ("Thanks first, then a clear no.",
                                           "Short and warm works best.",
                                           "Long explanations sound like excuses."),
                                 strict=True):
        assert f'<section class="content hidden"><p>{explanation}</p></section>' in quiz
    assert f'src="../images/{slug}/' in shown
