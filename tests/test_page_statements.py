"""SQL statements of the learner pages and the manager's team page (issue 24): bounded, and
the same whether a person has one of everything or many.

A person who is in a team, follows an assigned path with a due date and a path of their own,
completed a step, received kudos, answered a pulse question and has a check-in coming; then
the same person with many more of each. Each page is requested once to warm up (the session
and the signed-in person's loading are counted like on any request) and once counted.
"""

from datetime import timedelta

import pytest

from learnpath.accounts.models import TeamMembership
from learnpath.conversations import services as conversations
from learnpath.engagement import services as engagement
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text
from learnpath.skills import services as skills
from learnpath.timeutil import utcnow
from tests.conftest import AuthActions

LEARNER_PAGE_BOUND = 8  # statements, the person's loading included
MANAGER_PAGE_BOUND = 8


def _module(slug, title):
    module = module_authoring.create_module(
        slug, f"---\ntitle: {title}\nsummary: About {title}.\nlanguage: en\nduration: 5\n"
              f"level: beginner\nskills: [giving-feedback]\n---\n\n# {title}\n\nFeedback.\n", "en")
    module_authoring.publish(module, None)
    return module


def _path(slug, module_slugs):
    steps = "".join(f"  - {{module: {m}}}\n" for m in module_slugs)
    result = import_path_text(
        f"slug: {slug}\ntitle: {{nl: {slug}, en: {slug}}}\nkind: horizontal\n"
        f"targets:\n  - {{skill: giving-feedback, level: 2}}\nsteps:\n{steps}",
        f"paths/{slug}.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    return paths.get_path(slug)


def _add(world, n):
    """n more modules, paths (one assigned, one chosen each), team mates, kudos, check-ins."""
    manager, person, team_people, start = world["manager"], world["person"], world["team"], \
        world["count"]
    for i in range(start, start + n):
        slugs = [f"feedback-{i}-{step}" for step in range(3)]
        for slug in slugs:
            _module(slug, f"Feedback {i} {step}" if (step := slug[-1]) else slug)
        assigned, chosen = _path(f"assigned-{i}", slugs[:2]), _path(f"chosen-{i}", slugs[1:])
        mate = world["make_user"](name=f"Mate {i}")
        team_people.append(mate)
        world["make_team"](name=f"Team {i}", managers=[manager], members=[person, mate])
        paths.assign(manager, assigned, [person, mate], world["today"] + timedelta(days=9),
                     "Please", world["today"])
        paths.enrol(person, chosen)
        module_learning.complete_module(person, modules.get_published(slugs[0]))
        module_learning.complete_module(mate, modules.get_published(slugs[1]))
        engagement.give_kudos(manager, person, f"Thanks {i}")
        # today: in this quarter whatever the date, so no quarterly is due (that case below)
        conversations.schedule(manager, person, "quarterly", world["today"], world["today"])
    world["count"] = start + n
    db.session.commit()


@pytest.fixture
def world(app, make_user, make_team):
    skills.import_skills("- slug: giving-feedback\n  name: {nl: Feedback geven, en: Giving "
                         "feedback}\n")
    manager = make_user(roles=("employee", "manager"), name="Mia Manager")
    person = make_user(name="Pim Person")
    found = {"manager": manager, "person": person, "team": [], "count": 0,
             "make_user": make_user, "make_team": make_team, "today": paths.today()}
    _add(found, 1)
    engagement.answer_pulse(person, "energy", 4)
    db.session.commit()
    return found


def _client(app, user):
    client = app.test_client()
    assert AuthActions(client).login(user).status_code == 302
    return client


def _counted(client, queries, url) -> int:
    assert client.get(url).status_code == 200  # warm: the session, the person
    with queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


LEARNER_PAGES = ("/", "/paths/assigned-0", "/modules?q=feedback",
                 "/modules?q=feedback&level=beginner&language=en&duration=5")


@pytest.mark.parametrize("url", LEARNER_PAGES)
def test_learner_pages_run_a_bounded_number_of_statements(app, world, queries, url):
    client = _client(app, world["person"])
    few = _counted(client, queries, url)
    _add(world, 6)
    many = _counted(client, queries, url)
    assert few == many, (url, few, many)
    assert many <= LEARNER_PAGE_BOUND, (url, many)


def test_the_manager_team_page_runs_a_bounded_number_of_statements(app, world, queries):
    client = _client(app, world["manager"])
    few = _counted(client, queries, "/manager")
    _add(world, 6)
    many = _counted(client, queries, "/manager")
    assert few == many and many <= MANAGER_PAGE_BOUND, (few, many)


def test_the_home_page_shows_what_it_loaded_in_few_statements(app, world):
    html = _client(app, world["person"]).get("/").get_data(as_text=True)
    assert "assigned-0" in html and "Continue with" in html  # progress and the next module
    assert "1 of 2 steps" in html and "Thanks 0" in html  # a step done; unseen kudos
    assert "Team 0" in html and "Upcoming check-ins" in html


def test_the_matrix_cells_read_as_before(app, world):
    html = _client(app, world["manager"]).get("/manager").get_data(as_text=True)
    assert 'aria-label="Pim Person: assigned-0"' in html and "1 of 2 steps" in html
    assert "/manager/enrolments/" in html and ">Withdraw</button>" in html
    assert "due " in html


def test_home_with_a_check_in_due_stays_within_the_bound(app, world, queries):
    """A member of long standing without a quarterly check-in: one is due, its people and
    kind come with the statement that finds it."""
    mate = world["team"][0]
    db.session.execute(db.update(TeamMembership).where(TeamMembership.user_id == mate.id)
                       .values(joined_at=utcnow() - timedelta(days=200)))
    db.session.commit()
    client = _client(app, mate)
    assert "Due on the suggested schedule" in client.get("/").get_data(as_text=True)
    few = _counted(client, queries, "/")
    _add(world, 3)
    assert _counted(client, queries, "/") == few <= LEARNER_PAGE_BOUND
