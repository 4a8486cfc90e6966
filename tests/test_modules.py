"""The learner page: reading, knowledge checks, marking as done, permissions and queries."""

import threading
from types import SimpleNamespace

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring, learning, services
from learnpath.modules.models import Completion, QuizAttempt

QUIZ_MODULE = """---
title: Feedback that lands
summary: Three steps.
language: en
duration: 4
skills: [giving-feedback]
---

# Feedback that lands

Describe what you saw.

<quiz>
What comes first?
- [x] The behaviour
- [ ] Your judgement

Behaviour can change.
</quiz>

<quiz>
Which are good habits?
- [x] Be specific
- [x] Ask a question
- [ ] Wait three months
</quiz>
"""

PLAIN_MODULE = "# Just reading\n\nNo questions here, only text.\n"


@pytest.fixture
def publish_module(app):
    def factory(slug="feedback", source=QUIZ_MODULE, author=None):
        module = authoring.create_module(slug, source)
        authoring.publish(module, author)
        db.session.commit()
        return module

    return factory


def _answer(client, module, choices):
    version = module.current_version
    data = {}
    for question, chosen in zip(version.questions, choices, strict=True):
        data[f"q{question.id}"] = [str(i) for i in chosen]
    return client.post(f"/modules/{module.slug}/quiz", data=data)


def test_learner_page_shows_title_duration_and_sanitised_content(client, login_as,
                                                                   publish_module):
    login_as()
    publish_module(source=QUIZ_MODULE.replace("Describe what you saw.",
                                              "Describe <script>alert(1)</script> what you saw."))
    html = client.get("/modules/feedback").get_data(as_text=True)
    assert "Feedback that lands" in html and "4 minutes" in html
    assert "<script>alert" not in html
    assert 'type="radio"' in html and 'type="checkbox"' in html


def test_unpublished_and_unknown_modules_are_404_for_learners(client, login_as, publish_module):
    login_as()
    module = publish_module()
    authoring.unpublish(module)
    db.session.commit()
    assert client.get("/modules/feedback").status_code == 404
    assert client.get("/modules/does-not-exist").status_code == 404
    draft = authoring.create_module("draft-only", PLAIN_MODULE)
    db.session.commit()
    assert client.get(f"/modules/{draft.slug}").status_code == 404


def test_archived_module_is_gone_from_the_catalog_but_completions_stay(
        client, login_as, publish_module):
    user = login_as()
    module = publish_module("plain", PLAIN_MODULE)
    client.post("/modules/plain/complete")
    authoring.archive(module)
    db.session.commit()
    assert "Just reading" not in client.get("/modules").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Completion.id)).where(
        Completion.user_id == user.id)) == 1


def test_wrong_then_right_answers_show_feedback_and_store_score(client, login_as, publish_module):
    user = login_as()
    module = publish_module()
    wrong = _answer(client, module, [[1], [0]])
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 200
    assert "You answered 0 of 2 questions correctly." in html and "Not quite." in html
    # the explanation gives the answer away: shown once it is right (or the answers are revealed)
    assert "Behaviour can change." not in html
    right = _answer(client, module, [[0], [0, 1]]).get_data(as_text=True)
    assert "You answered 2 of 2 questions correctly." in right
    assert "Behaviour can change." in right
    scores = db.session.scalars(db.select(QuizAttempt.score).where(
        QuizAttempt.user_id == user.id).order_by(QuizAttempt.id)).all()
    assert scores == [0.0, 1.0]


def test_unanswered_question_is_a_422_and_keeps_the_choices(client, login_as, publish_module):
    login_as()
    module = publish_module()
    response = _answer(client, module, [[0], []])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please answer every question." in html
    first = module.current_version.questions[0]
    assert f'name="q{first.id}" value="0" checked' in html
    # said inside the knowledge check (which quiz.js swaps in place), next to the blank question
    quiz = html.split('id="quiz"')[1]
    assert 'role="alert">Please answer every question. 1 question has no answer yet.' in quiz
    second = module.current_version.questions[1]
    assert f'aria-describedby="unanswered-{second.id}"' in quiz
    assert f'aria-describedby="unanswered-{first.id}"' not in quiz
    assert quiz.count("Choose an answer to this question.") == 1


def test_tampered_answers_are_ignored_not_500(client, login_as, publish_module):
    login_as()
    module = publish_module()
    q1, q2 = module.current_version.questions
    response = client.post("/modules/feedback/quiz",
                           data={f"q{q1.id}": ["99", "abc", "-1"], f"q{q2.id}": ["0"]})
    assert response.status_code == 422
    response = client.post("/modules/feedback/quiz", data={f"q{q1.id}": ["0", "1"],
                                                           f"q{q2.id}": ["0"]})
    assert response.status_code == 422  # two answers to a single-choice question


def test_mark_as_done_needs_the_knowledge_check_first(client, login_as, publish_module):
    login_as()
    publish_module()
    response = client.post("/modules/feedback/complete")
    assert response.status_code == 409
    assert "Answer the knowledge check before marking" in response.get_data(as_text=True)


def test_mark_as_done_twice_gives_one_completion_with_score(client, login_as, publish_module):
    user = login_as()
    module = publish_module(source=QUIZ_MODULE.replace("duration: 4", "duration: 4\npass: 50"))
    _answer(client, module, [[0], [0]])
    assert client.post("/modules/feedback/complete").status_code == 302
    assert client.post("/modules/feedback/complete").status_code == 302
    completions = db.session.scalars(db.select(Completion).where(
        Completion.user_id == user.id)).all()
    assert len(completions) == 1
    assert completions[0].score == 0.5
    assert completions[0].version_id == module.current_version_id
    _answer(client, module, [[0], [0, 1]])
    client.post("/modules/feedback/complete")
    assert db.session.get(Completion, completions[0].id).score == 1.0
    html = client.get("/modules/feedback").get_data(as_text=True)
    assert "You completed this module on" in html


def test_completion_records_the_version_it_was_made_on(client, login_as, publish_module):
    user = login_as()
    module = publish_module("plain", PLAIN_MODULE)
    first_version = module.current_version_id
    client.post("/modules/plain/complete")
    authoring.publish(module, None, PLAIN_MODULE + "\nA new paragraph.\n")
    db.session.commit()
    assert module.current_version.number == 2
    completion = db.session.scalar(db.select(Completion).where(Completion.user_id == user.id))
    assert completion.version_id == first_version


def test_concurrent_mark_as_done_creates_one_row(app, make_user, publish_module):
    user = make_user()
    publish_module("plain", PLAIN_MODULE)
    results, errors = [], []
    barrier = threading.Barrier(6)

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                person = db.session.get(type(user), user.id)
                module = services.get_published("plain")
                results.append(learning.complete_module(person, module)[1])
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 1
    assert results.count(True) <= 1


def test_other_language_variant_is_offered(client, login_as, publish_module):
    login_as()
    publish_module("plain-en", PLAIN_MODULE)
    publish_module("plain-nl", "---\nlanguage: nl\ntranslation_of: plain-en\n---\n# Alleen lezen\n")
    html = client.get("/modules/plain-en").get_data(as_text=True)
    assert "Also in Nederlands" in html and "/modules/plain-nl" in html


def test_catalog_lists_published_modules_and_marks_done(client, login_as, publish_module):
    login_as()
    publish_module("plain", PLAIN_MODULE)
    publish_module()
    client.post("/modules/plain/complete")
    html = client.get("/modules").get_data(as_text=True)
    assert "Just reading" in html and "Feedback that lands" in html
    assert "Done" in html
    assert client.get("/modules?language=xx&page=abc").status_code == 200


def test_module_page_query_count_does_not_grow_with_the_catalog(
        client, login_as, publish_module, queries):
    login_as()
    module = publish_module()
    publish_module("extra", QUIZ_MODULE.replace("Feedback that lands", "Extra"))
    _answer(client, module, [[0], [0, 1]])
    client.post("/modules/feedback/complete")
    with queries() as small:
        assert client.get("/modules/feedback").status_code == 200
    for n in range(8):
        publish_module(f"extra-{n}", QUIZ_MODULE.replace("Feedback that lands", f"Extra {n}"))
    # The first view after the catalog changed computes the version's shared page data again
    # and stores it (modules/page_data.py); the views after it read it.
    with queries() as recomputed:
        assert client.get("/modules/feedback").status_code == 200
    with queries() as large:
        assert client.get("/modules/feedback").status_code == 200
    assert len(small) == len(large) <= 5
    assert len(recomputed) <= 15


def test_content_route_serves_files_but_cannot_escape(app, client, login_as, tmp_path):
    login_as()
    content = tmp_path / "content"
    (content / "modules" / "en").mkdir(parents=True)
    (content / "modules" / "en" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (tmp_path / "secret.txt").write_text("TOP-SECRET-CONTENT-42")
    app.config["CONTENT_DIR"] = str(content)
    assert client.get("/content/modules/en/chart.png").status_code == 200
    for path in ["/content/../secret.txt", "/content/%2e%2e/secret.txt",
                 "/content/modules/../../secret.txt", "/content/..%2fsecret.txt",
                 "/content//etc/passwd", "/content/modules/en/missing.png"]:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 404, path
        assert b"TOP-SECRET-CONTENT-42" not in response.data


def test_content_route_needs_sign_in(client):
    assert client.get("/content/modules/en/chart.png").status_code == 302


def test_relative_images_of_an_imported_module_point_at_the_content_route(app, client, login_as,
                                                                          tmp_path):
    from learnpath.modules.importer import import_paths

    login_as()
    folder = tmp_path / "content" / "modules" / "en"
    folder.mkdir(parents=True)
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (folder / "with-chart.md").write_text("# With a chart\n\n![The chart](chart.png)\n\n"
                                          "[Absolute](https://example.org/x.png)\n")
    app.config["CONTENT_DIR"] = str(tmp_path / "content")
    report = import_paths([tmp_path / "content"], content_root=tmp_path / "content")
    db.session.commit()
    assert [f.status for f in report.files if f.slug == "with-chart"] == ["created"]
    html = client.get("/modules/with-chart").get_data(as_text=True)
    assert 'src="/content/modules/en/chart.png"' in html
    assert 'href="https://example.org/x.png"' in html  # absolute links stay as they are
    assert client.get("/content/modules/en/chart.png").status_code == 200


def test_a_page_view_never_renders_markdown(client, login_as, publish_module, monkeypatch):
    """Versions store their sanitised HTML at publication; the learner page only reads it.

    Guarded where every rendering path ends, whatever name a caller imported: the Markdown
    converter, the HTML sanitisers and the module parser.
    """
    import markdown

    from learnpath.modules import parsing, rendering

    login_as()
    publish_module("feedback", QUIZ_MODULE)
    rendered = []

    def refuse(what):
        def refused(*_args, **_kwargs):
            rendered.append(what)
            raise AssertionError(f"{what} during a page view")
        return refused

    monkeypatch.setattr(markdown.Markdown, "convert", refuse("Markdown converted"))
    monkeypatch.setattr(rendering, "sanitise", refuse("HTML sanitised"))
    monkeypatch.setattr(rendering, "_cleaner", SimpleNamespace(clean=refuse("HTML sanitised")))
    monkeypatch.setattr(rendering, "_text_only", SimpleNamespace(clean=refuse("HTML stripped")))
    monkeypatch.setattr(parsing, "parse_module", refuse("Module parsed"))
    monkeypatch.setattr(authoring, "parse_module", refuse("Module parsed"))
    response = client.get("/modules/feedback")
    assert rendered == []  # an AssertionError swallowed by an error page still counts
    assert response.status_code == 200 and "Feedback that lands" in response.get_data(as_text=True)
