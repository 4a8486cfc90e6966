"""Spaced review with FSRS: cards from answered questions, the daily review, ratings, retention,
privacy. The clock moves (reviews.services.utcnow), nobody sleeps."""

import re
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from sqlalchemy import func, select

from learnpath.api import tokens
from learnpath.engagement import activity as engagement_activity
from learnpath.engagement import indicator
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.privacy import services as privacy
from learnpath.reviews import services, showing
from learnpath.reviews.models import ReviewCard, ReviewLog
from learnpath.skills import services as skills
from learnpath.xapi.statements import statements_for

QUIZ = """---
title: Feedback that lands
language: en
duration: 4
skills: [giving-feedback]
---

# Feedback that lands

Describe what you saw.

<quiz>
What comes first?
- [x] The behaviour
- [ ] Your judgement

Behaviour can change, a judgement cannot.
</quiz>

<quiz>
Which are good habits?
- [x] Be specific
- [x] Ask a question
- [ ] Wait three months
</quiz>
"""

OTHER = QUIZ.replace("Feedback that lands", "Listening well").replace(
    "What comes first?", "What do you do while listening?")

# The scheduler the app promises (README, "Spaced review"): FSRS without learning steps of
# minutes and without fuzz, so the test can ask the library itself for the due date.
SCHEDULER = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


class Clock:
    def __init__(self, monkeypatch, start):
        self.at = start
        monkeypatch.setattr(services, "utcnow", lambda: self.at)

    def move(self, **delta):
        self.at += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    # A day and an hour ago, so a day later is still this week (Rhythm) and not in the future.
    return Clock(monkeypatch, datetime.now(UTC) - timedelta(days=1, hours=1))


@pytest.fixture
def publish(app):
    def factory(slug="feedback", source=QUIZ):
        if skills.get_skill("giving-feedback") is None:
            skills.create_skill("giving-feedback", {
                "name_en": "Giving feedback", "name_nl": "Feedback geven",
                "description_en": "", "description_nl": ""})
        module = authoring.create_module(slug, source)
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def answer_quiz(client, module, choices=([0], [0, 1])):
    data = {f"q{q.id}": [str(i) for i in chosen]
            for q, chosen in zip(module.current_version.questions, choices, strict=True)}
    response = client.post(f"/modules/{module.slug}/quiz", data=data)
    assert response.status_code == 200
    return response


def shown(client):
    """The review page's card id and showing token (and the page)."""
    html = client.get("/reviews").get_data(as_text=True)
    card = re.search(r'action="/reviews/(\d+)"', html)
    token = re.search(r'name="showing" value="([^"]+)"', html)
    assert card and token, html
    return int(card[1]), token[1], html


def cards_of(user):
    return db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id)
                              .order_by(ReviewCard.id)).all()


def logs_of(user):
    return db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == user.id)
                              .order_by(ReviewLog.id)).all()


def right_choice(card_id):
    card = db.session.get(ReviewCard, card_id)
    question = services.showing_of(card).question
    return [str(i) for i in sorted(question.question.correct_indexes())]


def test_questions_answered_yesterday_are_due_today(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    assert len(cards_of(user)) == 2
    assert "Review (2 min)" not in client.get("/").get_data(as_text=True)
    assert "Nothing to review right now." in client.get("/reviews").get_data(as_text=True)
    clock.move(days=1)
    home = client.get("/").get_data(as_text=True)
    assert "Review (2 min)" in home and "2 questions from your modules" in home
    _card, _token, html = shown(client)
    assert "What comes first?" in html and 'autofocus' in html


def test_a_review_moves_the_due_date_as_fsrs_computes_it(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    created = clock.at
    clock.move(days=1, hours=2)
    card_id, token, _html = shown(client)
    clock.move(seconds=30)  # right, but not within 10 s: Good
    response = client.post(f"/reviews/{card_id}", data={"showing": token,
                                                       "option": right_choice(card_id)})
    assert response.status_code == 303 and response.headers["Location"] == "/reviews"
    expected, _log = SCHEDULER.review_card(
        fsrs.Card(card_id=0, due=created + timedelta(days=1)), fsrs.Rating.Good, clock.at)
    card = db.session.get(ReviewCard, card_id)
    assert services._aware(card.due) == expected.due
    assert card.state["stability"] == pytest.approx(expected.stability)
    log = logs_of(user)[-1]
    assert (log.rating, log.correct, log.duration_ms) == (int(fsrs.Rating.Good), True, 30000)


def test_right_within_ten_seconds_is_easy_and_wrong_is_again(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    clock.move(seconds=4)
    client.post(f"/reviews/{card_id}", data={"showing": token, "option": right_choice(card_id)})
    second, token, _html = shown(client)
    assert second != card_id
    clock.move(seconds=3)
    wrong = "1" if right_choice(second) == ["0"] else "2"
    response = client.post(f"/reviews/{second}", data={"showing": token, "option": wrong})
    assert response.status_code == 303 and "/reviews/answers/" in response.headers["Location"]
    assert [log.rating for log in logs_of(user)] == [int(fsrs.Rating.Easy),
                                                      int(fsrs.Rating.Again)]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not quite." in page and "correct answer" in page
    assert 'href="/modules/feedback"' in page


def test_wrong_answer_shows_the_feedback_and_the_module(client, login_as, publish, clock):
    login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, html = shown(client)
    assert "What comes first?" in html
    response = client.post(f"/reviews/{card_id}", data={"showing": token, "option": "1"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Behaviour can change, a judgement cannot." in page
    assert "your answer" in page and "Feedback that lands" in page


def test_daily_limit_and_reviews_off(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    services.set_daily_limit(user, 1)
    db.session.commit()
    clock.move(days=1)
    assert "1 question from your modules" in client.get("/").get_data(as_text=True)
    card_id, token, _html = shown(client)
    client.post(f"/reviews/{card_id}", data={"showing": token, "option": right_choice(card_id)})
    assert "Review (2 min)" not in client.get("/").get_data(as_text=True)
    assert "See you tomorrow." in client.get("/reviews").get_data(as_text=True)
    services.set_daily_limit(user, 0)
    db.session.commit()
    assert "Reviews are off." in client.get("/reviews").get_data(as_text=True)


def test_profile_sets_the_daily_number_and_refuses_nonsense(client, login_as):
    user = login_as()
    response = client.post("/profile", data={"display_name": "Sam", "locale": "",
                                             "daily_reviews": "99"})
    assert response.status_code == 400
    assert "Choose a number from 0 to 50." in response.get_data(as_text=True)
    assert 'value="99"' in response.get_data(as_text=True)
    client.post("/profile", data={"display_name": "Sam", "locale": "", "daily_reviews": "0"})
    assert db.session.get(type(user), user.id).daily_reviews == 0


def test_someone_elses_card_is_404(client, login_as, make_user, publish, clock):
    module = publish()
    other = make_user()
    services.add_cards(other, module.current_version,
                       [q.key for q in services.questions_of(module.current_version)])
    db.session.commit()
    theirs = cards_of(other)[0]
    login_as()
    token = showing.sign(theirs.id, clock.at)
    response = client.post(f"/reviews/{theirs.id}", data={"showing": token, "option": "0"})
    assert response.status_code == 404
    assert client.post("/reviews/999999", data={"showing": token}).status_code == 404
    assert logs_of(other) == []


def test_a_card_not_due_yet_is_accepted_and_scheduled_by_fsrs(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    card = cards_of(user)[0]
    before = fsrs.Card.from_dict({**card.state, "card_id": 0})
    clock.move(hours=2)  # due only tomorrow
    token = showing.sign(card.id, clock.at)
    clock.move(seconds=20)
    response = client.post(f"/reviews/{card.id}", data={"showing": token, "option": "0"})
    assert response.status_code == 303
    expected, _log = SCHEDULER.review_card(before, fsrs.Rating.Good, clock.at)
    assert services._aware(db.session.get(ReviewCard, card.id).due) == expected.due


def test_double_submit_gives_one_rating(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    data = {"showing": token, "option": "1"}
    first = client.post(f"/reviews/{card_id}", data=data)
    due = db.session.get(ReviewCard, card_id).due
    clock.move(seconds=1)
    again = client.post(f"/reviews/{card_id}", data=data)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert len(logs_of(user)) == 1
    assert db.session.get(ReviewCard, card_id).due == due


def test_bad_answers_are_400_with_a_message(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    empty = client.post(f"/reviews/{card_id}", data={"showing": token})
    assert empty.status_code == 400 and "Choose an answer first." in empty.get_data(as_text=True)
    assert token in empty.get_data(as_text=True)  # the same showing, still measured from then
    forged = client.post(f"/reviews/{card_id}", data={"showing": token + "x", "option": "0"})
    assert forged.status_code == 400
    assert "was not shown to you like this" in forged.get_data(as_text=True)
    other_card = [c.id for c in cards_of(user) if c.id != card_id][0]
    moved = client.post(f"/reviews/{other_card}", data={"showing": token, "option": "0"})
    assert moved.status_code == 400
    assert logs_of(user) == []


def test_archived_module_retires_its_cards_and_the_next_one_shows(client, login_as, publish,
                                                                   clock):
    user = login_as()
    first = publish()
    answer_quiz(client, first)
    second = publish("listening", OTHER)
    clock.move(minutes=5)
    answer_quiz(client, second)
    clock.move(days=1)
    card_id, token, _html = shown(client)
    assert db.session.get(ReviewCard, card_id).module_id == first.id
    authoring.archive(first)
    db.session.commit()
    response = client.post(f"/reviews/{card_id}", data={"showing": token, "option": "0"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "left your reviews" in page
    assert "What do you do while listening?" in page
    assert logs_of(user) == []
    assert all(c.retired for c in cards_of(user) if c.module_id == first.id)


def test_cards_follow_the_newest_version_and_a_removed_question_retires(client, login_as,
                                                                        publish, clock):
    user = login_as()
    module = publish()
    answer_quiz(client, module)
    kept_key = cards_of(user)[0].question_key
    authoring.publish(module, None, QUIZ.split("<quiz>\nWhich are good habits?")[0])
    db.session.commit()
    cards = {c.question_key: c for c in cards_of(user)}
    assert not cards[kept_key].retired
    assert [c.retired for k, c in cards.items() if k != kept_key] == [True]
    clock.move(days=1)
    assert "1 question from your modules" in client.get("/").get_data(as_text=True)


def test_erasure_removes_cards_and_answers(client, login_as, make_user, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    client.post(f"/reviews/{card_id}", data={"showing": token, "option": "0"})
    exported = privacy.export_person(user)
    assert len(exported["review_cards"]) == 2 and len(exported["review_answers"]) == 1
    assert exported["review_answers"][0]["rating"] in ("good", "easy")
    admin = make_user(roles=("employee", "admin"))
    privacy.erase_person(user, actor=admin)
    db.session.commit()
    assert db.session.scalar(select(func.count(ReviewCard.id))) == 0
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 0


def test_managers_pages_and_api_show_nothing_of_reviews(client, auth, login_as, make_user,
                                                         make_team, publish, clock):
    employee = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    client.post(f"/reviews/{card_id}", data={"showing": token, "option": "1"})
    log_id = logs_of(employee)[0].id
    auth.logout()
    manager = make_user(roles=("employee", "manager"))
    team = make_team(managers=[manager], members=[employee])
    auth.login(manager)
    assert client.get(f"/reviews/answers/{log_id}").status_code == 404
    assert client.post(f"/reviews/{card_id}", data={"showing": token,
                                                    "option": "0"}).status_code == 404
    pages = ["/manager", "/engagement/teams", f"/engagement/teams/{team.id}", "/"]
    for page in pages:
        html = client.get(page).get_data(as_text=True).lower()
        assert "what comes first" not in html and "retain" not in html, page
        assert "review (2 min)" not in html, page
    _token, secret = tokens.create_token(manager, "test", "read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    for url in ("/api/v1/teams", f"/api/v1/teams/{team.id}/assignments",
                f"/api/v1/teams/{team.id}/engagement"):
        body = client.get(url, headers=headers).get_data(as_text=True).lower()
        assert "review" not in body and "what comes first" not in body, url


def test_reviews_count_for_rhythm_and_become_xapi_statements(client, login_as, publish, clock):
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    client.post(f"/reviews/{card_id}", data={"showing": token, "option": "0"})
    weeks = indicator.weeks_ending(engagement_activity.local_today(), 4,
                                   engagement_activity.timezone())
    found, _enps = engagement_activity.activities("user", user.id, weeks)
    assert sum(found[user.id].reviews) == 1
    assert any(found[user.id].learned(i) for i in range(len(weeks)))
    events = db.session.scalars(select(ActivityEvent).where(
        ActivityEvent.actor_id == user.id, ActivityEvent.verb == "answered")).all()
    review = [e for e in events if "review" in e.context]
    assert len(review) == 1
    (_event, statement), = statements_for(review)
    assert statement["verb"]["display"]["en-US"] == "answered"
    extension = next(v for k, v in statement["context"]["extensions"].items()
                     if k.endswith("/xapi/extensions/review"))
    assert extension["rating"] in ("good", "easy") and extension["card"] == card_id


def test_my_skills_shows_retention_in_words_and_a_bar(client, login_as, publish, clock):
    login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    card_id, token, _html = shown(client)
    client.post(f"/reviews/{card_id}", data={"showing": token, "option": "0"})
    html = client.get("/skills").get_data(as_text=True)
    assert "Giving feedback" in html and "<meter" in html and "fresh" in html
    clock.move(days=120)
    assert "needs a review" in client.get("/skills").get_data(as_text=True)


def test_due_count_is_one_bounded_query(client, login_as, publish, clock, queries):
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    assert user.daily_reviews == 5  # loaded before counting, as on a page (current_user)
    with queries() as statements:
        offer = services.offer(user)
    assert offer.due == 2 and len(statements) == 1  # today's reviews and the due cards


def test_review_and_skills_pages_run_the_same_statements_with_more_cards(client, login_as,
                                                                          publish, clock,
                                                                          queries):
    login_as()
    answer_quiz(client, publish())
    clock.move(days=1)

    def counted(path):
        client.get(path)  # warm: the session, the user
        with queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    before = {path: counted(path) for path in ("/", "/reviews", "/skills")}
    clock.move(days=-1)
    for n in range(3):
        answer_quiz(client, publish(f"more-{n}", OTHER.replace("Listening well",
                                                               f"Listening {n}")))
    clock.move(days=1)
    assert {path: counted(path) for path in before} == before


def test_a_fill_in_the_blank_question_is_not_a_review_card():
    """Reviews show options to tap; a blank to type is left out (README, Spaced review)."""
    from types import SimpleNamespace

    from learnpath.reviews.questions import answered_keys, questions_of
    fill = SimpleNamespace(kind="fill", prompt_html="<p>A [[x]]</p>", options=[{"answer": "x"}],
                           multiple=False, feedback_html="")
    choice = SimpleNamespace(kind="single", prompt_html="<p>Which?</p>",
                             options=[{"html": "a", "correct": True}], multiple=False,
                             feedback_html="")
    version = SimpleNamespace(questions=[fill, choice])
    assert [q.prompt_html for q in questions_of(version)] == ["<p>Which?</p>"]
    result = SimpleNamespace(results=[SimpleNamespace(question=fill),
                                      SimpleNamespace(question=choice)])
    assert len(answered_keys(result)) == 1


def test_the_digest_mentions_due_reviews_in_one_line_but_never_sends_for_them_alone(
        app, client, login_as, publish, clock):
    from learnpath.paths.reminders import SECTIONS_KEY, DigestSection, due_digests
    from learnpath.reviews import reminders
    user = login_as()
    answer_quiz(client, publish())
    clock.move(days=1)
    assert [d for d in due_digests(clock.at) if d.user.id == user.id] == []  # reviews alone
    other = DigestSection(count=1, lines=lambda _t: ["A check-in tomorrow."],
                          subject=lambda: "Reminder")
    app.extensions[SECTIONS_KEY].append(lambda _today: {user.id: other})
    try:
        digest, = [d for d in due_digests(clock.at) if d.user.id == user.id]
        lines = [line for section in digest.sections for line in section.lines(clock.at.date())]
        assert "2 questions are waiting for a two-minute review:" in lines
        user.daily_reviews = 0  # reviews off: no line
        db.session.commit()
        assert user.id not in reminders.digest_section(clock.at.date())
    finally:
        app.extensions[SECTIONS_KEY].pop()
