"""Author pages: create, edit with preview, conflicts, publish, history, statistics, upload."""

import html as htmllib
import io
import re
import zipfile

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring, learning, services
from learnpath.modules.models import ModuleVersion

SOURCE = """---
title: Giving feedback that lands
summary: Three steps to feedback that helps.
duration: 5
---

# Giving feedback that lands

Describe the behaviour, not the person.

<quiz>
What comes first?
- [x] The concrete behaviour
- [ ] Your judgement of the person

Behaviour can change; a judgement cannot.
</quiz>
"""
# The quiz opens on line 11 and has no correct answer: a warning (the quiz is shown as text).
NO_CORRECT_ANSWER = SOURCE.replace("- [x] The concrete", "- [ ] The concrete")
# An error on line 5 keeps the file from being published.
INVALID = SOURCE.replace("duration: 5\n", "duration: 5\nlevel: expert\n")
SECOND_EDIT = SOURCE.replace("not the person.", "not the person.\n\nThen ask a question.")
LOGIN_PASSWORD = "a long test password"


def publish_module(slug="giving-feedback", source=SOURCE, language="en", author=None):
    """Create and publish a module; commits."""
    module = authoring.create_module(slug, source, language)
    authoring.publish(module, author)
    db.session.commit()
    return module


def draft_module(slug="giving-feedback", source=SOURCE, language="en"):
    module = authoring.create_module(slug, source, language)
    db.session.commit()
    return module


def fresh(slug):
    db.session.expire_all()
    return services.get_module(slug)


def version_count(module) -> int:
    return db.session.query(ModuleVersion).filter_by(module_id=module.id).count()


def edit_count_in(html: str) -> int:
    return int(re.search(r'name="edit_count" value="(\d+)"', html)[1])


def textarea_text(html: str, name: str = "source") -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', html, re.S)
    return htmllib.unescape(match[1])


def part(html: str, element_id: str) -> str:
    """The markup from the element with this id to the end of the page."""
    return html[html.index(f'id="{element_id}"'):]


def edit(client, slug, source, action, edit_count):
    return client.post(f"/author/{slug}/edit", data={
        "source": source, "action": action, "edit_count": str(edit_count)})


# Creating --------------------------------------------------------------------------------------


def test_new_module_page_starts_with_a_valid_template(client, login_as):
    login_as("author")
    response = client.get("/author/new")
    assert response.status_code == 200
    starter = textarea_text(response.get_data(as_text=True))
    assert starter.startswith("---\n") and "<quiz>" in starter
    parsed = authoring.check_source(starter, "starter")
    assert parsed.ok, parsed.errors
    assert len(parsed.questions) == 1


def test_author_creates_a_module_and_lands_in_the_editor(client, login_as):
    login_as("author")
    response = client.post("/author/new", data={
        "slug": "Giving Feedback", "language": "en", "source": SOURCE, "action": "create"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/author/giving-feedback/edit"
    module = fresh("giving-feedback")
    assert module.status == "draft" and module.draft_source == SOURCE
    assert module.draft_title == "Giving feedback that lands"
    page = client.get("/author/giving-feedback/edit").get_data(as_text=True)
    assert "The module is created as a draft" in page
    assert textarea_text(page) == SOURCE


def test_duplicate_slug_is_refused_next_to_the_field_and_keeps_the_text(client, login_as):
    login_as("author")
    draft_module("giving-feedback")
    text = SOURCE.replace("Three steps", "My own unsaved words")
    response = client.post("/author/new", data={
        "slug": "giving-feedback", "language": "en", "source": text, "action": "create"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="slug"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="slug"', html)
    assert 'id="slug-error"' in html and "already exists" in html
    assert textarea_text(html) == text
    assert 'value="giving-feedback"' in html


def test_unusable_slug_is_refused(client, login_as):
    login_as("author")
    response = client.post("/author/new", data={
        "slug": "!!!", "language": "en", "source": SOURCE, "action": "create"})
    assert response.status_code == 400
    assert "letters, digits and hyphens" in response.get_data(as_text=True)
    assert services.get_module("") is None


def test_preview_on_the_new_page_saves_nothing(client, login_as):
    login_as("author")
    response = client.post("/author/new", data={
        "slug": "not-yet", "language": "en", "source": SOURCE, "action": "preview"})
    assert response.status_code == 200
    assert '<h1 id="giving-feedback-that-lands">' in part(response.get_data(as_text=True),
                                                        "preview-body")
    assert services.get_module("not-yet") is None


# Editing and preview ---------------------------------------------------------------------------


def test_preview_shows_html_and_line_numbered_errors_without_saving(client, login_as):
    login_as("author")
    module = publish_module()
    before = module.edit_count
    broken = NO_CORRECT_ANSWER.replace("Describe the", "Describe **the**")
    response = edit(client, module.slug, broken, "preview", before)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Line 11: The quiz has no correct answer" in html
    assert 'aria-describedby="source-help source-problems"' in html
    assert "Describe <strong>the</strong>" in part(html, "preview-body")
    assert textarea_text(html) == broken
    module = fresh(module.slug)
    assert module.draft_source == SOURCE and module.edit_count == before


def test_preview_shows_questions_read_only(client, login_as):
    login_as("author")
    module = publish_module()
    html = edit(client, module.slug, SOURCE, "preview", module.edit_count).get_data(as_text=True)
    preview = part(html, "preview-body")
    assert "What comes first?" in preview
    assert "✓ correct:</strong> The concrete behaviour" in preview
    assert "<input" not in preview.split("</main>")[0]


XSS = ('<script>alert("owned")</script>\n\n<img src=x onerror="alert(1)">\n\n'
       '[click](javascript:alert(2))\n\n<iframe src="https://evil.example"></iframe>\n')


def test_preview_sanitises_script_like_publishing(client, login_as):
    login_as("author")
    module = publish_module()
    html = edit(client, module.slug, SOURCE + XSS, "preview", module.edit_count)
    preview = part(html.get_data(as_text=True), "preview-body")
    fragment = client.post(f"/author/preview?slug={module.slug}",
                           data={"source": SOURCE + XSS}).get_data(as_text=True)
    for markup in (preview, fragment):
        assert "<script>" not in markup and 'alert("owned")' not in markup
        assert "onerror" not in markup and "javascript:" not in markup
        assert "<iframe" not in markup
        assert '<h1 id="giving-feedback-that-lands">' in markup


def test_problem_messages_escape_what_they_quote_from_the_text(client, login_as):
    login_as("author")
    module = publish_module()
    text = '---\nlevel: "<b>loud</b>"\n"<i>key</i>": 1\n---\n# Title\n'
    html = edit(client, module.slug, text, "preview", module.edit_count).get_data(as_text=True)
    upload = client.post("/author/upload", data={"file": (io.BytesIO(text.encode()), "x.md")},
                         content_type="multipart/form-data").get_data(as_text=True)
    for markup in (part(html, "source-problems"), upload):
        assert "<b>loud</b>" not in markup and "<i>key</i>" not in markup
        assert "&lt;b&gt;loud&lt;/b&gt;" in markup


def test_live_preview_returns_a_fragment_with_problems(client, login_as):
    login_as("author")
    response = client.post("/author/preview", data={
        "slug": "brand-new", "language": "nl", "source": NO_CORRECT_ANSWER})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="source-problems"' in html and 'id="preview-body"' in html
    assert "Line 11: The quiz has no correct answer" in html
    assert 'lang="nl"' in html


def test_live_preview_of_unknown_module_is_404(client, login_as):
    login_as("author")
    assert client.post("/author/preview?slug=nope", data={"source": "x"}).status_code == 404


def test_save_stores_the_draft_and_keeps_learners_on_the_published_version(client, login_as):
    login_as("author")
    module = publish_module()
    loaded = module.edit_count
    response = edit(client, module.slug, SECOND_EDIT, "save", loaded)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/author/{module.slug}/edit"
    saved = fresh(module.slug)
    assert saved.draft_source == SECOND_EDIT
    assert saved.edit_count == loaded + 1
    assert saved.has_unpublished_changes and saved.status == "published"
    assert "Then ask a question" not in services.get_published(module.slug).current_version.source
    page = client.get(f"/author/{module.slug}/edit").get_data(as_text=True)
    assert "Draft saved." in page and "Unpublished changes" in page


def test_browser_line_endings_are_stored_as_plain_newlines(client, login_as):
    login_as("author")
    module = publish_module()
    edit(client, module.slug, SOURCE.replace("\n", "\r\n"), "save", module.edit_count)
    saved = fresh(module.slug)
    assert saved.draft_source == SOURCE
    assert not saved.has_unpublished_changes


def test_empty_text_is_refused_and_nothing_saved(client, login_as):
    login_as("author")
    module = publish_module()
    response = edit(client, module.slug, "   ", "save", module.edit_count)
    assert response.status_code == 400
    assert "Please write the text of the module." in response.get_data(as_text=True)
    assert fresh(module.slug).draft_source == SOURCE


def test_publish_numbers_versions_and_skips_unchanged_text(client, login_as):
    author = login_as("author", name="Iris Author")
    module = draft_module()

    response = edit(client, module.slug, SOURCE, "publish", module.edit_count)
    assert response.status_code == 302
    module = fresh(module.slug)
    assert module.status == "published" and module.current_version.number == 1
    assert module.current_version.published_by_id == author.id
    assert "Version 1 published." in client.get(response.headers["Location"]).get_data(
        as_text=True)

    response = edit(client, module.slug, SOURCE, "publish", module.edit_count)
    assert response.status_code == 302
    assert "has not changed" in client.get(response.headers["Location"]).get_data(as_text=True)
    module = fresh(module.slug)
    assert version_count(module) == 1

    response = edit(client, module.slug, SECOND_EDIT, "publish", module.edit_count)
    assert response.status_code == 302
    module = fresh(module.slug)
    assert module.current_version.number == 2 and version_count(module) == 2
    assert "Then ask a question" in services.get_published(module.slug).current_version.source
    page = client.get(f"/author/{module.slug}/edit").get_data(as_text=True)
    assert "Version 2 published." in page
    assert f'href="/modules/{module.slug}"' in page


def test_publish_with_an_error_is_400_with_the_line_and_the_text_kept(client, login_as):
    login_as("author")
    module = publish_module()
    response = edit(client, module.slug, INVALID, "publish", module.edit_count)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Line 5: The level expert is not known" in html
    assert "cannot be published yet" in html
    assert textarea_text(html) == INVALID
    saved = fresh(module.slug)
    assert saved.draft_source == INVALID  # kept as a draft
    assert saved.current_version.number == 1 and version_count(saved) == 1
    # The form carries the new edit count, so saving again is no conflict with oneself.
    assert edit_count_in(html) == saved.edit_count
    assert edit(client, module.slug, SOURCE, "save", edit_count_in(html)).status_code == 302


def test_second_editor_gets_a_conflict_with_both_texts(client, login_as):
    login_as("author")
    module = publish_module()
    first = edit_count_in(client.get(f"/author/{module.slug}/edit").get_data(as_text=True))
    second = edit_count_in(client.get(f"/author/{module.slug}/edit").get_data(as_text=True))
    assert first == second

    assert edit(client, module.slug, SECOND_EDIT, "save", first).status_code == 302
    mine = SOURCE.replace("Describe the behaviour", "Name the behaviour")
    response = edit(client, module.slug, mine, "save", second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this module" in html
    assert textarea_text(html) == mine  # own text, editable
    theirs = re.search(r'<textarea id="theirs"[^>]*readonly[^>]*>\n(.*?)</textarea>', html, re.S)
    assert htmllib.unescape(theirs[1]) == SECOND_EDIT
    assert "<ins" in html and "+Name the behaviour" in html
    saved = fresh(module.slug)
    assert saved.draft_source == SECOND_EDIT  # nothing overwritten
    assert edit_count_in(html) == saved.edit_count

    assert edit(client, module.slug, mine, "save", edit_count_in(html)).status_code == 302
    assert fresh(module.slug).draft_source == mine


def test_publishing_a_stale_text_is_a_conflict_too(client, login_as):
    login_as("author")
    module = publish_module()
    stale = module.edit_count
    assert edit(client, module.slug, SECOND_EDIT, "save", stale).status_code == 302
    response = edit(client, module.slug, SOURCE, "publish", stale)
    assert response.status_code == 409
    assert fresh(module.slug).current_version.number == 1


def test_missing_edit_count_is_treated_as_a_conflict(client, login_as):
    login_as("author")
    module = publish_module()
    response = client.post(f"/author/{module.slug}/edit",
                           data={"source": SECOND_EDIT, "action": "save", "edit_count": "x"})
    assert response.status_code == 409
    assert fresh(module.slug).draft_source == SOURCE


def login_with_csrf(client, csrf_token, make_user, *roles):
    user = make_user(roles=roles, password=LOGIN_PASSWORD)
    response = client.post("/login", data={"email": user.email, "password": LOGIN_PASSWORD,
                                            "csrf_token": csrf_token("/login")})
    assert response.status_code == 302
    return user


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_expired_form_keeps_the_text_and_saves_on_the_next_try(client, make_user, csrf_token):
    login_with_csrf(client, csrf_token, make_user, "author")
    module = publish_module()
    for bad_token in (None, "expired.or.forged"):
        data = {"source": SECOND_EDIT, "action": "save", "edit_count": str(module.edit_count)}
        if bad_token:
            data["csrf_token"] = bad_token
        response = client.post(f"/author/{module.slug}/edit", data=data)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Your editing session expired" in html
        assert textarea_text(html) == SECOND_EDIT
        assert fresh(module.slug).draft_source == SOURCE

    editor = html[html.index(f'action="/author/{module.slug}/edit"'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', editor)[1]
    response = client.post(f"/author/{module.slug}/edit", data={
        "source": SECOND_EDIT, "action": "save", "edit_count": str(edit_count_in(html)),
        "csrf_token": token})
    assert response.status_code == 302
    assert fresh(module.slug).draft_source == SECOND_EDIT


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_expired_form_on_the_new_page_keeps_the_text(client, make_user, csrf_token):
    login_with_csrf(client, csrf_token, make_user, "author")
    response = client.post("/author/new", data={
        "slug": "late", "language": "en", "source": SOURCE, "action": "create"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your editing session expired" in html and textarea_text(html) == SOURCE
    assert 'value="late"' in html
    assert services.get_module("late") is None


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_other_author_posts_still_need_a_csrf_token(client, make_user, csrf_token):
    login_with_csrf(client, csrf_token, make_user, "author")
    module = publish_module()
    assert client.post(f"/author/{module.slug}/archive").status_code == 400
    assert client.post("/author/preview", data={"source": "# x"}).status_code == 400
    assert fresh(module.slug).status == "published"
    token = csrf_token("/author/")
    assert client.post("/author/preview", data={"source": "# x", "csrf_token": token}
                       ).status_code == 200


# Status changes --------------------------------------------------------------------------------


def test_unpublish_and_archive_hide_the_module_from_learners(client, login_as):
    login_as("author")
    module = publish_module()
    response = client.post(f"/author/{module.slug}/unpublish")
    assert response.status_code == 302
    assert services.get_published(module.slug) is None
    assert fresh(module.slug).status == "draft"

    response = client.post(f"/author/{module.slug}/publish", data={"next": "/author/?status=draft"})
    assert response.headers["Location"] == "/author/?status=draft"
    assert services.get_published(module.slug) is not None
    assert version_count(fresh(module.slug)) == 1

    response = client.post(f"/author/{module.slug}/archive", data={"next": "//evil.example"})
    assert response.headers["Location"] == f"/author/{module.slug}/edit"
    assert services.get_published(module.slug) is None
    module = fresh(module.slug)
    assert module.status == "archived" and module.current_version.number == 1
    assert "is archived" in client.get(f"/author/{module.slug}/edit").get_data(as_text=True)


def test_publish_button_with_problems_sends_the_author_to_the_editor(client, login_as):
    login_as("author")
    module = draft_module(source=INVALID)
    response = client.post(f"/author/{module.slug}/publish")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/author/{module.slug}/edit"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was not published" in page and "Line 5: The level expert is not known" in page
    assert fresh(module.slug).status == "draft"


# History and diff ------------------------------------------------------------------------------


def test_history_lists_versions_with_who_published_them(client, login_as, make_user, queries):
    login_as("author")
    ann, bob = make_user(name="Ann Publisher"), make_user(name="Bob Publisher")
    module = publish_module(author=ann)
    with queries() as few:
        client.get(f"/author/{module.slug}/history")
    for number, person in enumerate((bob, ann, bob), start=2):
        authoring.save_draft(module, SOURCE + f"\nEdit {number}.\n", module.edit_count)
        authoring.publish(module, person)
        db.session.commit()
    with queries() as many:
        response = client.get(f"/author/{module.slug}/history")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ann Publisher" in html and "Bob Publisher" in html
    assert "Compare with version 3" in html
    assert len(many) == len(few)


def test_diff_marks_added_and_removed_lines(client, login_as):
    login_as("author")
    module = publish_module()
    authoring.save_draft(module, SECOND_EDIT.replace("What comes first?", "What is first?"),
                        module.edit_count)
    authoring.publish(module, None)
    db.session.commit()

    html = client.get(f"/author/{module.slug}/diff").get_data(as_text=True)
    assert '<ins class="diff-add">+Then ask a question.</ins>' in html
    assert '<del class="diff-remove">-What comes first?</del>' in html
    assert '<ins class="diff-add">+What is first?</ins>' in html
    assert "From version 1 to version 2" in html

    reverse = client.get(f"/author/{module.slug}/diff?from=2&to=1").get_data(as_text=True)
    assert '<del class="diff-remove">-Then ask a question.</del>' in reverse

    first = client.get(f"/author/{module.slug}/diff?to=1").get_data(as_text=True)
    assert '<ins class="diff-add">+# Giving feedback that lands</ins>' in first

    authoring.save_draft(module, SOURCE, module.edit_count)
    db.session.commit()
    draft = client.get(f"/author/{module.slug}/diff?to=draft").get_data(as_text=True)
    assert "From version 2 to the draft" in draft
    assert '<del class="diff-remove">-Then ask a question.</del>' in draft


@pytest.mark.parametrize("query,status", [
    ("from=abc&to=xyz", 200), ("from=-1", 200), ("to=1.5", 200), ("from=%C2%B2", 200),
    ("from=0", 404), ("to=99", 404), ("from=99999999999999999999999", 404),
    ("from=1&to=1", 200),
])
def test_diff_with_bad_parameters_never_fails(client, login_as, query, status):
    login_as("author")
    publish_module()
    response = client.get(f"/author/giving-feedback/diff?{query}")
    assert response.status_code == status


def test_diff_of_a_never_published_module_says_so(client, login_as):
    login_as("author")
    draft_module()
    response = client.get("/author/giving-feedback/diff")
    assert response.status_code == 200
    assert "nothing to compare" in response.get_data(as_text=True)


# Statistics ------------------------------------------------------------------------------------


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_stats_show_aggregates_and_no_names(client, login_as, make_user):
    login_as("author")
    module = publish_module()
    version = services.get_published(module.slug).current_version
    question = version.questions[0]
    learners = [make_user(name=f"Learner Number{i}") for i in range(4)]
    for learner, choice in zip(learners, (0, 0, 0, 1), strict=True):
        learning.submit_quiz(learner, version, {question.id: {choice}})
    for learner in learners[:3]:
        learning.complete_module(learner, module)
    db.session.commit()

    response = client.get(f"/author/{module.slug}/stats")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<p class="stat">3</p>' in html  # completions
    assert '<p class="stat">100%</p>' in html  # the three completers answered right
    assert '<meter min="0" max="100" value="75"' in html
    assert "What comes first?" in html
    assert "Learner Number" not in html and "@example.com" not in html
    assert 'style="' not in html


# Upload ----------------------------------------------------------------------------------------


def make_zip(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_upload_a_markdown_file_publishes_it(client, login_as):
    login_as("author")
    response = client.post("/author/upload", data={
        "file": (io.BytesIO(SOURCE.encode()), "Feedback Basics.md"), "language": "en"},
        content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "1 created" in html and "feedback-basics" in html
    module = services.get_published("feedback-basics")
    assert module is not None and module.current_version.number == 1


def test_upload_a_zip_reports_each_file(client, login_as):
    login_as("author")
    publish_module("unchanged-one")
    archive = make_zip({
        "nl/nieuw.md": SOURCE.encode(),
        "unchanged-one.md": SOURCE.encode(),
        "broken.md": INVALID.encode(),
        "../escape.md": SOURCE.encode(),
        "picture.png": b"\x89PNG\r\n\x1a\n\0\0\0binary",
    })
    response = client.post("/author/upload", data={"file": (archive, "modules.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "1 created, 0 updated, 1 unchanged, 2 invalid, 1 skipped" in html
    assert "Line 5: The level expert is not known" in html
    assert "Unsafe path in the archive" in html
    assert "modules.zip:picture.png" in html and "skipped" in html
    assert services.get_published("nieuw").language == "nl"
    assert services.get_module("escape") is None and services.get_module("broken") is None


def test_upload_a_zip_with_a_binary_file_beside_modules_is_ok(client, login_as):
    login_as("author")
    archive = make_zip({"one.md": SOURCE.encode(), "logo.png": b"\0\1\2\3"})
    response = client.post("/author/upload", data={"file": (archive, "pack.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert services.get_published("one") is not None


def test_upload_a_damaged_zip_entry_is_reported_not_a_crash(client, login_as):
    login_as("author")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("good.md", SOURCE * 3)
    data = bytearray(buffer.getvalue())
    data[data.find(b"good.md") + 12] ^= 0xFF  # corrupt the compressed bytes
    response = client.post("/author/upload", data={"file": (io.BytesIO(bytes(data)), "x.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "cannot be read" in response.get_data(as_text=True)


@pytest.mark.parametrize("filename", [None, "people.csv"])
def test_upload_form_errors_are_400(client, login_as, filename):
    login_as("author")
    data = {"file": (io.BytesIO(b"email,name\n"), filename)} if filename else {}
    response = client.post("/author/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_upload_over_an_open_editor_makes_its_save_a_conflict(client, login_as):
    login_as("author")
    module = publish_module()
    loaded = module.edit_count
    client.post("/author/upload", data={
        "file": (io.BytesIO(SECOND_EDIT.encode()), "giving-feedback.md")},
        content_type="multipart/form-data")
    assert fresh(module.slug).current_version.number == 2
    response = edit(client, module.slug, SOURCE, "save", loaded)
    assert response.status_code == 409
    assert fresh(module.slug).draft_source == SECOND_EDIT


# The list, access and 404s ---------------------------------------------------------------------


def test_module_list_shows_status_and_filters(client, login_as):
    login_as("author")
    publish_module("published-en")
    publish_module("published-nl", SOURCE.replace("duration: 5", "duration: 5\nlanguage: nl"),
                   language="nl")
    draft_module("just-a-draft", SOURCE.replace("Giving feedback that lands", "Draft Title"))
    changed = publish_module("changed-one")
    authoring.save_draft(changed, SECOND_EDIT, changed.edit_count)
    db.session.commit()

    html = client.get("/author/").get_data(as_text=True)
    for slug in ("published-en", "published-nl", "just-a-draft", "changed-one"):
        assert f'href="/author/{slug}/write"' in html
    assert html.count("Unpublished changes") == 2  # the new draft and the changed module
    assert 'class="tag tag-draft">Draft<' in html and 'class="tag tag-published">' in html

    only_nl = client.get("/author/?language=nl").get_data(as_text=True)
    assert "published-nl" in only_nl and "published-en" not in only_nl
    drafts = client.get("/author/?status=draft").get_data(as_text=True)
    assert "just-a-draft" in drafts and "published-en" not in drafts
    found = client.get("/author/?q=draft+title").get_data(as_text=True)
    assert "just-a-draft" in found and "published-en" not in found
    ignored = client.get("/author/?status=bogus&language=xx&page=-3&q=" + "x" * 500)
    assert ignored.status_code == 200
    assert client.get("/author/?status=bogus&language=xx&page=%C2%B2").status_code == 200


def test_module_list_runs_the_same_queries_for_2_and_12_modules(client, login_as, queries):
    login_as("author")
    for i in range(2):
        publish_module(f"module-{i}")
    with queries() as few:
        assert client.get("/author/").status_code == 200
    for i in range(2, 12):
        if i % 2:
            draft_module(f"module-{i}")
        else:
            publish_module(f"module-{i}")
    with queries() as many:
        html = client.get("/author/").get_data(as_text=True)
    assert html.count('href="/author/module-') >= 12
    assert len(many) == len(few), many


def test_list_paginates(app, client, login_as):
    app.config["PER_PAGE"] = 2
    login_as("author")
    for i in range(3):
        draft_module(f"module-{i}")
    first = client.get("/author/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert client.get("/author/?page=2").get_data(as_text=True).count("/write\"") >= 1


AUTHOR_ROUTES = [
    ("GET", "/author/"), ("GET", "/author/new"), ("POST", "/author/new"),
    ("GET", "/author/upload"), ("POST", "/author/upload"), ("POST", "/author/preview"),
    ("GET", "/author/giving-feedback/edit"), ("POST", "/author/giving-feedback/edit"),
    ("POST", "/author/giving-feedback/publish"), ("POST", "/author/giving-feedback/unpublish"),
    ("POST", "/author/giving-feedback/archive"), ("GET", "/author/giving-feedback/history"),
    ("GET", "/author/giving-feedback/diff"), ("GET", "/author/giving-feedback/stats"),
]


def test_the_route_list_above_covers_every_author_route(app):
    rules = {(rule.rule.replace("<slug>", "giving-feedback"), method)
             for rule in app.url_map.iter_rules() if rule.endpoint.startswith("author.")
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert rules == {(path, method) for method, path in AUTHOR_ROUTES}


def test_employee_gets_403_on_every_author_route(client, login_as):
    login_as("employee", "manager", "hr")
    module = publish_module()
    for method, path in AUTHOR_ROUTES:
        response = client.open(path, method=method, data={"source": "x", "action": "save"})
        assert response.status_code == 403, (method, path)
    assert fresh(module.slug).status == "published"


@pytest.mark.parametrize("method,path", [r for r in AUTHOR_ROUTES if "giving-feedback" in r[1]])
def test_unknown_module_is_404(client, login_as, method, path):
    login_as("author")
    response = client.open(path.replace("giving-feedback", "no-such-module"), method=method,
                           data={"source": "x", "action": "save", "edit_count": "1"})
    assert response.status_code == 404


def test_author_pages_have_no_inline_script_or_style(client, login_as):
    login_as("author")
    module = publish_module()
    for path in ("/author/", "/author/new", "/author/upload", f"/author/{module.slug}/edit",
                 f"/author/{module.slug}/history", f"/author/{module.slug}/diff",
                 f"/author/{module.slug}/stats"):
        html = client.get(path).get_data(as_text=True)
        assert 'style="' not in html and "<style" not in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_stats_hide_averages_of_fewer_people_than_the_threshold(client, login_as, make_user):
    login_as("author")
    module = publish_module()
    version = services.get_published(module.slug).current_version
    question = version.questions[0]
    learner = make_user()
    right = {i for i, option in enumerate(question.options) if option["correct"]}
    learning.submit_quiz(learner, version, {question.id: right})  # passes the default 100%
    learning.complete_module(learner, module)
    db.session.commit()
    html = client.get(f"/author/{module.slug}/stats").get_data(as_text=True)
    assert '<p class="stat">1</p>' in html
    assert '<p class="stat">0%</p>' not in html and "<meter" not in html
    assert "shown once 3 people answered" in html


@pytest.mark.app_config(ANONYMITY_THRESHOLD=3)
def test_stats_count_people_not_answers_for_question_shares(client, login_as, make_user):
    """Retries of one or two people never make a question's share visible: it would be
    their answers, as the average score would be their score."""
    login_as("author")
    module = publish_module()
    version = services.get_published(module.slug).current_version
    question = version.questions[0]
    first, second, third = make_user(), make_user(), make_user()
    for choice in (0, 1, 0, 1, 1, 0):
        learning.submit_quiz(first, version, {question.id: {choice}})
    learning.submit_quiz(second, version, {question.id: {0}})
    db.session.commit()
    html = client.get(f"/author/{module.slug}/stats").get_data(as_text=True)
    assert "<meter" not in html and "shown once 3 people answered" in html
    assert "<td>7</td>" in html  # the number of answers is a count, not a share

    learning.submit_quiz(third, version, {question.id: {0}})
    db.session.commit()
    html = client.get(f"/author/{module.slug}/stats").get_data(as_text=True)
    assert '<meter min="0" max="100" value="62"' in html  # 5 of 8 answers right
