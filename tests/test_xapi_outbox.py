"""The statement outbox: queued with the event, pushed in batches to a real LRS (Ralph), retried,
resumable after a crash, never stored twice, failures shown to admins and to cron."""

import uuid

import pytest
from sqlalchemy import func, select
from xapi_support import (
    LRS_PASSWORD,
    LRS_USER,
    FakeLrs,
    RalphLrs,
    build_catalog,
    learn,
    require_ralph,
)

from learnpath.engagement import services as engagement
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.xapi import outbox
from learnpath.xapi import statements as xs
from learnpath.xapi.models import XapiOutbox

# One worker under pytest-xdist (--dist loadgroup): the Ralph LRS starts once per worker.
pytestmark = pytest.mark.xdist_group("xapi-lrs")


@pytest.fixture(scope="session")
def ralph_lrs(tmp_path_factory):
    """One Ralph LRS for the session; each test uses its own BASE_URL, so its own ids."""
    require_ralph()
    server = RalphLrs(tmp_path_factory.mktemp("ralph"))
    yield server
    server.close()


@pytest.fixture
def lrs_app(app, ralph_lrs):
    app.config.update(XAPI_LRS_URL=ralph_lrs.url, XAPI_LRS_USERNAME=LRS_USER,
                      XAPI_LRS_PASSWORD=LRS_PASSWORD,
                      BASE_URL=f"https://learnpath-{uuid.uuid4().hex[:8]}.example")
    return app


@pytest.fixture
def fake_lrs(app):
    server = FakeLrs()
    app.config.update(XAPI_LRS_URL=server.url, XAPI_LRS_USERNAME=LRS_USER,
                      XAPI_LRS_PASSWORD=LRS_PASSWORD)
    yield server
    server.close()


def _people_learning(make_user, count=2):
    path = build_catalog()
    people = [make_user() for _ in range(count)]
    for person in people:
        learn(person, path)
    return people


def _states() -> dict:
    return dict(db.session.execute(select(XapiOutbox.state, func.count())
                                   .group_by(XapiOutbox.state)).all())


def _expected_ids(people) -> set[str]:
    events = db.session.scalars(select(ActivityEvent).where(
        ActivityEvent.actor_id.in_([p.id for p in people]))).all()
    return {s["id"] for _, s in xs.statements_for(events) if s}


def test_every_exported_event_is_queued_in_its_own_transaction(app, make_user):
    person, = _people_learning(make_user, 1)
    exported = db.session.scalar(select(func.count()).select_from(ActivityEvent))
    assert _states() == {"queued": exported}
    colleague = make_user()
    engagement.give_kudos(person, colleague, "Well done")
    db.session.rollback()  # a failed request: neither the event nor its outbox row remain
    engagement.answer_pulse(person, "energy", 3)
    db.session.commit()
    assert _states() == {"queued": exported}  # pulse answers are not exported


def test_round_trip_through_a_real_lrs(lrs_app, ralph_lrs, make_user):
    people = _people_learning(make_user, 2)
    expected = _expected_ids(people)
    report = outbox.push(batch_size=4)
    assert report.ok, report.error
    assert report.sent == len(expected) and report.batches == -(-len(expected) // 4)
    assert _states() == {"sent": len(expected)}
    for person in people:
        stored = ralph_lrs.statements_of(xs.agent(person.id))
        mine = {s["id"] for _, s in xs.statements_for(db.session.scalars(
            select(ActivityEvent).where(ActivityEvent.actor_id == person.id)))}
        assert {s["id"] for s in stored} == mine
        assert len(stored) == len(mine)
        answered = [s for s in stored if s["verb"]["id"].endswith("/answered")]
        assert {s["result"]["response"] for s in answered} == {"0", "0[,]2"}
        assert all(s["actor"]["account"]["homePage"] == lrs_app.config["BASE_URL"]
                   for s in stored)
    # A second push has nothing to do.
    assert outbox.push().sent == 0


def test_a_crash_mid_batch_resumes_without_loss_or_duplicates(lrs_app, ralph_lrs, make_user,
                                                              monkeypatch):
    people = _people_learning(make_user, 2)
    expected = _expected_ids(people)
    real_request, posts = outbox.request, []

    def crash_after_second_post(method, url, payload=None):
        result = real_request(method, url, payload)
        posts.append(payload)
        if len(posts) == 2:
            raise KeyboardInterrupt("the process dies after the LRS stored batch 2")
        return result

    monkeypatch.setattr(outbox, "request", crash_after_second_post)
    with pytest.raises(KeyboardInterrupt):
        outbox.push(batch_size=3)
    db.session.rollback()  # what dying does to the open transaction
    assert _states() == {"sent": 3, "queued": len(expected) - 3}
    monkeypatch.setattr(outbox, "request", real_request)

    report = outbox.push(batch_size=3)  # "after the restart"
    assert report.ok, report.error
    assert _states() == {"sent": len(expected)}
    stored = [s for person in people for s in ralph_lrs.statements_of(xs.agent(person.id))]
    assert sorted(s["id"] for s in stored) == sorted(expected)  # each exactly once


def test_an_lrs_that_answers_500_keeps_the_statements_and_shows_the_failure(
        app, fake_lrs, make_user, client, login_as, runner):
    _people_learning(make_user, 1)
    queued = _states()["queued"]
    fake_lrs.script = [500] * 10
    sleeps = []
    report = outbox.push(batch_size=50, sleep=sleeps.append)
    assert not report.ok and "HTTP 500" in report.error
    assert len(fake_lrs.requests) == 1 + app.config["XAPI_RETRIES"]
    assert sleeps == [app.config["XAPI_BACKOFF_SECONDS"] * 2 ** n
                      for n in range(app.config["XAPI_RETRIES"])]  # exponential backoff
    assert _states() == {"queued": queued}
    assert all("Authorization" not in str(r) for r in fake_lrs.requests)

    login_as("admin")
    html = client.get("/admin/xapi/").get_data(as_text=True)
    assert "The last push failed" in html and "HTTP 500" in html
    assert f'id="xapi-queued">{queued}<' in html
    assert LRS_PASSWORD not in html

    result = runner.invoke(args=["xapi", "push"])
    assert result.exit_code == 1
    assert "xAPI push failed" in result.output and "stay queued" in result.output

    fake_lrs.script = [503]  # recovers after one retry
    report = outbox.push(sleep=lambda _s: None)
    assert report.ok and report.sent == queued
    html = client.get("/admin/xapi/").get_data(as_text=True)
    assert "The last push failed" not in html and f'id="xapi-sent">{queued}<' in html


def test_an_lrs_that_is_down_keeps_the_statements(app, make_user, runner):
    from xapi_support import free_port

    _people_learning(make_user, 1)
    queued = _states()["queued"]
    app.config["XAPI_LRS_URL"] = f"http://127.0.0.1:{free_port()}/xAPI/"
    report = outbox.push(sleep=lambda _s: None)
    assert not report.ok and "Could not reach the LRS" in report.error
    assert _states() == {"queued": queued}
    result = runner.invoke(args=["xapi", "push"])
    assert result.exit_code == 1 and "Could not reach the LRS" in result.output


def test_without_an_lrs_push_fails_clearly(app, make_user, runner):
    _people_learning(make_user, 1)
    app.config["XAPI_LRS_URL"] = ""
    result = runner.invoke(args=["xapi", "push"])
    assert result.exit_code == 1 and "LEARNPATH_XAPI_LRS_URL" in result.output
    assert _states().get("queued")


def test_a_known_id_counts_as_sent_and_a_rejected_statement_does_not_block(app, fake_lrs,
                                                                          make_user):
    _people_learning(make_user, 1)
    queued = _states()["queued"]
    # The batch is refused (one id already stored with other content), then one by one:
    # the first PUT gets 409 (already there: sent), the second 400 (rejected), the rest 204.
    fake_lrs.script = [409, 409, 400]
    report = outbox.push(batch_size=100)
    assert report.ok
    assert _states() == {"sent": queued - 1, "rejected": 1}
    methods = [m for m, _, _ in fake_lrs.requests]
    assert methods[0] == "POST" and set(methods[1:]) == {"PUT"}
    assert "statementId=" in fake_lrs.requests[1][1]


def test_an_erased_persons_queued_statements_are_never_sent(app, fake_lrs, make_user):
    from learnpath.privacy.services import erase_person

    erased, kept = _people_learning(make_user, 2)
    kept_ids = _expected_ids([kept])
    erase_person(erased)
    db.session.commit()
    report = outbox.push()
    assert report.ok and report.sent == len(kept_ids) and report.skipped > 0
    sent = {s["id"] for _, _, body in fake_lrs.requests for s in body}
    assert sent == kept_ids
    assert erased.email not in str(fake_lrs.requests)


def test_the_status_page_is_for_admins_and_linked_from_the_admin_nav(app, client, login_as):
    login_as("employee")
    assert client.get("/admin/xapi/").status_code in (302, 403)
    client.post("/logout")
    login_as("admin")
    html = client.get("/admin/").get_data(as_text=True)
    assert "/admin/xapi/" in html
    page = client.get("/admin/xapi/")
    assert page.status_code == 200 and "No LRS is configured" in page.get_data(as_text=True)
    client.post("/language", data={"locale": "nl", "next": "/"})
    page = client.get("/admin/xapi/").get_data(as_text=True)
    assert "Er is geen LRS ingesteld" in page and "Laatste geslaagde verzending" in page
