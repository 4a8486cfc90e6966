"""The module page's shared data kept with the version (issue 24, modules/page_data.py): at
most five statements for a signed-in learner, and the stored part follows every change it
depends on (publishing, unpublishing, archiving, translations, skill names)."""

import re

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.paths.catalog import import_path_text
from learnpath.skills import services as skills

QUIZ = """---
title: {title}
language: {language}
duration: 4
skills: [{skills}]
{extra}---

# {title}

Describe what you saw.

<quiz>
What comes first?
- [x] The behaviour
- [ ] Your judgement
</quiz>

<quiz>
Which are good habits?
- [x] Be specific
- [x] Ask a question
- [ ] Wait three months
</quiz>
"""


@pytest.fixture
def publish(app):
    skills.import_skills("- slug: giving-feedback\n  name: {nl: Feedback geven, en: Giving "
                         "feedback}\n- slug: listening\n  name: {nl: Luisteren, en: Listening}\n")
    db.session.commit()

    def factory(slug, title=None, language="en", skill_slugs="giving-feedback", extra=""):
        module = authoring.create_module(slug, QUIZ.format(
            title=title or slug.title(), language=language, skills=skill_slugs, extra=extra))
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def _module(slug):
    return db.session.scalar(db.select(Module).where(Module.slug == slug))


def _answer(client, slug, choices):
    version = _module(slug).current_version
    data = {f"q{q.id}": [str(i) for i in chosen]
            for q, chosen in zip(version.questions, choices, strict=True)}
    return client.post(f"/modules/{slug}/quiz", data=data)


def _next_titles(html):
    if 'id="next-title"' not in html:
        return []
    section = html.split('id="next-title"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a href="/modules/[^"]+"[^>]*>([^<]+)</a>', section)


def test_a_signed_in_learners_module_page_runs_at_most_five_statements(
        client, login_as, publish, queries):
    """The person, the module with their completion, the questions with their attempts, the
    suggestions they completed, and the next step in their path: never more than five."""
    login_as()
    publish("retro", skill_slugs="giving-feedback, listening")
    publish("retro-nl", "Retro", language="nl", extra="translation_of: retro\n")
    for n in range(4):
        publish(f"other-{n}")
    result = import_path_text(
        "slug: teams\ntitle: {nl: Teams, en: Better teams}\nkind: horizontal\n"
        "steps:\n  - {module: retro}\n  - {module: other-1}\n", "paths/teams.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    db.session.commit()
    assert client.post("/paths/teams/enrol").status_code == 302
    client.get("/modules/retro")  # the first view after the changes stores the page data
    with queries() as fresh:
        html = client.get("/modules/retro").get_data(as_text=True)
    assert "Also in Nederlands" in html and "Giving feedback" in html and "Listening" in html
    assert len(_next_titles(html)) == 3
    _answer(client, "retro", [[1], [0]])  # wrong
    _answer(client, "retro", [[0], [0, 1]])  # right
    with queries() as attempted:
        assert client.get("/modules/retro").status_code == 200
    assert client.post("/modules/retro/complete").status_code == 302
    with queries() as done:
        html = client.get("/modules/retro").get_data(as_text=True)
    assert "Next in your path Better teams:" in html
    for statements in (fresh, attempted, done):
        assert len(statements) <= 5, statements
    # the texts the page does not show stay in the database
    for statement in fresh + attempted + done:
        assert "module_versions.source" not in statement
        assert "module_versions.front_matter" not in statement
        assert "draft_source" not in statement


def test_what_comes_next_leaves_out_what_the_person_did_and_ranks_shared_skills_first(
        client, login_as, publish):
    user = login_as()
    publish("retro", skill_slugs="listening")
    publish("older-listening", "Older listening", skill_slugs="listening")
    for n in range(3):
        publish(f"newer-{n}", f"Newer {n}", skill_slugs="giving-feedback")
    publish("done-listening", "Done listening", skill_slugs="listening")
    db.session.add(Completion(user_id=user.id, module_id=_module("done-listening").id,
                              version_id=_module("done-listening").current_version_id))
    db.session.commit()
    titles = _next_titles(client.get("/modules/retro").get_data(as_text=True))
    assert titles == ["Older listening", "Newer 2", "Newer 1"]


def test_the_stored_page_data_follows_the_changes_it_depends_on(client, login_as, publish):
    login_as()
    publish("retro")
    other = publish("other", "Other one")
    assert _next_titles(client.get("/modules/retro").get_data(as_text=True)) == ["Other one"]
    stored = db.session.get(ModuleVersion, _module("retro").current_version_id).page_data
    assert stored["next"][0][:4] == [other.id, "other", "en", "Other one"]

    # a new version of another module: its new title
    authoring.publish(other, None, QUIZ.format(title="Other renamed", language="en",
                                               skills="giving-feedback", extra=""))
    db.session.commit()
    assert _next_titles(client.get("/modules/retro").get_data(as_text=True)) == ["Other renamed"]

    # unpublished, then archived: gone
    authoring.unpublish(_module("other"))
    db.session.commit()
    assert _next_titles(client.get("/modules/retro").get_data(as_text=True)) == []
    authoring.publish(_module("other"), None)
    db.session.commit()
    assert _next_titles(client.get("/modules/retro").get_data(as_text=True)) == ["Other renamed"]
    authoring.archive(_module("other"))
    db.session.commit()
    assert _next_titles(client.get("/modules/retro").get_data(as_text=True)) == []

    # a translation linked to it afterwards
    assert "Also in" not in client.get("/modules/retro").get_data(as_text=True)
    publish("retro-nl", "Retro in het Nederlands", language="nl",
            extra="translation_of: retro\n")
    html = client.get("/modules/retro").get_data(as_text=True)
    assert "Also in Nederlands" in html and "Retro in het Nederlands" in html

    # a skill renamed
    assert "Giving feedback" in html
    skills.save_skill(skills.get_skill("giving-feedback"), "giving-feedback",
                      {"name_en": "Feedback that lands", "name_nl": "Feedback geven",
                       "description_en": "", "description_nl": ""})
    db.session.commit()
    html = client.get("/modules/retro").get_data(as_text=True)
    assert '<span class="tag">Feedback that lands</span>' in html


def test_a_version_without_stored_page_data_gets_it_on_its_first_view(client, login_as,
                                                                      publish):
    """Versions published before 0021_version_precompute have none: the first view stores it."""
    login_as()
    publish("retro")
    publish("other", "Other one")
    version = db.session.get(ModuleVersion, _module("retro").current_version_id)
    version.page_data = None
    db.session.commit()
    assert _next_titles(client.get("/modules/retro").get_data(as_text=True)) == ["Other one"]
    db.session.expire_all()
    assert db.session.get(ModuleVersion, version.id).page_data["next"][0][1] == "other"
