"""The activity log written by the services, pulse checks and kudos."""

import re
import threading
from datetime import date

import pytest

from learnpath.engagement import services as engagement
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text

# pass: 50, so one right answer of two completes the module (the default asks for both)
QUIZ = ("---\npass: 50\n---\n# Q\n\n<quiz>\nFirst?\n- [x] yes\n- [ ] no\n</quiz>\n\n"
        "<quiz>\nSecond?\n- [x] a\n- [ ] b\n</quiz>\n")


def _events(user):
    return [(e.verb, e.object_type, e.object_id) for e in engagement.events_of(user)]


@pytest.fixture
def quiz_module(app):
    module = module_authoring.create_module("quiz-module", QUIZ)
    module_authoring.publish(module, None)
    db.session.commit()
    return modules.get_published("quiz-module")


def test_answering_and_completing_write_xapi_events(client, login_as, quiz_module):
    user = login_as()
    q1, q2 = quiz_module.current_version.questions
    client.post("/modules/quiz-module/quiz", data={f"q{q1.id}": "0", f"q{q2.id}": "1"})
    client.post("/modules/quiz-module/complete")
    assert _events(user) == [
        ("experienced", "module", "quiz-module"),
        ("answered", "question", "quiz-module#1"),
        ("answered", "question", "quiz-module#2"),
        ("passed", "module", "quiz-module"),
        ("completed", "module", "quiz-module"),
    ]
    answered = [e for e in engagement.events_of(user) if e.verb == "answered"]
    assert [e.result_success for e in answered] == [True, False]
    completed = engagement.events_of(user)[-1]
    assert completed.result_score == 0.5 and completed.result_success is True


def test_a_repeat_completion_writes_no_second_event(client, login_as):
    user = login_as()
    module_authoring.publish(module_authoring.create_module("plain", "# Plain\n\ntext\n"), None)
    db.session.commit()
    client.post("/modules/plain/complete")
    client.post("/modules/plain/complete")
    assert [v for v, _t, _o in _events(user)].count("completed") == 1


def test_a_failed_request_writes_no_event(client, login_as, quiz_module):
    user = login_as()
    q1, _q2 = quiz_module.current_version.questions
    response = client.post("/modules/quiz-module/quiz", data={f"q{q1.id}": "0"})  # incomplete
    assert response.status_code == 422
    assert client.post("/modules/quiz-module/complete").status_code == 409
    assert _events(user) == []


def test_enrolling_and_completing_a_path_write_events(app, make_user):
    user = make_user()
    module_authoring.publish(module_authoring.create_module("step", "# Step\n\ntext\n"), None)
    import_path_text("title: Path\nsteps:\n  - {module: step}\n", "paths/short.yml")
    db.session.commit()
    paths.enrol(user, paths.get_path("short"))
    module_learning.complete_module(user, modules.get_published("step"))
    db.session.commit()
    assert ("registered", "path", "short") in _events(user)
    assert ("completed", "path", "short") in _events(user)
    registered = next(e for e in engagement.events_of(user) if e.verb == "registered")
    assert registered.context["registration"] == paths.get_enrolment(
        user, paths.get_path("short")).id


# Pulse ---------------------------------------------------------------------------------------

def test_pulse_answer_is_stored_once_per_week_and_can_change(client, login_as):
    user = login_as()
    assert client.post("/pulse", data={"question": "energy", "value": "2"}).status_code == 303
    assert client.post("/pulse", data={"question": "energy", "value": "4"}).status_code == 303
    answers = db.session.scalars(db.select(PulseAnswer).where(PulseAnswer.user_id == user.id)
                                 ).all()
    assert [(a.question, a.value) for a in answers] == [("energy", 4)]
    assert 'value="4" checked' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("question,value", [("energy", "0"), ("energy", "6"), ("enps", "11"),
                                            ("enps", "-1"), ("energy", "abc"), ("mood", "3"),
                                            ("energy", "")])
def test_pulse_values_out_of_range_are_refused(client, login_as, question, value):
    login_as()
    response = client.post("/pulse", data={"question": question, "value": value})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(PulseAnswer.id))) == 0


def test_pulse_periods_are_iso_weeks_and_months():
    assert engagement.period_for("energy", date(2026, 1, 1)) == "2026-W01"
    assert engagement.period_for("energy", date(2027, 1, 1)) == "2026-W53"
    assert engagement.period_for("enps", date(2026, 11, 23)) == "2026-11"


def test_enps_is_asked_once_a_month_and_the_answer_can_change(client, login_as):
    user = login_as()
    assert "recommend working here" in client.get("/").get_data(as_text=True)
    client.post("/pulse", data={"question": "enps", "value": "9"})
    home = client.get("/").get_data(as_text=True)
    assert 'id="enps-9" name="value" value="9" checked' in home
    client.post("/pulse", data={"question": "enps", "value": "6"})
    answers = db.session.scalars(db.select(PulseAnswer).where(PulseAnswer.user_id == user.id,
                                                              PulseAnswer.question == "enps"))
    assert [a.value for a in answers] == [6]
    assert 'id="enps-6" name="value" value="6" checked' in client.get("/").get_data(as_text=True)


def test_a_skipped_question_folds_away_for_the_period_and_stores_nothing(client, login_as):
    login_as()
    assert "<details class=\"pulse-skipped\">" not in client.get("/").get_data(as_text=True)
    response = client.post("/pulse/skip", data={"question": "energy", "next": "/"})
    assert response.status_code == 303
    home = client.get("/").get_data(as_text=True)
    skipped = home[home.index('<details class="pulse-skipped">'):]
    skipped = skipped[:skipped.index("</details>")]
    assert 'name="question" value="energy"' in skipped  # still answerable, folded away
    assert 'name="question" value="enps"' not in skipped  # the other question stays open
    assert db.session.scalar(db.select(db.func.count(PulseAnswer.id))) == 0
    assert client.post("/pulse", data={"question": "energy", "value": "3"}).status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert '<details class="pulse-skipped">' not in home  # answered: shown open again


def test_skipping_an_unknown_question_is_refused(client, login_as):
    login_as()
    response = client.post("/pulse/skip", data={"question": "mood"})
    assert response.status_code == 400 and "Unknown question" in response.get_data(as_text=True)


# Kudos ---------------------------------------------------------------------------------------

def test_kudos_reach_the_recipients_home_and_the_team_wall(app, client, login_as, make_user,
                                                           make_team, auth):
    giver = login_as(name="Gina Giver")
    receiver = make_user(name="Rob Receiver")
    make_team("Wall team", members=[giver, receiver])
    response = client.post("/kudos", data={"once": "t1", "to": str(receiver.id),
                                           "message": "Great demo today!"})
    assert response.status_code == 302
    wall = client.get("/kudos").get_data(as_text=True)
    assert "Gina Giver" in wall and "Great demo today!" in wall
    theirs = app.test_client()
    type(auth)(theirs).login(receiver)
    home = theirs.get("/").get_data(as_text=True)
    assert "You received kudos" in home and "Great demo today!" in home
    theirs.post("/kudos/seen")
    assert "Great demo today!" not in theirs.get("/").get_data(as_text=True)
    assert ("shared", "kudos", str(db.session.scalar(db.select(Kudos.id)))) in _events(giver)


@pytest.mark.parametrize("message,expected", [
    ("", "Write a short message"), ("x" * 5000, "under 500 characters")])
def test_kudos_message_must_be_short_and_present(client, login_as, make_user, make_team,
                                                 message, expected):
    giver = login_as()
    receiver = make_user()
    make_team(members=[giver, receiver])
    response = client.post("/kudos", data={"once": "t1", "to": str(receiver.id),
                                           "message": message})
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Kudos.id))) == 0


def _once_token(html: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', html)[1]


def test_a_double_submit_of_the_kudos_form_stores_one_kudos(client, login_as, make_user,
                                                             make_team):
    giver = login_as()
    receiver = make_user()
    make_team(members=[giver, receiver])
    page = client.get("/kudos").get_data(as_text=True)
    token = _once_token(page)
    assert token != _once_token(client.get("/kudos").get_data(as_text=True))  # new per form
    data = {"once": token, "to": str(receiver.id), "message": "Thanks!"}
    for _ in range(3):
        assert client.post("/kudos", data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Kudos.id))) == 1
    assert len([e for e in _events(giver) if e[1] == "kudos"]) == 1
    # the same words again from a new form are new kudos
    data["once"] = _once_token(client.get("/kudos").get_data(as_text=True))
    assert client.post("/kudos", data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Kudos.id))) == 2


def test_a_kudos_form_without_its_token_is_refused_with_a_message(client, login_as, make_user,
                                                                   make_team):
    giver = login_as()
    receiver = make_user()
    make_team(members=[giver, receiver])
    for once in ("", "not a token!", "x" * 65):
        response = client.post("/kudos", data={"once": once, "to": str(receiver.id),
                                               "message": "Thanks!"})
        assert response.status_code == 400
        assert "Reload the page and send your kudos again" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Kudos.id))) == 0


def test_concurrent_posts_of_one_kudos_form_store_one_kudos(app, make_user, make_team, auth):
    """Five posts of the same form at once (separate clients, threads, sessions and database
    connections, as with a double click under load): the unique token lets one through."""
    giver = make_user()
    receiver = make_user()
    make_team(members=[giver, receiver])
    clients = [app.test_client() for _ in range(5)]
    for each in clients:
        type(auth)(each).login(giver)
    token = _once_token(clients[0].get("/kudos").get_data(as_text=True))
    data = {"once": token, "to": str(receiver.id), "message": "Thanks for the help!"}
    start = threading.Barrier(len(clients))
    statuses = []

    def post(each):
        with app.app_context():  # the thread's own session and connection
            start.wait()
            statuses.append(each.post("/kudos", data=data).status_code)

    threads = [threading.Thread(target=post, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [302] * len(clients)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Kudos.id))) == 1
    assert db.session.scalar(db.select(db.func.count(ActivityEvent.id)).where(
        ActivityEvent.object_type == "kudos")) == 1


def test_kudos_to_yourself_unknown_or_deactivated_people_are_refused(app, make_user):
    giver = make_user()
    gone = make_user(active=False)
    for recipient, message in [(giver, "for yourself"), (None, "could not find"),
                               (gone, "no longer receive")]:
        with pytest.raises(engagement.EngagementError, match=message):
            engagement.give_kudos(giver, recipient, "Thanks!")


def test_kudos_form_refuses_a_stranger(client, login_as, make_user):
    login_as()
    stranger = make_user()
    response = client.post("/kudos", data={"once": "t1", "to": str(stranger.id), "message": "Hi"})
    assert response.status_code == 400


def test_events_are_append_only_rows_with_verbs_from_the_adl_vocabulary():
    from learnpath.engagement.models import VERBS

    assert all(iri.startswith("http://adlnet.gov/expapi/verbs/") for iri in VERBS.values())
    assert ActivityEvent.__table__.c.actor_id.nullable  # erasure detaches, keeps aggregates


def test_kudos_about_a_path_or_a_module_show_on_the_wall(client, login_as, make_user,
                                                         make_team, quiz_module):
    giver = login_as(name="Gina Giver")
    receiver = make_user(name="Rob Receiver")
    make_team("Wall team", members=[giver, receiver])
    import_path_text("title: Onboarding path\nsteps:\n  - {module: quiz-module}\n",
                     "paths/onboarding.yml")
    db.session.commit()
    form = client.get("/kudos?about=module:quiz-module").get_data(as_text=True)
    assert '<option selected value="module:quiz-module">' in form  # from the module page
    assert 'value="path:onboarding"' in form
    response = client.post("/kudos", data={"once": "t1", "to": str(receiver.id),
                                           "about": "path:onboarding",
                                           "message": "Well done finishing it!"})
    assert response.status_code == 302
    kudos = db.session.scalar(db.select(Kudos))
    assert kudos.path_id == paths.get_path("onboarding").id and kudos.module_id is None
    wall = client.get("/kudos").get_data(as_text=True)
    assert 'about <a href="/paths/onboarding">Onboarding path</a>' in wall
    shared = next(e for e in engagement.events_of(giver) if e.verb == "shared")
    assert shared.context == {"to": "colleague", "path": "onboarding"}


def test_kudos_about_list_and_its_help_text_agree(client, login_as, make_user, make_team):
    giver = login_as(locale="nl")
    receiver = make_user()
    make_team(members=[giver, receiver])
    for slug in ("mine", "theirs"):
        module = module_authoring.create_module(slug, f"# {slug.title()}\n\nRead.\n")
        module_authoring.publish(module, None)
    module_learning.complete_module(giver, modules.get_published("mine"))
    module_learning.complete_module(receiver, modules.get_published("theirs"))
    import_path_text("title: Any path\nsteps:\n  - {module: theirs}\n", "paths/any.yml")
    db.session.commit()
    html = client.get("/kudos").get_data(as_text=True)
    assert 'value="path:any"' in html and 'value="module:mine"' in html
    assert 'value="module:theirs"' not in html  # the colleague's progress stays private
    assert "een module die je zelf hebt afgerond" in html
    english = client.post("/language", data={"locale": "en", "next": "/kudos"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Any growth path, or a module you finished yourself." in english
    assert "module your colleague finished" not in english


def test_kudos_about_an_unknown_or_draft_module_are_refused_and_keep_the_message(
        client, login_as, make_user, make_team):
    giver = login_as()
    receiver = make_user()
    make_team(members=[giver, receiver])
    module_authoring.create_module("draft-one", "# Draft\n\nNot published yet.\n")
    db.session.commit()
    for about in ("module:draft-one", "module:nope", "path:nope", "badge:x"):
        response = client.post("/kudos", data={"once": "t1", "to": str(receiver.id),
                                               "about": about, "message": "Thanks for the help"})
        assert response.status_code == 400
        assert "Thanks for the help" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Kudos.id))) == 0
    with pytest.raises(engagement.EngagementError, match="published module"):
        engagement.give_kudos(giver, receiver, "Hi", module=modules.get_module("draft-one"))
