"""Growth paths: enrolment, assignment, progress and status, completion, certificates."""

from datetime import date, timedelta

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text
from learnpath.paths.models import Certificate, Enrolment
from learnpath.paths.progress import expected_fraction, status_for
from learnpath.skills import services as skills
from learnpath.skills.models import UserSkill

TODAY = date(2026, 11, 23)


def _module(slug):
    module = module_authoring.create_module(slug, f"# {slug.title()}\n\nRead this.\n")
    module_authoring.publish(module, None)
    return module


@pytest.fixture
def path(app):
    """A path with two required steps and one optional step, leading to a skill level."""
    skills.import_skills("- slug: giving-feedback\n  name: {nl: Feedback geven, en: Giving "
                         "feedback}\n")
    for slug in ("step-one", "step-two", "extra"):
        _module(slug)
    result = import_path_text(
        "slug: feedback\ntitle: {nl: Feedback, en: Feedback basics}\nkind: horizontal\n"
        "targets:\n  - {skill: giving-feedback, level: 2}\n"
        "steps:\n  - {module: step-one}\n  - {module: step-two}\n"
        "  - {module: extra, optional: true}\n", "paths/feedback.yml")
    assert result.status == "created", [str(e) for e in result.errors]
    db.session.commit()
    return paths.get_path("feedback")


def _complete(user, slug):
    module_learning.complete_module(user, modules.get_published(slug))
    db.session.commit()


# Pure arithmetic -----------------------------------------------------------------------------

@pytest.mark.parametrize("done,required,due,today,expected", [
    (0, 2, None, TODAY, "not_started"),
    (1, 2, None, TODAY, "in_progress"),
    (2, 2, None, TODAY, "completed"),
    (0, 2, TODAY + timedelta(days=10), TODAY, "on_track"),            # nothing expected yet
    (0, 4, TODAY + timedelta(days=10), TODAY + timedelta(days=5), "behind"),  # half the time
    (2, 4, TODAY + timedelta(days=10), TODAY + timedelta(days=5), "on_track"),
    (3, 4, TODAY + timedelta(days=10), TODAY + timedelta(days=10), "behind"),  # due today
    (3, 4, TODAY + timedelta(days=10), TODAY + timedelta(days=11), "overdue"),
    (4, 4, TODAY + timedelta(days=10), TODAY + timedelta(days=30), "completed"),
])
def test_status_arithmetic(done, required, due, today, expected):
    assert status_for(done, required, completed=False, enrolled_on=TODAY, due=due,
                      today=today) == expected


def test_expected_fraction_is_clipped():
    assert expected_fraction(TODAY, TODAY + timedelta(days=4), TODAY - timedelta(days=1)) == 0
    assert expected_fraction(TODAY, TODAY + timedelta(days=4), TODAY + timedelta(days=2)) == 0.5
    assert expected_fraction(TODAY, TODAY, TODAY) == 1.0


# Enrolment and assignment --------------------------------------------------------------------

def test_enrolling_twice_keeps_one_enrolment(client, login_as, path):
    user = login_as()
    assert client.post("/paths/feedback/enrol").status_code == 302
    assert client.post("/paths/feedback/enrol").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Enrolment.id)).where(
        Enrolment.user_id == user.id)) == 1


def test_progress_counts_modules_completed_before_enrolment(client, login_as, path):
    user = login_as()
    _complete(user, "step-one")
    client.post("/paths/feedback/enrol")
    enrolment = paths.get_enrolment(user, path)
    progress = paths.progress_of([enrolment], TODAY)[enrolment.id]
    assert (progress.done, progress.required, progress.percent) == (1, 2, 50)
    assert progress.next_module_id == modules.get_module("step-two").id
    html = client.get("/paths/feedback").get_data(as_text=True)
    assert "1 of 2 steps" in html


def test_completing_required_steps_completes_path_once_and_raises_skill(
        client, login_as, path):
    user = login_as()
    client.post("/paths/feedback/enrol")
    _complete(user, "step-one")
    _complete(user, "step-two")
    enrolment = paths.get_enrolment(user, path)
    assert enrolment.state == "completed"
    level = db.session.scalar(db.select(UserSkill.level).where(UserSkill.user_id == user.id))
    assert level == 2
    _complete(user, "extra")  # an optional step afterwards changes nothing
    client.post("/paths/feedback/enrol")
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1
    skills_page = client.get("/skills").get_data(as_text=True)
    assert "Giving feedback" in skills_page and "level 2 of 4 · Practising" in skills_page
    # On a phone each skill is a card with its cells named (CSS .stack-table), not a wide table.
    assert '<table class="stack-table">' in skills_page
    assert '<td class="stack-title">Giving feedback</td>' in skills_page
    assert 'data-label="Evidence"' in skills_page and 'data-label="Level"' in skills_page
    evidence = skills_page[skills_page.index('href="/paths/feedback"'):]
    assert evidence.index('href="/modules/step-one"') < evidence.index('href="/modules/step-two"')
    assert 'href="/modules/extra"' in evidence  # done after the path, still evidence of it
    assert "level 2 (Practising)" in client.get("/paths/feedback").get_data(as_text=True)


def test_enrolling_after_doing_everything_completes_at_once(client, login_as, path):
    user = login_as()
    _complete(user, "step-one")
    _complete(user, "step-two")
    response = client.post("/paths/feedback/enrol", follow_redirects=True)
    assert "path completed" in response.get_data(as_text=True)
    assert paths.get_enrolment(user, path).state == "completed"


def test_skill_level_is_never_lowered(app, make_user, path):
    user = make_user()
    skill = skills.skills_by_slug(["giving-feedback"])["giving-feedback"]
    db.session.add(UserSkill(user_id=user.id, skill_id=skill.id, level=4))
    db.session.commit()
    paths.enrol(user, path)
    _complete(user, "step-one")
    _complete(user, "step-two")
    assert db.session.scalar(db.select(UserSkill.level).where(UserSkill.user_id == user.id)) == 4


def test_certificate_is_visible_by_its_link_only(app, client, login_as, path):
    user = login_as(name="Cert Holder")
    client.post("/paths/feedback/enrol")
    _complete(user, "step-one")
    _complete(user, "step-two")
    token = db.session.scalar(db.select(Certificate.token))
    assert len(token) >= 24
    anonymous = app.test_client()
    html = anonymous.get(f"/certificates/{token}").get_data(as_text=True)
    assert "Cert Holder" in html and "Feedback basics" in html and "level 2" in html
    assert anonymous.get("/certificates/guess").status_code == 404
    assert anonymous.get("/paths/feedback").status_code == 302  # nothing else is public


def test_manager_assigns_to_a_person_and_again_updates_the_due_date(
        client, login_as, make_user, make_team, path):
    manager = login_as("employee", "manager")
    person = make_user()
    make_team(managers=[manager], members=[person])
    due = (date.today() + timedelta(days=14)).isoformat()
    response = client.post("/manager/assign", data={
        "path": "feedback", "target": f"person:{person.id}", "due_date": due,
        "note": "Handy before your first 1:1s"})
    assert response.status_code == 302
    later = (date.today() + timedelta(days=30)).isoformat()
    client.post("/manager/assign", data={"path": "feedback", "target": f"person:{person.id}",
                                         "due_date": later, "note": ""})
    rows = db.session.scalars(db.select(Enrolment).where(Enrolment.user_id == person.id)).all()
    assert len(rows) == 1
    assert rows[0].due_date.isoformat() == later and rows[0].source == "assigned"


def test_manager_assigns_to_a_whole_team(client, login_as, make_user, make_team, path):
    manager = login_as("employee", "manager")
    members = [make_user() for _ in range(3)]
    team = make_team(managers=[manager], members=members)
    response = client.post("/manager/assign", data={"path": "feedback",
                                                     "target": f"team:{team.id}"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 3


def test_manager_cannot_assign_outside_their_teams(client, login_as, make_user, make_team,
                                                   path):
    manager = login_as("employee", "manager")
    make_team(managers=[manager], members=[make_user()])
    stranger = make_user()
    other_team = make_team(members=[stranger])
    assert client.post("/manager/assign", data={
        "path": "feedback", "target": f"person:{stranger.id}"}).status_code == 403
    assert client.post("/manager/assign", data={
        "path": "feedback", "target": f"team:{other_team.id}"}).status_code == 403
    for bad in ("person:abc", "robot:1", "person:", "person:٣"):
        response = client.post("/manager/assign", data={"path": "feedback", "target": bad})
        assert response.status_code == 400
        assert "Choose a person or team." in response.get_data(as_text=True)
    assert paths.get_enrolment(stranger, path) is None
    with pytest.raises(paths.NotYourTeam):
        paths.assign(manager, path, [stranger], None, "", TODAY)
    with pytest.raises(paths.NotYourTeam):
        paths.assign_team(manager, other_team, path, None, "", TODAY)


@pytest.mark.parametrize("due,message", [("2001-01-01", "The due date is in the past."),
                                         ("31-02-2030", "for example 04/12/2026"),
                                         ("2030-13-01", "Enter a date as dd/mm/yyyy")])
def test_bad_due_dates_are_refused_with_a_message(client, login_as, make_user, make_team,
                                                  path, due, message):
    manager = login_as("employee", "manager")
    person = make_user()
    make_team(managers=[manager], members=[person])
    response = client.post("/manager/assign", data={
        "path": "feedback", "target": f"person:{person.id}", "due_date": due,
        "note": "keep me"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "keep me" in html


def test_unassigning_keeps_the_history(client, login_as, make_user, make_team, path):
    manager = login_as("employee", "manager")
    person = make_user()
    make_team(managers=[manager], members=[person])
    client.post("/manager/assign", data={"path": "feedback", "target": f"person:{person.id}"})
    enrolment = paths.get_enrolment(person, path)
    assert client.post(f"/manager/enrolments/{enrolment.id}/unassign").status_code == 302
    enrolment = paths.get_enrolment(person, path)
    assert enrolment.state == "withdrawn" and enrolment.withdrawn_at is not None


def test_manager_cannot_unassign_outside_their_teams(client, login_as, make_user, path):
    login_as("employee", "manager")
    stranger = make_user()
    enrolment = paths.enrol(stranger, path)
    db.session.commit()
    assert client.post(f"/manager/enrolments/{enrolment.id}/unassign").status_code == 403


def test_team_page_shows_overdue_first(client, login_as, make_user, make_team, path):
    manager = login_as("employee", "manager")
    late, fine = make_user(name="Late Lou"), make_user(name="Fine Fay")
    make_team(managers=[manager], members=[fine, late])
    # The page uses the real clock: Fay's due date must lie ahead of it, Lou's behind it.
    paths.assign(manager, path, [late, fine], date.today() + timedelta(days=30), "",
                 date.today())
    enrolment = paths.get_enrolment(late, path)
    enrolment.due_date = date.today() - timedelta(days=1)
    db.session.commit()
    html = client.get("/manager").get_data(as_text=True)
    matrix = html[html.index('<table class="matrix">'):]
    assert matrix.index("Late Lou") < matrix.index("Fine Fay")
    assert "Overdue" in html


def test_employee_sees_assigned_paths_first_on_home(client, login_as, make_user, make_team,
                                                    path):
    user = login_as()
    manager = make_user(roles=("employee", "manager"))
    make_team(managers=[manager], members=[user])
    paths.assign(manager, path, [user], date.today() + timedelta(days=7), "", date.today())
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Feedback basics" in html and "assigned" in html and "due" in html
    assert "Continue with" in html and "Step-One" in html


def test_employee_cannot_see_the_team_page(client, login_as):
    login_as()
    assert client.get("/manager").status_code == 403


def test_unknown_path_is_404(client, login_as):
    login_as()
    assert client.get("/paths/nope").status_code == 404
    assert client.post("/paths/nope/enrol").status_code == 404


@pytest.mark.parametrize("text,message,line", [
    ("title: X\nsteps:\n  - {module: nope}\n", "Unknown module 'nope'", 3),
    ("title: X\nsteps:\n  - {module: step-one}\n  - {module: step-one}\n", "already step 1", 4),
    ("title: X\nsteps: []\n", "no steps", 2),
    ("title: X\nkind: diagonal\nsteps:\n  - {module: step-one}\n", "vertical or horizontal", 2),
    ("title: [x\n", "Invalid YAML", 2),
    ("- a\n- b\n", "mapping", 1),
])
def test_path_files_report_errors_with_lines(path, text, message, line):
    result = import_path_text(text, "paths/bad.yml")
    assert result.status == "invalid"
    assert any(message in str(e) and e.line == line for e in result.errors), \
        [(str(e), e.line) for e in result.errors]


def test_removing_a_step_recomputes_progress(client, login_as, path):
    user = login_as()
    client.post("/paths/feedback/enrol")
    _complete(user, "step-one")
    import_path_text("slug: feedback\ntitle: {nl: Feedback, en: Feedback basics}\n"
                     "targets:\n  - {skill: giving-feedback, level: 2}\n"
                     "steps:\n  - {module: step-one}\n  - {module: extra}\n",
                     "paths/feedback.yml")
    db.session.commit()
    enrolment = paths.get_enrolment(user, path)
    progress = paths.progress_of([enrolment], TODAY)[enrolment.id]
    assert (progress.done, progress.required) == (1, 2)


def _team_of(n, manager, make_user, make_team, path):
    members = [make_user() for _ in range(n)]
    make_team(managers=[manager], members=members)
    paths.assign(manager, path, members, TODAY + timedelta(days=9), "", TODAY)
    for member in members[: n // 2]:
        _complete(member, "step-one")
    db.session.commit()


def test_team_page_and_home_query_counts_do_not_grow(client, login_as, make_user, make_team,
                                                     path, queries):
    manager = login_as("employee", "manager")
    _team_of(5, manager, make_user, make_team, path)
    paths.enrol(manager, path)
    db.session.commit()
    with queries() as small_team:
        assert client.get("/manager").status_code == 200
    with queries() as small_home:
        assert client.get("/").status_code == 200
    _team_of(45, manager, make_user, make_team, path)
    for slug in ("more-one", "more-two"):
        _module(slug)
    db.session.commit()
    with queries() as large_team:
        assert client.get("/manager").status_code == 200
    with queries() as large_home:
        assert client.get("/").status_code == 200
    assert len(small_team) == len(large_team)
    assert len(small_home) == len(large_home)


def test_an_archived_required_module_does_not_block_the_path(app, make_user, path):
    user = make_user()
    paths.enrol(user, path)
    _complete(user, "step-one")
    module_authoring.archive(modules.get_module("step-two"))
    db.session.commit()
    with pytest.raises(modules.ModuleError):
        module_learning.complete_module(user, modules.get_module("step-two"))
    enrolment = paths.get_enrolment(user, path)
    assert paths.progress_of([enrolment], TODAY)[enrolment.id].status == "completed"
    # Archiving the last missing step completed the path then and there: certificate included.
    assert enrolment.state == "completed" and enrolment.completed_at is not None
    assert db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))


def test_removing_the_last_missing_step_completes_the_path(app, make_user, path):
    user = make_user()
    paths.enrol(user, path)
    _complete(user, "step-one")
    import_path_text("slug: feedback\ntitle: {nl: Feedback, en: Feedback basics}\n"
                     "steps:\n  - {module: step-one}\n", "paths/feedback.yml")
    db.session.commit()
    assert paths.get_enrolment(user, path).state == "completed"
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1


def test_duplicate_target_skills_are_an_error_not_a_crash(path):
    result = import_path_text(
        "title: X\ntargets:\n  - {skill: giving-feedback, level: 1}\n"
        "  - {skill: giving-feedback, level: 2}\nsteps:\n  - {module: step-one}\n",
        "paths/dupe.yml")
    assert result.status == "invalid"
    assert any("already a target" in str(e) and e.line == 4 for e in result.errors)


def test_nobody_sees_progress_outside_their_own_or_their_teams(app, client, login_as, make_user,
                                                               make_team, path, auth):
    manager = login_as("employee", "manager")
    mine, stranger = make_user(name="Mia Mine"), make_user(name="Stan Stranger")
    make_team("Mine", managers=[manager], members=[mine])
    make_team("Other", members=[stranger])
    paths.assign(manager, path, [mine], None, "", TODAY)
    paths.enrol(stranger, path)
    _complete(stranger, "step-one")
    team_page = client.get("/manager").get_data(as_text=True)
    assert "Mia Mine" in team_page and "Stan Stranger" not in team_page
    csv = client.get("/manager/progress.csv")
    assert csv.status_code == 200 and "Mia Mine" in csv.get_data(as_text=True)
    assert "Stan" not in csv.get_data(as_text=True)
    # The stranger's own pages show their progress; Mia's show none of it.
    theirs = app.test_client()
    type(auth)(theirs).login(mine)
    for url in ("/", "/paths", "/paths/feedback", "/skills"):
        page = theirs.get(url).get_data(as_text=True)
        assert "Stan Stranger" not in page
        assert "1 of 2 steps" not in page  # Stan's progress, not Mia's (0 of 2)
