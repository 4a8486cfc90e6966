"""My skills: the way toward each target level of the paths a person follows."""

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text
from learnpath.paths.skill_progress import skill_progress
from learnpath.skills import services as skills


def _path(slug, steps, level=2, skill="giving-feedback"):
    for step in steps:
        if modules.get_module(step) is None:
            module = module_authoring.create_module(step, f"# {step}\n\nRead this.\n")
            module_authoring.publish(module, None)
    lines = "".join(f"  - {{module: {step}}}\n" for step in steps)
    result = import_path_text(
        f"slug: {slug}\ntitle: {{nl: Pad {slug}, en: Path {slug}}}\nkind: horizontal\n"
        f"targets:\n  - {{skill: {skill}, level: {level}}}\nsteps:\n{lines}",
        f"paths/{slug}.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    db.session.commit()
    return paths.get_path(slug)


@pytest.fixture
def feedback(app):
    skills.import_skills("- slug: giving-feedback\n  name: {nl: Feedback geven, en: Giving "
                         "feedback}\n")
    return _path("feedback", ["one", "two", "three", "four"])


def _complete(user, *slugs):
    for slug in slugs:
        module_learning.complete_module(user, modules.get_published(slug))
    db.session.commit()


def test_my_skills_shows_the_way_toward_a_target_before_the_path_is_done(
        client, login_as, feedback):
    me = login_as()
    paths.enrol(me, feedback)
    _complete(me, "one", "two")
    html = client.get("/skills").get_data(as_text=True)
    assert "2 of 4 modules toward Practising" in html
    assert 'href="/paths/feedback"' in html and "Giving feedback" in html
    _complete(me, "three", "four")  # the path completes: the level is earned
    html = client.get("/skills").get_data(as_text=True)
    assert "level 2 of 4 · Practising" in html and "modules toward" not in html


def test_the_way_ahead_speaks_dutch_and_counts_one_module(client, login_as, feedback):
    me = login_as(locale="nl")
    paths.enrol(me, _path("short", ["one"], level=3))
    db.session.commit()
    html = client.get("/skills").get_data(as_text=True)
    assert "0 van 1 module op weg naar Vaardig" in html


def test_a_level_already_held_is_not_shown_as_a_way_ahead(app, make_user, feedback):
    me = make_user()
    paths.enrol(me, feedback)
    _complete(me, "one", "two", "three", "four")
    paths.enrol(me, _path("again", ["one", "five"], level=2))
    higher = _path("higher", ["five", "six"], level=3)
    paths.enrol(me, higher)
    db.session.commit()
    ahead = skill_progress(me)
    assert [(p.path.slug, p.level, p.current, p.done, p.required) for p in ahead] == [
        ("higher", 3, 2, 0, 2)]


def test_my_skills_queries_do_not_grow_with_paths(client, login_as, feedback, queries):
    me = login_as()
    paths.enrol(me, feedback)
    _complete(me, "one")
    client.get("/skills")
    with queries() as few:
        assert client.get("/skills").status_code == 200
    for n in range(5):
        paths.enrol(me, _path(f"more-{n}", [f"m{n}a", f"m{n}b"], level=1 + n % 4))
    db.session.commit()
    with queries() as many:
        assert client.get("/skills").status_code == 200
    assert len(few) == len(many)
