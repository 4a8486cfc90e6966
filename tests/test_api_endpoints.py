"""The /api/v1 endpoints: catalog, my enrolments and completions, paths, and the team
endpoints with the same permission rules and anonymity thresholds as the pages."""

from datetime import UTC, datetime, timedelta

import pytest

from learnpath.api import tokens
from learnpath.engagement import aggregates
from learnpath.engagement import indicator as ind
from learnpath.engagement.models import PulseAnswer
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text


def bearer(user, scope="read"):
    _token, secret = tokens.create_token(user, "test", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def publish(slug, title, language="en", level="beginner"):
    module = module_authoring.create_module(
        slug, f"---\ntitle: {title}\nlanguage: {language}\nlevel: {level}\nduration: 5\n---\n"
              f"# {title}\n\nText about {title.lower()}.\n", language)
    module_authoring.publish(module, None)
    return module


@pytest.fixture
def catalog(app):
    publish("giving-feedback", "Giving feedback")
    publish("feedback-geven", "Feedback geven", language="nl")
    publish("time-boxing", "Time boxing", level="intermediate")
    for slug, steps in (("feedback-path", ["giving-feedback", "feedback-geven"]),
                        ("focus-path", ["time-boxing"])):
        text = (f"slug: {slug}\ntitle: {{nl: {slug} nl, en: {slug}}}\nsteps:\n"
                + "".join(f"  - {{module: {s}}}\n" for s in steps))
        assert import_path_text(text, f"paths/{slug}.yml").status == "created"
    db.session.commit()


def test_catalog_search_with_facets(client, make_user, catalog):
    headers = bearer(make_user())
    body = client.get("/api/v1/modules?q=feedback", headers=headers).get_json()
    assert {m["slug"] for m in body["items"]} == {"giving-feedback", "feedback-geven"}
    assert body["total"] == 2 and {f["name"] for f in body["facets"]} >= {"language", "level"}
    body = client.get("/api/v1/modules?q=feedback&language=nl", headers=headers).get_json()
    assert [m["slug"] for m in body["items"]] == ["feedback-geven"]
    body = client.get("/api/v1/modules?level=intermediate", headers=headers).get_json()
    assert [m["slug"] for m in body["items"]] == ["time-boxing"]


def test_catalog_pages_with_a_cursor(client, make_user, catalog):
    headers = bearer(make_user())
    seen, url = [], "/api/v1/modules?limit=2"
    while url:
        body = client.get(url, headers=headers).get_json()
        seen += [m["slug"] for m in body["items"]]
        url = (f"/api/v1/modules?limit=2&cursor={body['next_cursor']}"
               if body["next_cursor"] else None)
    assert sorted(seen) == ["feedback-geven", "giving-feedback", "time-boxing"]


def test_search_syntax_never_fails(client, make_user, catalog):
    headers = bearer(make_user())
    for q in ('"unclosed', "AND OR NOT", "*", "((", "a" * 600, "feed~2^3"):
        assert client.get("/api/v1/modules", query_string={"q": q},
                          headers=headers).status_code == 200
    assert client.get("/api/v1/modules?sort=weird", headers=headers).status_code == 400


def test_module_metadata(client, make_user, catalog):
    headers = bearer(make_user())
    body = client.get("/api/v1/modules/time-boxing", headers=headers).get_json()
    assert body["title"] == "Time boxing" and body["level"] == "intermediate"
    assert body["duration"] == 5 and body["url"].endswith("/modules/time-boxing")


def test_my_enrolments_completions_and_paths(client, make_user, catalog):
    user = make_user()
    headers = bearer(user)
    paths.enrol(user, paths.get_path("feedback-path"))
    module_learning.complete_module(user, modules.get_published("giving-feedback"))
    db.session.commit()
    enrolments = client.get("/api/v1/enrolments", headers=headers).get_json()["items"]
    assert enrolments[0]["path"] == "feedback-path"
    assert enrolments[0]["progress"] == {"done": 1, "required": 2, "percent": 50,
                                         "status": "in_progress"}
    completions = client.get("/api/v1/completions", headers=headers).get_json()["items"]
    assert [c["module"] for c in completions] == ["giving-feedback"]
    listed = client.get("/api/v1/paths", headers=headers).get_json()["items"]
    assert {p["slug"] for p in listed} == {"feedback-path", "focus-path"}
    detail = client.get("/api/v1/paths/feedback-path", headers=headers).get_json()
    assert [s["module"] for s in detail["step_list"]] == ["giving-feedback", "feedback-geven"]
    assert detail["enrolment"]["progress"]["done"] == 1
    assert client.get("/api/v1/paths/nope", headers=headers).status_code == 404


def test_only_my_own_data(client, make_user, catalog):
    me, other = make_user(), make_user()
    module_learning.complete_module(other, modules.get_published("time-boxing"))
    db.session.commit()
    assert client.get("/api/v1/completions", headers=bearer(me)).get_json()["items"] == []


def test_a_cursor_from_another_person_is_refused(client, make_user, catalog):
    alice, bob = make_user(), make_user()
    body = client.get("/api/v1/paths?limit=1", headers=bearer(alice)).get_json()
    assert body["next_cursor"]
    response = client.get(f"/api/v1/paths?limit=1&cursor={body['next_cursor']}",
                          headers=bearer(bob))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    forged = client.get("/api/v1/paths?cursor=abc.def", headers=bearer(alice))
    assert forged.status_code == 400 and forged.mimetype == "application/problem+json"
    wrong_list = client.get(f"/api/v1/completions?cursor={body['next_cursor']}",
                            headers=bearer(alice))
    assert wrong_list.status_code == 400


# Managers ------------------------------------------------------------------------------------


@pytest.fixture
def teams(app, make_user, make_team, catalog):
    manager, other_manager = make_user(roles=("manager",)), make_user(roles=("manager",))
    members = [make_user() for _ in range(2)]
    team = make_team("Support", managers=[manager], members=members)
    other = make_team("Sales", managers=[other_manager], members=[make_user()])
    paths.assign(manager, paths.get_path("focus-path"), members, None, "", paths.today())
    module_learning.complete_module(members[0], modules.get_published("time-boxing"))
    db.session.commit()
    return {"manager": manager, "other_manager": other_manager, "team": team, "other": other,
            "members": members}


def test_manager_sees_assignment_progress_of_own_team(client, teams):
    headers = bearer(teams["manager"])
    listed = client.get("/api/v1/teams", headers=headers).get_json()["items"]
    assert [t["name"] for t in listed] == ["Support"]
    body = client.get(f"/api/v1/teams/{teams['team'].id}/assignments",
                      headers=headers).get_json()
    statuses = {p["name"]: p["assignments"][0]["progress"]["status"] for p in body["people"]}
    assert sorted(statuses.values()) == ["completed", "not_started"]


def test_manager_of_another_team_gets_403(client, teams):
    headers = bearer(teams["other_manager"])
    for suffix in ("assignments", "engagement"):
        response = client.get(f"/api/v1/teams/{teams['team'].id}/{suffix}", headers=headers)
        assert response.status_code == 403, suffix
        assert response.get_json()["type"].endswith("not-your-team")


def test_employee_gets_403_on_team_endpoints(client, teams):
    headers = bearer(teams["members"][0])
    assert client.get("/api/v1/teams", headers=headers).status_code == 403
    for suffix in ("assignments", "engagement"):
        assert client.get(f"/api/v1/teams/{teams['team'].id}/{suffix}",
                          headers=headers).status_code == 403


def _active_team(make_user, make_team, manager, size):
    """A team whose members all completed a module and answered the pulse last week."""
    week = ind.week_containing(aggregates.local_today() - timedelta(weeks=1),
                               aggregates.timezone())
    module = modules.get_published("giving-feedback")
    members = [make_user() for _ in range(size)]
    for person in members:
        module_learning.complete_module(person, module)
        db.session.flush()
        completion = module_learning.get_completion(person, module)
        completion.completed_at = week.start + timedelta(days=1)
        db.session.add(PulseAnswer(user_id=person.id, question="energy", period=week.label,
                                   value=4, answered_at=week.start + timedelta(days=1)))
    db.session.commit()
    return make_team(managers=[manager], members=members)


def test_team_engagement_uses_the_same_thresholds(client, make_user, make_team, catalog):
    manager = make_user(roles=("manager",))
    big = _active_team(make_user, make_team, manager, 6)
    middle = _active_team(make_user, make_team, manager, 5)
    small = _active_team(make_user, make_team, manager, 2)
    headers = bearer(manager)
    shown = client.get(f"/api/v1/teams/{big.id}/engagement", headers=headers).get_json()
    assert shown["hidden"] is None and shown["people"] == 6
    assert shown["indicator"]["value"] is not None and shown["indicator"]["hidden"] is None
    hidden = client.get(f"/api/v1/teams/{small.id}/engagement", headers=headers).get_json()
    assert hidden["hidden"] == "too_few" and "indicator" not in hidden
    assert "components" not in hidden and "trend" not in hidden
    # One hidden team under the parent hides the next smallest too (no subtraction).
    guarded = client.get(f"/api/v1/teams/{middle.id}/engagement", headers=headers).get_json()
    assert guarded["hidden"] == "subtraction" and "indicator" not in guarded


def test_hr_sees_any_team_engagement_but_not_assignments(client, make_user, teams):
    headers = bearer(make_user(roles=("hr",)))
    body = client.get(f"/api/v1/teams/{teams['team'].id}/engagement",
                      headers=headers).get_json()
    # Nobody in the team gave a signal: hidden with that reason, no value.
    assert body["team"]["name"] == "Support" and body["hidden"] == "none"
    assert "indicator" not in body and body["contributors"] == 0
    assert client.get("/api/v1/teams/999999/engagement", headers=headers).status_code == 404
    assert client.get(f"/api/v1/teams/{teams['team'].id}/assignments",
                      headers=headers).status_code == 403


def test_assigned_path_cannot_be_left_through_the_api(client, teams):
    member = teams["members"][1]
    response = client.delete("/api/v1/enrolments/focus-path", headers=bearer(member,
                                                                             "read-write"))
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert paths.get_enrolment(member, paths.get_path("focus-path")).state == "active"


def test_list_endpoints_run_a_bounded_number_of_queries(client, make_user, catalog, queries):
    user = make_user()
    headers = bearer(user)
    for slug in ("feedback-path", "focus-path"):
        paths.enrol(user, paths.get_path(slug))
    for n in range(12):
        publish(f"extra-{n}", f"Extra {n}")
        module_learning.complete_module(user, modules.get_published(f"extra-{n}"))
    db.session.commit()
    counts = {}
    for url in ("/api/v1/enrolments", "/api/v1/paths", "/api/v1/completions",
                "/api/v1/modules", "/api/v1/paths/feedback-path"):
        client.get(url, headers=headers)  # warm
        with queries() as statements:
            assert client.get(url, headers=headers).status_code == 200
        counts[url] = len(statements)
    assert max(counts.values()) <= 16, counts  # constant: no query per item


def test_completion_timestamps_are_iso_with_zone(client, make_user, catalog):
    user = make_user()
    module_learning.complete_module(user, modules.get_published("time-boxing"))
    db.session.commit()
    item = client.get("/api/v1/completions", headers=bearer(user)).get_json()["items"][0]
    assert datetime.fromisoformat(item["completed_at"]).tzinfo is not None
    assert datetime.fromisoformat(item["completed_at"]) <= datetime.now(UTC)

