"""The form editor: question builder round trips, honest saving, the address, the
micro-format guard, templates and image uploads."""

import io
import re

import pytest
from PIL import Image

from learnpath.extensions import db
from learnpath.modules import authoring, guard, quiz_builder, services, structured
from learnpath.modules.models import ModuleAsset, ModuleVersion
from learnpath.modules.parsing import parse_module
from learnpath.modules.quiz import Option, Question
from learnpath.modules.starters import STARTER_NAMES, starter_source
from learnpath.paths.models import GrowthPath

BUILT = """---
title: Saying no
summary: 'How: to say no kindly'
language: en
duration: 5
level: beginner
skills: []
tags: [communication]
custom: kept
---

# Saying no

Say what you can do instead.

<quiz>
Which are even?
- [x] 2
> Right: 2 / 2 = 1.
- [ ] 3
- [x] 4

Even numbers divide by two.
</quiz>

<quiz>
The capital of France is [[Paris]].
---
Since 987.
</quiz>
"""


def _png(size=(8, 8), exif=False, fmt="PNG") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, fmt)
    return out.getvalue()


# The builder ----------------------------------------------------------------------------------


def test_builder_reads_and_writes_the_same_file():
    split = structured.split_source(BUILT)
    assert [q.kind for q in split.questions] == ["multiple", "fill"]
    assert split.questions[0].options[0].feedback == "Right: 2 / 2 = 1."
    assert split.questions[1].blanks == ["Paris"]
    assert split.extra == {"custom": "kept"}
    assert structured.compose_source(split.fields, split.body, split.questions,
                                     split.extra) == BUILT


def test_builder_output_is_what_the_parser_reads():
    questions = [Question("single", "Pick one", [Option("Yes", True), Option("No", False)],
                          explanation="Because.")]
    source = structured.compose_source({"title": "T"}, "# T\n\nText.", questions)
    parsed = parse_module(source, "t.md")
    assert parsed.ok, parsed.errors
    assert len(parsed.questions) == 1
    assert parsed.questions[0].options[0].correct


def test_a_block_the_builder_cannot_read_stays_in_the_body():
    body = "Text.\n\n<quiz>\nNo options and no blank here.\n</quiz>\n"
    read = quiz_builder.read_quizzes(body)
    assert read.questions == [] and read.kept == 1
    assert "<quiz>" in read.body


def test_builder_checks_speak_the_authors_language():
    problems = quiz_builder.check([
        Question("single", "Q", [Option("a", False)]),
        Question("fill", "No blank"),
        Question("single", ""),  # an empty card writes nothing
    ])
    assert {p.question for p in problems} == {0, 1}


def test_form_editor_round_trips_through_the_markdown_view(client, login_as):
    login_as("author")
    module = authoring.create_module("saying-no", BUILT, "en")
    db.session.commit()
    page = client.get("/author/saying-no/write").get_data(as_text=True)
    assert 'name="q-1-prompt"' in page and "[[Paris]]" in page
    data = {"title": "Saying no", "summary": "How: to say no kindly", "language": "en",
            "level": "beginner", "duration": "5", "tags": "communication",
            "translation_of": "", "slug": "saying-no",
            "body": "# Saying no\n\nSay what you can do instead.",
            "edit_count": str(module.edit_count), "action": "save",
            "q-0-kind": "multiple", "q-0-prompt": "Which are even?",
            "q-0-opt-0-text": "2", "q-0-opt-0-feedback": "Right: 2 / 2 = 1.",
            "q-0-opt-1-text": "3", "q-0-opt-2-text": "4", "q-0-correct": ["0", "2"],
            "q-0-feedback": "Even numbers divide by two.",
            "q-1-kind": "fill", "q-1-prompt": "The capital of France is [[Paris]].",
            "q-1-feedback": "Since 987."}
    response = client.post("/author/saying-no/write", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert services.get_module("saying-no").draft_source == BUILT


def test_adding_a_question_keeps_everything_typed(client, login_as):
    login_as("author")
    module = authoring.create_module("saying-no", BUILT, "en")
    db.session.commit()
    response = client.post("/author/saying-no/write", data={
        "title": "Changed title", "language": "en", "level": "beginner", "body": "Typed body",
        "edit_count": str(module.edit_count), "action": "add-fill"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Changed title" in page and "Typed body" in page and 'name="q-0-kind"' in page
    db.session.expire_all()
    assert services.get_module("saying-no").draft_source == BUILT  # nothing saved


# Honest saving --------------------------------------------------------------------------------


def test_broken_front_matter_is_saved_without_an_invented_title(app):
    module = authoring.create_module("hi", "---\ntitle: [unclosed\n---\n\n# Hi\n\nText.\n")
    db.session.commit()
    assert module.draft_title == ""
    assert module.title == "hi"  # the address, never the heading "Hi"
    good = authoring.create_module("ok", "---\ntitle: Real title\n---\n\n# Hi\n")
    authoring.save_draft(good, "---\ntitle: Broken: [\n---\n\n# Hi\n", good.edit_count)
    assert good.draft_title == "Real title"  # the last title that was really there


def test_form_editor_shows_unreadable_front_matter_with_its_line(client, login_as):
    login_as("author")
    authoring.create_module("hi", "---\ntitle: ok\nlevel: [x\n---\n\nText.\n")
    db.session.commit()
    page = client.get("/author/hi/write").get_data(as_text=True)
    assert "Line 3" in page or "Line 4" in page
    assert "/author/hi/edit" in page


def test_field_errors_are_shown_at_the_field_and_the_draft_is_saved(client, login_as):
    login_as("author")
    module = authoring.create_module("saying-no", BUILT, "en")
    db.session.commit()
    response = client.post("/author/saying-no/write", data={
        "title": "Saying no", "language": "en", "level": "beginner", "duration": "99999",
        "body": "# Saying no\n\nText.", "edit_count": str(module.edit_count),
        "action": "publish"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="duration-error"' in page
    db.session.expire_all()
    saved = services.get_module("saying-no")
    assert "duration: 99999" in saved.draft_source and saved.current_version is None


def test_stale_form_save_is_a_conflict(client, login_as):
    login_as("author")
    module = authoring.create_module("saying-no", BUILT, "en")
    db.session.commit()
    stale = module.edit_count
    authoring.save_draft(module, BUILT.replace("kindly", "firmly"), stale)
    db.session.commit()
    response = client.post("/author/saying-no/write", data={
        "title": "Mine", "language": "en", "level": "beginner", "body": "My text",
        "edit_count": str(stale), "action": "save"})
    assert response.status_code == 409
    assert "My text" in response.get_data(as_text=True)


# The address ----------------------------------------------------------------------------------


def test_new_module_tells_the_author_when_the_address_changed(client, login_as):
    login_as("author")
    response = client.post("/author/write", data={
        "title": "Saying No!", "slug": "Saying No!", "language": "nl", "starter": "scenario"},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "saying-no" in page and "Saying No!" in page
    module = services.get_module("saying-no")
    assert module.language == "nl" and "Wat doe je?" in module.draft_source


def test_address_can_change_until_the_first_publish(client, login_as):
    login_as("author")
    module = authoring.create_module("first-name", BUILT, "en")
    db.session.commit()
    response = client.post("/author/first-name/write", data={
        "title": "Saying no", "language": "en", "level": "beginner", "body": "Text",
        "slug": "Better Name", "edit_count": str(module.edit_count), "action": "save"})
    assert response.headers["Location"].endswith("/author/better-name/write")
    assert services.get_module("better-name") is not None
    authoring.publish(services.get_module("better-name"), None)
    db.session.commit()
    with pytest.raises(services.ModuleError):
        authoring.rename(services.get_module("better-name"), "another")


# The micro-format guard -----------------------------------------------------------------------

LONG = "---\ntitle: Long\n---\n\n# Long\n\n" + ("word " * 1500) + "\n\n## Second part\n\n" \
    + ("more " * 1500) + "\n"


def test_publishing_a_long_module_asks_first(client, login_as):
    login_as("author")
    module = authoring.create_module("long", LONG, "en")
    db.session.commit()
    split = structured.split_source(LONG)
    data = {"title": "Long", "language": "en", "level": "beginner", "body": split.body,
            "edit_count": str(module.edit_count), "action": "publish"}
    page = client.post("/author/long/write", data=data).get_data(as_text=True)
    assert "Split at" in page and "Publish anyway" in page
    db.session.expire_all()
    module = services.get_module("long")
    assert module.current_version is None
    data.update(edit_count=str(module.edit_count), action="publish-anyway", publish_note="")
    assert client.post("/author/long/write", data=data).status_code == 400
    db.session.expire_all()
    data["edit_count"] = str(services.get_module("long").edit_count)
    data["publish_note"] = "A reference text, read in parts."
    assert client.post("/author/long/write", data=data).status_code == 302
    version = db.session.query(ModuleVersion).filter_by(module_id=module.id).one()
    assert version.publish_note == "A reference text, read in parts."
    assert "read in parts" in client.get("/author/long/history").get_data(as_text=True)


def test_split_at_a_heading_makes_two_modules_and_a_path(client, login_as):
    login_as("author")
    authoring.create_module("long", LONG, "en")
    db.session.commit()
    line = guard.headings(LONG)[0][0]
    response = client.post("/author/paths/split/long", data={"line": str(line)})
    assert response.status_code == 302
    db.session.expire_all()
    first, second = services.get_module("long"), services.get_module("long-second-part")
    assert "more" not in first.draft_source and "# Second part" in second.draft_source
    path = db.session.query(GrowthPath).filter_by(slug="long").one()
    assert [s.module_id for s in path.steps] == [first.id, second.id]


def test_a_module_without_questions_gets_a_gentle_prompt(client, login_as):
    login_as("author")
    authoring.create_module("plain", "---\ntitle: Plain\n---\n\nText.\n")
    db.session.commit()
    assert "No knowledge check yet" in client.get("/author/plain/write").get_data(as_text=True)


# Templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(STARTER_NAMES))
@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_starter_is_a_publishable_module(kind, language):
    parsed = parse_module(starter_source(kind, language, "Title"), "t.md")
    assert parsed.ok, parsed.errors
    assert parsed.language == language and parsed.questions and parsed.duration <= 10


# Images ---------------------------------------------------------------------------------------


def test_image_upload_strips_exif_and_is_served_safely(client, login_as):
    login_as("author")
    authoring.create_module("pics", BUILT, "en")
    db.session.commit()
    response = client.post("/author/pics/assets", data={
        "image": (io.BytesIO(_png(exif=True)), "holiday.JPG"), "alt": "A red square"})
    assert response.status_code == 201
    assert response.json["markdown"].startswith("![A red square](/module-assets/")
    asset = db.session.query(ModuleAsset).one()
    assert b"SecretCam" not in asset.data and asset.content_type == "image/jpeg"
    served = client.get(response.json["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("payload,name", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.png"),
    (b"GIF89a not really", "x.gif"),
    (b"", "empty.png"),
])
def test_image_of_the_wrong_type_is_refused(client, login_as, payload, name):
    login_as("author")
    authoring.create_module("pics", BUILT, "en")
    db.session.commit()
    response = client.post("/author/pics/assets", data={"image": (io.BytesIO(payload), name)})
    assert response.status_code == 400 and response.json["error"]
    assert db.session.query(ModuleAsset).count() == 0


def test_too_big_image_is_refused_with_the_form_kept(client, login_as):
    login_as("author")
    module = authoring.create_module("pics", BUILT, "en")
    db.session.commit()
    big = _png(size=(1, 1)) + b"\0" * (2 * 1024 * 1024 + 1)
    response = client.post("/author/pics/write", data={
        "title": "Typed", "language": "en", "level": "beginner", "body": "Kept body",
        "edit_count": str(module.edit_count), "action": "upload",
        "image": (io.BytesIO(big), "big.png")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2 MB" in page and "Kept body" in page


def test_no_js_upload_inserts_the_image_markdown(client, login_as):
    login_as("author")
    module = authoring.create_module("pics", BUILT, "en")
    db.session.commit()
    response = client.post("/author/pics/write", data={
        "title": "Typed", "language": "en", "level": "beginner", "body": "Kept body",
        "edit_count": str(module.edit_count), "action": "upload", "image_alt": "Chart",
        "image": (io.BytesIO(_png()), "chart.png")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "![Chart](/module-assets/" in response.get_data(as_text=True)


def test_images_are_not_for_everyone(client, login_as, make_user, auth):
    login_as("author")
    authoring.create_module("pics", BUILT, "en")
    db.session.commit()
    url = client.post("/author/pics/assets", data={
        "image": (io.BytesIO(_png()), "a.png")}).json["url"]
    assert client.get(url.replace("/a.png", "/other.png")).status_code == 404
    auth.logout()
    learner = make_user(roles=("employee",))
    auth.login(learner)
    assert client.get(url).status_code == 404  # a draft's image: authors only
    response = client.post("/author/pics/assets", data={
        "image": (io.BytesIO(_png()), "b.png")})
    assert response.status_code in (302, 403)
    assert db.session.query(ModuleAsset).count() == 1


def test_a_broken_question_keeps_the_module_from_publishing(client, login_as):
    login_as("author")
    module = authoring.create_module("saying-no", BUILT, "en")
    db.session.commit()
    response = client.post("/author/saying-no/write", data={
        "title": "Saying no", "language": "en", "level": "beginner", "body": "Text",
        "edit_count": str(module.edit_count), "action": "publish",
        "q-0-kind": "single", "q-0-prompt": "Which?", "q-0-opt-0-text": "A",
        "q-0-opt-1-text": "B"})
    assert response.status_code == 400
    assert "Mark the correct answer." in response.get_data(as_text=True)
    db.session.expire_all()
    saved = services.get_module("saying-no")
    assert saved.current_version is None and "- [ ] A" in saved.draft_source


def test_the_markdown_start_also_says_when_the_address_changed(client, login_as):
    login_as("author")
    response = client.post("/author/new", data={"slug": "Saying No!", "language": "en",
                                                "source": BUILT}, follow_redirects=True)
    assert "became &#39;saying-no&#39;" in response.get_data(as_text=True)


def test_export_of_an_editor_module_carries_its_images_and_imports_unchanged(
        app, tmp_path, client, login_as):
    from learnpath.modules.importer import export_modules, import_paths

    login_as("author")
    module = authoring.create_module("pics", BUILT, "en")
    db.session.commit()
    markdown = client.post("/author/pics/assets", data={
        "image": (io.BytesIO(_png()), "chart.png"), "alt": "Chart"}).json["markdown"]
    authoring.publish(module, None, source=BUILT.replace("Say what", f"{markdown}\n\nSay what"))
    db.session.commit()
    export_modules(tmp_path)
    exported = (tmp_path / "modules/en/pics.md").read_text()
    assert "](images/pics/" in exported and "/module-assets/" not in exported
    image = next((tmp_path / "modules/en/images/pics").iterdir())
    assert Image.open(image).format == "PNG"
    db.session.delete(module)
    db.session.commit()
    report = import_paths([tmp_path / "modules"], content_root=tmp_path)
    db.session.commit()
    assert report.ok
    assert services.get_module("pics").current_version.source == exported


def test_the_form_says_when_saving_would_move_questions_to_the_end(client, login_as):
    login_as("author")
    middle = BUILT.replace("# Saying no\n", "# Saying no\n\n<quiz>\nFirst?\n- [x] Yes\n"
                           "- [ ] No\n</quiz>\n\nText after it.\n")
    authoring.create_module("middle", middle, "en")
    db.session.commit()
    page = client.get("/author/middle/write").get_data(as_text=True)
    assert "saving here puts them at the end" in page
    authoring.create_module("at-end", BUILT, "en")
    db.session.commit()
    assert "saving here puts them" not in client.get("/author/at-end/write").get_data(
        as_text=True)


def _long_source(slug_title="Long read"):
    words = " ".join(["word"] * 2600)  # far beyond ten minutes at reading speed
    return f"---\ntitle: {slug_title}\n---\n\n## Part one\n\n{words}\n\n## Part two\n\n{words}\n"


def test_the_list_and_markdown_publish_buttons_send_a_long_module_to_the_guard(
        client, login_as):
    """The micro-format guard is not only in the form editor: the module list's Publish and
    the Markdown editor's Save and publish send a long new text to it instead of publishing."""
    login_as("author")
    module = authoring.create_module("long-read", _long_source())
    db.session.commit()
    page = client.get("/author/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = client.post("/author/long-read/publish", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/author/long-read/write")
    assert services.get_published("long-read") is None
    flashed = client.get("/author/long-read/write").get_data(as_text=True)
    assert "more than the 10 of a micro module" in flashed
    response = client.post("/author/long-read/edit", data={
        "csrf_token": token, "source": _long_source("Longer read"), "action": "publish",
        "edit_count": str(module.edit_count)})
    assert response.status_code == 302 and response.location.endswith("/author/long-read/write")
    assert services.get_published("long-read") is None
    assert "Longer read" in db.session.get(type(module), module.id).draft_source
