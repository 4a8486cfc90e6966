"""GET /api/v1/xapi/statements: a person's own statements with since/until/limit and `more`."""

from datetime import timedelta

from sqlalchemy import select
from xapi_support import build_catalog, learn

from learnpath.api.tokens import create_token
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.xapi import statements as xs

URL = "/api/v1/xapi/statements"


def _bearer(user, scope="read"):
    _, secret = create_token(user, "xapi", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _setup(make_user):
    path = build_catalog()
    ada, bob = make_user(email="ada@example.com"), make_user(email="bob@example.com")
    learn(ada, path)
    learn(bob, path, answers=({1}, {0, 1}))
    return ada, bob


def _all_pages(client, headers, url):
    seen, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["X-Experience-API-Version"] == "1.0.3"
        data = response.get_json()
        seen.extend(data["statements"])
        url, pages = data["more"], pages + 1
    return seen, pages


def test_pages_through_only_the_owners_statements(app, client, make_user):
    ada, bob = _setup(make_user)
    mine = db.session.scalars(select(ActivityEvent).where(ActivityEvent.actor_id == ada.id)
                              .order_by(ActivityEvent.id)).all()
    expected = [s["id"] for _, s in xs.statements_for(mine) if s]
    seen, pages = _all_pages(client, _bearer(ada), f"{URL}?limit=3")
    assert [s["id"] for s in seen] == expected
    assert pages == -(-len(expected) // 3)
    assert {s["actor"]["account"]["name"] for s in seen} == {xs.actor_name(ada.id)}
    assert "ada@example.com" not in str(seen)


def test_since_and_until_filter_by_timestamp(app, client, make_user):
    ada, _ = _setup(make_user)
    events = db.session.scalars(select(ActivityEvent).where(ActivityEvent.actor_id == ada.id)
                                .order_by(ActivityEvent.id)).all()
    base = events[0].timestamp.replace(tzinfo=None)
    for n, event in enumerate(events):  # one minute apart
        event.timestamp = base + timedelta(minutes=n)
    db.session.commit()
    headers = _bearer(ada)
    since = (base + timedelta(minutes=1, seconds=30)).isoformat() + "Z"
    until = (base + timedelta(minutes=4)).isoformat() + "+00:00"
    seen, _ = _all_pages(client, headers, f"{URL}?since={since}&until={until.replace('+', '%2B')}"
                                          "&limit=1")
    assert len(seen) == 3  # minutes 2, 3 and 4
    # An offset is honoured: 10:00+02:00 is 08:00Z.
    later = (base + timedelta(minutes=2, hours=2)).isoformat() + "%2B02:00"
    seen, _ = _all_pages(client, headers, f"{URL}?until={later}")
    assert len(seen) == 3  # minutes 0, 1 and 2


def test_a_paging_token_of_another_person_is_a_problem(app, client, make_user):
    ada, bob = _setup(make_user)
    more = client.get(f"{URL}?limit=1", headers=_bearer(ada)).get_json()["more"]
    assert more
    response = client.get(more, headers=_bearer(bob))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "another person" in response.get_json()["detail"]


def test_bad_input_gets_problem_details(app, client, make_user):
    ada, _ = _setup(make_user)
    headers = _bearer(ada)
    for query in ("since=yesterday", "until=2026-13-01T00:00:00Z", "limit=0", "limit=abc",
                  "cursor=forged", "unknown=1", "since=2026-11-23T10:00:00%2B25:00"):
        response = client.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json", query
    assert client.get(URL).status_code == 401


def test_the_operation_is_in_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/xapi/statements"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"since", "until", "limit", "cursor"}
    assert "StatementResult" in document["components"]["schemas"]
