"""xAPI 1.0.3: every exported activity event maps to a statement that Ralph's models accept."""

import json

import pytest
from sqlalchemy import select
from xapi_support import build_catalog, learn

from learnpath.engagement import services as engagement
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.xapi import statements as xs

ralph_models = pytest.importorskip(
    "ralph.models.xapi.base.statements",
    reason="ralph-malph is not installed: pip install -e '.[test]' installs it")


def _validate(statement: dict):
    """Ralph's strict pydantic model of an xAPI statement (extra fields forbidden)."""
    return ralph_models.BaseXapiStatement.model_validate(statement)


@pytest.fixture
def activity(app, make_user):
    path = build_catalog()
    user = make_user(email="ada@example.com", name="Ada Lovelace")
    learn(user, path)
    events = db.session.scalars(select(ActivityEvent).order_by(ActivityEvent.id)).all()
    return user, events


def _by(pairs, verb, object_type):
    return [s for e, s in pairs if e.verb == verb and e.object_type == object_type]


def test_every_exported_event_is_a_valid_statement(activity):
    user, events = activity
    pairs = xs.statements_for(events)
    verbs = {(e.verb, e.object_type) for e, _ in pairs}
    assert {("registered", "path"), ("experienced", "module"), ("answered", "question"),
            ("passed", "module"), ("completed", "module"), ("completed", "path")} <= verbs
    for event, statement in pairs:
        assert statement is not None, event.verb
        _validate(statement)
        assert statement["version"] == "1.0.3"
        assert statement["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        assert statement["timestamp"].endswith("+00:00")
    # Ids are stable: mapping again gives the same ids, and they are unique.
    again = [s["id"] for _, s in xs.statements_for(events)]
    assert again == [s["id"] for _, s in pairs] and len(set(again)) == len(again)


def test_actor_is_an_opaque_account_never_the_email_or_name(app, activity):
    user, events = activity
    pairs = xs.statements_for(events)
    text = json.dumps([s for _, s in pairs])
    assert "ada@example.com" not in text and "Ada" not in text
    actors = {json.dumps(s["actor"], sort_keys=True) for _, s in pairs}
    assert len(actors) == 1
    actor = pairs[0][1]["actor"]
    assert set(actor) == {"objectType", "account"}
    assert actor["account"]["homePage"] == app.config["BASE_URL"].rstrip("/")
    assert actor["account"]["name"] not in (str(user.id), user.email)
    assert len(actor["account"]["name"]) == 32


def test_modules_and_paths_are_activities_with_names_in_both_languages(activity):
    _, events = activity
    pairs = xs.statements_for(events)
    module = _by(pairs, "completed", "module")[0]["object"]
    assert module["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
    names = [s["object"]["definition"]["name"] for s in _by(pairs, "completed", "module")]
    assert {"en-US": "Feedback that lands", "nl-NL": "Feedback die landt"} in names
    path = _by(pairs, "completed", "path")[0]
    assert path["object"]["definition"] == {
        "type": "http://adlnet.gov/expapi/activities/course",
        "name": {"nl-NL": "Feedback geven", "en-US": "Feedback basics"}}
    assert path["result"] == {"success": True, "completion": True}


def test_answers_are_choice_interactions_with_response_and_correctness(activity):
    _, events = activity
    answers = _by(xs.statements_for(events), "answered", "question")
    assert len(answers) == 2
    first, second = answers
    definition = first["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    assert definition["name"] == {"en-US": "What comes first?"}
    assert [c["description"]["en-US"] for c in definition["choices"]] == [
        "The behaviour", "Your judgement"]
    assert definition["correctResponsesPattern"] == ["0"]
    assert first["result"] == {"success": True, "response": "0"}
    # The second question: two right options; the person chose 0 and 2 (wrong).
    assert second["object"]["definition"]["correctResponsesPattern"] == ["0[,]1"]
    assert second["result"] == {"success": False, "response": "0[,]2"}
    parent = first["context"]["contextActivities"]["parent"][0]
    assert parent["id"].endswith("/modules/feedback-that-lands")


def test_scores_and_registration(activity):
    _, events = activity
    pairs = xs.statements_for(events)
    passed = _by(pairs, "passed", "module")[0]  # one of two right: 0.5, the pass mark
    assert passed["result"] == {"score": {"scaled": 0.5}, "success": True}
    registered = _by(pairs, "registered", "path")[0]
    completed = _by(pairs, "completed", "path")[0]
    registration = registered["context"]["registration"]
    assert registration == completed["context"]["registration"]
    assert len(registration) == 36  # a UUID, the same for every statement of the enrolment


def test_a_failed_check_is_a_valid_failed_statement(app, make_user):
    path = build_catalog()
    user = make_user()
    learn(user, path, answers=({1}, {2}))  # both wrong
    events = db.session.scalars(select(ActivityEvent).where(
        ActivityEvent.verb == "failed")).all()
    statement, = [s for _, s in xs.statements_for(events)]
    _validate(statement)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert statement["result"] == {"score": {"scaled": 0.0}, "success": False}


def test_kudos_and_pulse_answers_are_not_exported(app, make_user, activity):
    user, _ = activity
    colleague = make_user()
    engagement.give_kudos(user, colleague, "Thanks!")
    engagement.answer_pulse(user, "energy", 4)
    db.session.commit()
    events = db.session.scalars(select(ActivityEvent).where(
        ActivityEvent.object_type.in_(["kudos", "pulse"]))).all()
    assert len(events) == 2
    assert [s for _, s in xs.statements_for(events)] == [None, None]


def test_an_erased_persons_events_have_no_statement(activity):
    user, events = activity
    for event in events:
        event.actor_id = None  # what erasure does to the activity log
    db.session.flush()
    assert all(s is None for _, s in xs.statements_for(events))


def test_mapping_many_events_runs_a_fixed_number_of_queries(app, make_user, queries, activity):
    _, events = activity
    with queries() as few:
        xs.statements_for(events[:3])
    path = db.session.scalar(select(xs.GrowthPath))
    for _ in range(5):
        learn(make_user(), path)
    many_events = db.session.scalars(select(ActivityEvent)).all()
    assert len(many_events) > 5 * len(events[:3])
    with queries() as many:
        xs.statements_for(many_events)
    assert len(many) <= 4 and len(many) >= len(few) - 1
