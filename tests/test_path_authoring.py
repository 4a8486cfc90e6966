"""Author pages for growth paths and skills: create, edit steps, preview, publish, skills."""

import re

import pytest
from sqlalchemy import select

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import catalog
from learnpath.paths import enrolments as paths
from learnpath.paths.models import Enrolment, GrowthPath, PathStep, PathTarget
from learnpath.skills.models import Skill

LOGIN_PASSWORD = "a long test password"


def module_source(title, minutes=5):
    return f"---\ntitle: {title}\nduration: {minutes}\n---\n\n# {title}\n\nSome text.\n"


@pytest.fixture
def make_module(app):
    """Create a module, published unless told otherwise; commits."""

    def factory(slug, title=None, minutes=5, status="published"):
        module = module_authoring.create_module(slug, module_source(title or slug.title(), minutes))
        if status != "draft":
            module_authoring.publish(module, None)
        if status == "archived":
            module_authoring.archive(module)
        db.session.commit()
        return module

    return factory


@pytest.fixture
def make_skill(app):
    def factory(slug="coaching", name_en="Coaching", name_nl="Coachen"):
        skill = Skill(slug=slug, name_en=name_en, name_nl=name_nl)
        db.session.add(skill)
        db.session.commit()
        return skill

    return factory


@pytest.fixture
def make_path(app, make_module):
    """A saved path over new modules (module slugs: <slug>-1, <slug>-2, ...); commits."""

    def factory(slug="first-steps", steps=3, status="published"):
        ids = [make_module(f"{slug}-{n}", f"Step {n} of {slug}").id for n in range(1, steps + 1)]
        data = catalog.PathData(slug, f"Eerste stappen {slug}", f"First steps {slug}", "", "",
                                 "horizontal", [], [(i, False) for i in ids])
        path, _status = catalog.save_path(data)
        path.status = status
        db.session.commit()
        return path

    return factory


def editor_data(path=None, **changes):
    """The form a browser would post for this path (or an empty new one)."""
    data = {"title_en": "", "title_nl": "", "description_en": "", "description_nl": "",
            "kind": "horizontal", "new_step": "", "loaded_at": ""}
    steps, targets = [], []
    if path is not None:
        db.session.refresh(path)
        data.update(title_en=path.title_en, title_nl=path.title_nl, kind=path.kind,
                    description_en=path.description_en, description_nl=path.description_nl,
                    loaded_at=path.updated_at.isoformat())
        for step in path.steps:
            steps.append((modules.get_module_by_id(step.module_id).slug, step.optional))
        targets = [(t.skill.slug, t.level) for t in path.targets]
    steps = changes.pop("steps", steps)
    targets = changes.pop("targets", targets)
    data.update(changes)
    for index, (slug, optional) in enumerate(steps):
        data[f"steps-{index}-module"] = slug
        if optional:
            data[f"steps-{index}-optional"] = "y"
    for index, (skill, level) in enumerate(targets):
        data[f"targets-{index}-skill"] = skill
        data[f"targets-{index}-level"] = str(level)
    return data


def step_slugs(path_slug):
    db.session.expire_all()
    path = db.session.scalar(select(GrowthPath).where(GrowthPath.slug == path_slug))
    return [(modules.get_module_by_id(s.module_id).slug, s.optional) for s in path.steps]


def posted_steps(html):
    return re.findall(r'name="steps-\d+-module"[^>]*value="([^"]*)"', html)


@pytest.fixture
def author(login_as):
    return login_as("author")


# Creating ------------------------------------------------------------------------------------


def test_author_creates_a_path_as_a_draft(client, author, make_module, make_skill):
    make_module("coaching-questions", "Coaching questions")
    make_module("delegating", "Delegating")
    make_skill()
    response = client.post("/author/paths/new", data=editor_data(
        slug="Coaching Leadership", title_en="Coaching leadership", title_nl="Coachend leiden",
        description_en="From answers to questions.", kind="vertical",
        steps=[("coaching-questions", False), ("delegating", True)],
        targets=[("coaching", 3)], action="save"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/author/paths/coaching-leadership/edit")
    path = paths.get_path("coaching-leadership", published_only=False)
    assert (path.status, path.kind, path.title_nl) == ("draft", "vertical", "Coachend leiden")
    assert [(t.skill.slug, t.level) for t in path.targets] == [("coaching", 3)]
    assert step_slugs(path.slug) == [("coaching-questions", False), ("delegating", True)]
    assert paths.get_path("coaching-leadership") is None  # learners do not see a draft


def test_new_path_needs_a_title_a_free_slug_and_a_required_step(client, author, make_path):
    make_path("taken")
    response = client.post("/author/paths/new", data=editor_data(
        slug="taken", title_en="", steps=[], action="save"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please give the path a title." in html
    assert "A path with the address &#39;taken&#39; already exists." in html

    response = client.post("/author/paths/new", data=editor_data(
        slug="fresh", title_en="Fresh", steps=[("taken-1", True)], action="save"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "At least one step must be required." in html  # the YAML import's own rule
    assert 'value="Fresh"' in html and posted_steps(html) == ["taken-1"]  # nothing lost
    assert paths.get_path("fresh", published_only=False) is None


def test_empty_path_is_refused_like_in_the_yaml_import(client, author):
    response = client.post("/author/paths/new", data=editor_data(
        slug="empty", title_en="Empty", action="save"))
    assert response.status_code == 400
    assert "The path has no steps." in response.get_data(as_text=True)


# Editing steps -------------------------------------------------------------------------------


def test_author_edits_titles_and_saves(client, author, make_path):
    path = make_path()
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, title_en="A better title", description_nl="Nieuw", action="save"))
    assert response.status_code == 302
    db.session.expire_all()
    path = paths.get_path(path.slug)
    assert (path.title_en, path.description_nl) == ("A better title", "Nieuw")
    assert path.status == "published"  # editing keeps the status


def test_moving_a_step_changes_the_form_only_until_saved(client, author, make_path):
    path = make_path()
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, action="down:0"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert posted_steps(html) == ["first-steps-2", "first-steps-1", "first-steps-3"]
    assert step_slugs(path.slug)[0] == ("first-steps-1", False)  # not saved yet

    steps = [(slug, False) for slug in posted_steps(html)]
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, steps=steps, action="up:2"))
    assert posted_steps(response.get_data(as_text=True)) == [
        "first-steps-2", "first-steps-3", "first-steps-1"]

    steps = [("first-steps-2", False), ("first-steps-3", False), ("first-steps-1", False)]
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, steps=steps, action="save"))
    assert response.status_code == 302
    assert [slug for slug, _ in step_slugs(path.slug)] == [
        "first-steps-2", "first-steps-3", "first-steps-1"]


def test_move_buttons_are_plain_submit_buttons(client, author, make_path):
    path = make_path()
    html = client.get(f"/author/paths/{path.slug}/edit").get_data(as_text=True)
    assert re.search(r'<button type="submit" name="action" value="up:1"', html)
    assert re.search(r'<button type="submit" name="action" value="down:0"', html)
    assert re.search(r'value="up:0"[^>]*disabled', html)


def test_marking_a_step_optional(client, author, make_path):
    path = make_path()
    steps = [("first-steps-1", False), ("first-steps-2", True), ("first-steps-3", False)]
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, steps=steps, action="save"))
    assert response.status_code == 302
    assert step_slugs(path.slug) == steps


def test_adding_a_step_by_module_slug(client, author, make_path, make_module):
    path = make_path()
    make_module("one-more", "One more")
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, new_step="one-more", action="add"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert posted_steps(html)[-1] == "one-more" and "One more" in html
    assert len(step_slugs(path.slug)) == 3  # not saved yet


def test_unknown_module_slug_gets_a_message_next_to_the_field(client, author, make_path):
    path = make_path()
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, title_en="Typed but not saved", new_step="no-such-module", action="add"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="new_step-error" class="field-error">Unknown module '
                     r'&#39;no-such-module&#39;.', html)
    assert 'aria-invalid="true"' in html
    assert 'value="no-such-module"' in html and 'value="Typed but not saved"' in html


def test_a_module_cannot_be_added_twice(client, author, make_path):
    path = make_path()
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, new_step="first-steps-2", action="add"))
    assert response.status_code == 400
    assert "The module &#39;first-steps-2&#39; is already step 2." in response.get_data(
        as_text=True)


def test_save_with_a_typed_slug_adds_that_step_too(client, author, make_path, make_module):
    path = make_path()
    make_module("extra")
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, new_step="extra", action="save"))
    assert response.status_code == 302
    assert step_slugs(path.slug)[-1] == ("extra", False)


def test_removing_a_step(client, author, make_path):
    path = make_path()
    response = client.post(f"/author/paths/{path.slug}/edit",
                           data=editor_data(path, action="remove:1"))
    assert posted_steps(response.get_data(as_text=True)) == ["first-steps-1", "first-steps-3"]
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, steps=[("first-steps-1", False), ("first-steps-3", False)], action="save"))
    assert response.status_code == 302
    assert step_slugs(path.slug) == [("first-steps-1", False), ("first-steps-3", False)]


def test_a_bad_step_action_is_refused(client, author, make_path):
    path = make_path()
    for action in ("down:9", "explode", "up:x"):
        response = client.post(f"/author/paths/{path.slug}/edit",
                               data=editor_data(path, action=action))
        assert response.status_code == 400, action


def test_targets_are_validated(client, author, make_path, make_skill):
    path = make_path()
    make_skill()
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, targets=[("coaching", 2), ("coaching", 3)], action="save"))
    assert response.status_code == 400
    assert "This skill is already a target of the path." in response.get_data(as_text=True)
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, targets=[("coaching", 7)], action="save"))
    assert response.status_code == 400
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, targets=[("unknown-skill", 2)], action="save"))
    assert response.status_code == 400
    assert paths.get_path(path.slug).targets == []


def test_someone_elses_save_meanwhile_is_not_overwritten(client, author, make_path):
    path = make_path()
    stale = editor_data(path, title_en="Mine", action="save")
    client.post(f"/author/paths/{path.slug}/edit",
                data=editor_data(path, title_en="Theirs", action="save"))
    response = client.post(f"/author/paths/{path.slug}/edit", data=stale)
    assert response.status_code == 409
    assert 'value="Mine"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert paths.get_path(path.slug).title_en == "Theirs"


# Preview and warnings ------------------------------------------------------------------------


def test_preview_shows_the_path_as_learners_see_it_without_saving(client, author, make_path,
                                                                  make_module):
    path = make_path()
    make_module("long-read", "A long read", minutes=9)
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, title_en="Previewed title", new_step="long-read", action="preview"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    preview = html[html.index('id="preview"'):]
    assert "Previewed title" in preview
    assert "Step 1 of first-steps" in preview and "A long read" in preview
    assert "9 minutes" in preview
    db.session.expire_all()
    assert paths.get_path(path.slug).title_en == "First steps first-steps"
    assert len(step_slugs(path.slug)) == 3


def test_a_step_with_an_archived_module_warns_the_author(client, author, make_path):
    path = make_path()
    module_authoring.archive(modules.get_module("first-steps-2"))
    db.session.commit()
    html = client.get(f"/author/paths/{path.slug}/edit").get_data(as_text=True)
    assert "Warning: this module is archived" in html
    listing = client.get("/author/paths/").get_data(as_text=True)
    assert "1 step is not published" in listing


# Status ----------------------------------------------------------------------------------------


def test_publish_and_archive_a_path(client, author, make_path):
    path = make_path(status="draft")
    response = client.post(f"/author/paths/{path.slug}/status", data={"status": "published"})
    assert response.status_code == 302
    assert paths.get_path(path.slug) is not None
    client.post(f"/author/paths/{path.slug}/status", data={"status": "archived"})
    db.session.expire_all()
    assert paths.get_path(path.slug) is None
    assert paths.get_path(path.slug, published_only=False).status == "archived"
    assert client.get(f"/paths/{path.slug}").status_code == 404


def test_an_unknown_status_is_refused(client, author, make_path):
    path = make_path()
    response = client.post(f"/author/paths/{path.slug}/status", data={"status": "deleted"})
    assert response.status_code == 400


# Progress survives edits -------------------------------------------------------------------------


def test_removing_a_step_keeps_the_progress_of_people_halfway(client, login_as, make_user,
                                                              make_path):
    path = make_path(steps=3)
    learner = make_user()
    enrolment = paths.enrol(learner, path)
    for slug in ("first-steps-1", "first-steps-2"):
        module_learning.complete_module(learner, modules.get_module(slug))
    db.session.commit()
    assert paths.progress_of([enrolment], paths.today())[enrolment.id].done == 2

    login_as("author")
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, steps=[("first-steps-1", False), ("first-steps-3", False)], action="save"))
    assert response.status_code == 302
    enrolment = db.session.get(Enrolment, enrolment.id)
    progress = paths.progress_of([enrolment], paths.today())[enrolment.id]
    assert (progress.done, progress.required) == (1, 2)

    steps = [("first-steps-1", False), ("first-steps-2", False), ("first-steps-3", False)]
    client.post(f"/author/paths/{path.slug}/edit",
                data=editor_data(path, steps=steps, action="save"))
    progress = paths.progress_of([enrolment], paths.today())[enrolment.id]
    assert (progress.done, progress.required) == (2, 3)  # the completion was never lost


# The list ----------------------------------------------------------------------------------------


def test_list_shows_status_kind_steps_and_people(client, author, make_path, make_user):
    path = make_path(steps=2)
    make_path("hidden-path", steps=1, status="draft")
    for _n in range(3):
        paths.enrol(make_user(), path)
    db.session.commit()
    html = client.get("/author/paths/").get_data(as_text=True)
    row = html[html.index("First steps first-steps"):]
    row = row[:row.index("</tr>")]
    assert "Published" in row and "Horizontal" in row
    assert "<td>\n      2\n" in row and "3 following" in row
    assert "Draft" in html[html.index("hidden-path"):]


def test_list_runs_a_bounded_number_of_queries(client, author, make_path, make_user, queries):
    def count():
        with queries() as statements:
            assert client.get("/author/paths/").status_code == 200
        return len(statements)

    for n in range(5):
        paths.enrol(make_user(), make_path(f"path-{n}", steps=2))
    db.session.commit()
    few = count()
    for n in range(5, 15):
        paths.enrol(make_user(), make_path(f"path-{n}", steps=2))
    db.session.commit()
    assert count() == few


def test_editor_runs_a_bounded_number_of_queries(client, author, make_path, queries):
    small, large = make_path("small", steps=2), make_path("large", steps=12)

    def count(path):
        with queries() as statements:
            assert client.get(f"/author/paths/{path.slug}/edit").status_code == 200
        return len(statements)

    assert count(small) == count(large)


# Skills ----------------------------------------------------------------------------------------


def test_author_edits_a_skill(client, author, make_skill):
    make_skill()
    assert "Coaching" in client.get("/author/paths/skills/").get_data(as_text=True)
    response = client.post("/author/paths/skills/coaching/edit", data={
        "name_en": "Coaching people", "name_nl": "Mensen coachen", "description_en": "Ask.",
        "description_nl": "Vraag.", "category": "leadership",
        "esco_uri": "http://data.europa.eu/esco/skill/abc"})
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.slug == "coaching"))
    assert (skill.name_en, skill.name_nl, skill.category) == (
        "Coaching people", "Mensen coachen", "leadership")
    assert skill.esco_uri == "http://data.europa.eu/esco/skill/abc"


def test_skill_list_counts_the_paths_leading_to_each_skill(client, author, make_skill,
                                                          make_path):
    coaching, listening = make_skill(), make_skill("listening", "Listening", "Luisteren")
    for slug in ("first-steps", "second-steps"):
        path = make_path(slug, steps=1)
        path.targets.append(PathTarget(skill_id=coaching.id, level=2))
    db.session.commit()
    html = client.get("/author/paths/skills/").get_data(as_text=True)
    cells = re.findall(r'<code>([a-z-]+)</code>.*?<td>(\d+)</td>\s*<td><a', html, re.S)
    assert cells == [("coaching", "2"), ("listening", "0")]
    assert listening.id  # in the list, led to by no path


@pytest.mark.parametrize("uri", ["javascript:alert(1)", "ftp://example.com/x", "not a url",
                                 "https://", "https://exa mple.com"])
def test_esco_uri_must_be_a_web_address(client, author, make_skill, uri):
    make_skill()
    response = client.post("/author/paths/skills/coaching/edit", data={
        "name_en": "Coaching", "name_nl": "Coachen", "esco_uri": uri})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter a web address starting with http:// or https://." in html
    assert db.session.scalar(select(Skill.esco_uri).where(Skill.slug == "coaching")) is None


def test_author_creates_a_skill_with_a_unique_slug(client, author, make_skill):
    make_skill()
    response = client.post("/author/paths/skills/new", data={
        "slug": "Active Listening", "name_en": "Active listening", "name_nl": "Actief luisteren"})
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.slug == "active-listening"))
    assert skill.name_nl == "Actief luisteren" and skill.esco_uri is None

    response = client.post("/author/paths/skills/new", data={
        "slug": "coaching", "name_en": "Again", "name_nl": "Weer"})
    assert response.status_code == 400
    assert "A skill with the address &#39;coaching&#39; already exists." in response.get_data(
        as_text=True)
    response = client.post("/author/paths/skills/new", data={
        "slug": "!!!", "name_en": "Odd", "name_nl": "Vreemd"})
    assert response.status_code == 400
    assert 'value="Odd"' in response.get_data(as_text=True)


def test_a_new_skill_can_be_a_path_target(client, author, make_path):
    path = make_path()
    client.post("/author/paths/skills/new", data={
        "slug": "listening", "name_en": "Listening", "name_nl": "Luisteren"})
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, targets=[("listening", 4)], action="save"))
    assert response.status_code == 302
    db.session.expire_all()
    assert [(t.skill.slug, t.level) for t in paths.get_path(path.slug).targets] == [
        ("listening", 4)]


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method,url", [
    ("get", "/author/paths/"), ("get", "/author/paths/new"),
    ("get", "/author/paths/first-steps/edit"), ("post", "/author/paths/first-steps/edit"),
    ("post", "/author/paths/first-steps/status"), ("get", "/author/paths/skills/"),
    ("get", "/author/paths/skills/new"), ("post", "/author/paths/skills/coaching/edit"),
])
def test_employee_gets_403(client, login_as, make_path, make_skill, method, url):
    path = make_path()
    make_skill()
    login_as("employee", "manager")
    response = getattr(client, method)(url, data={"status": "archived", "action": "save"})
    assert response.status_code == 403
    assert paths.get_path(path.slug) is not None


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_an_expired_token_gives_the_form_back(client, make_user, csrf_token, make_path):
    path = make_path()
    user = make_user(roles=("author",), password=LOGIN_PASSWORD)
    assert client.post("/login", data={"email": user.email, "password": LOGIN_PASSWORD,
                                       "csrf_token": csrf_token("/login")}).status_code == 302
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, title_en="Long typed title", action="save", csrf_token="expired"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Long typed title"' in html and "nothing was saved yet" in html
    assert len(db.session.scalars(select(PathStep)).all()) == 3
    token = csrf_token(f"/author/paths/{path.slug}/edit")
    response = client.post(f"/author/paths/{path.slug}/edit", data=editor_data(
        path, title_en="Long typed title", action="save", csrf_token=token))
    assert response.status_code == 302
    assert client.post(f"/author/paths/{path.slug}/status",
                       data={"status": "archived"}).status_code == 400
