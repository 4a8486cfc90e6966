"""The knowledge-check rules on the learner page: unanswered questions, what a wrong attempt
shows, revealing the answers, fill-in-the-blank, the pass mark and who may do what."""

import re

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring, learning
from learnpath.modules.models import Completion, QuizAttempt

RULES_MODULE = """---
title: Feedback rules
duration: 3
{extra}
---

Describe what you saw.

<quiz>
What comes first?
- [x] The behaviour
> Yes, start with what you saw.
- [ ] Your judgement
> A judgement puts people on the defence.

Behaviour can change.
</quiz>

<quiz>
Which are good habits?
- [x] Be specific
- [x] Ask a question
- [ ] Wait three months
> Feedback keeps badly.
</quiz>

<quiz>
The capital of France is [[Paris]].
---
Paris has been the capital since 987.
</quiz>
"""

RIGHT = {0: ["0"], 1: ["0", "1"], 2: ["Paris"]}
WRONG = {0: ["1"], 1: ["0", "2"], 2: ["Lyon"]}


@pytest.fixture
def module(app):
    def factory(extra="", slug="rules"):
        module = authoring.create_module(slug, RULES_MODULE.format(extra=extra))
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def answer(client, module, choices):
    data = {}
    for position, question in enumerate(module.current_version.questions):
        given = choices.get(position, [])
        if question.kind == "fill":
            data.update({f"q{question.id}-{i}": text for i, text in enumerate(given)})
        else:
            data[f"q{question.id}"] = given
    return client.post(f"/modules/{module.slug}/quiz", data=data)


def quiz_part(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('id="quiz"')[1].split('id="done"')[0]


def fieldset(html: str, question) -> str:
    return html.split(f'id="question-{question.id}"')[1].split("</fieldset>")[0]


# Unanswered ----------------------------------------------------------------------------------

def test_unanswered_question_is_a_422_with_a_message_at_that_question_and_answers_kept(
        client, login_as, module):
    login_as()
    mod = module()
    first, second, fill = mod.current_version.questions
    response = answer(client, mod, {0: ["0"], 2: ["  paris "]})
    assert response.status_code == 422
    html = quiz_part(response)
    assert "Please answer every question. 1 question has no answer yet." in html
    assert "Choose an answer to this question." in fieldset(html, second)
    assert "Choose an answer" not in fieldset(html, first)
    assert 'value="0" checked' in fieldset(html, first)
    assert 'value="  paris "' in fieldset(html, fill)
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))) == 0


def test_an_empty_blank_is_unanswered(client, login_as, module):
    login_as()
    mod = module()
    fill = mod.current_version.questions[2]
    response = answer(client, mod, {0: ["0"], 1: ["0"], 2: ["   "]})
    assert response.status_code == 422
    assert "Fill in every blank of this question." in fieldset(quiz_part(response), fill)


# A wrong attempt -----------------------------------------------------------------------------

def test_wrong_attempt_marks_the_wrong_choices_and_their_feedback_not_the_correct_options(
        client, login_as, module):
    login_as()
    mod = module()
    first, second, fill = mod.current_version.questions
    response = answer(client, mod, WRONG)
    assert response.status_code == 200
    html = quiz_part(response)
    assert "You answered 0 of 3 questions correctly." in html
    one = fieldset(html, first)
    assert "✗ not correct" in one and "A judgement puts people on the defence." in one
    assert "correct answer" not in one and "option-correct" not in one
    assert "Yes, start with what you saw." not in one  # the right option's feedback
    assert "Behaviour can change." not in one  # the explanation gives it away
    two = fieldset(html, second)
    assert "✓ right" in two and "✗ not correct" in two and "Feedback keeps badly." in two
    assert "correct answer" not in two  # "Ask a question" is not marked
    three = fieldset(html, fill)
    assert 'aria-invalid="true"' in three and "Paris" not in three
    assert "Show the answers" in html
    assert "after your second try" in html


def test_missing_a_correct_option_says_so_without_naming_it(client, login_as, module):
    login_as()
    mod = module()
    second = mod.current_version.questions[1]
    html = quiz_part(answer(client, mod, {0: ["0"], 1: ["0"], 2: ["Paris"]}))
    part = fieldset(html, second)
    assert "a correct answer is missing" in part and "correct answer</strong>" not in part


def test_the_second_wrong_attempt_reveals_the_correct_answers(client, login_as, module):
    login_as()
    mod = module()
    first, second, fill = mod.current_version.questions
    answer(client, mod, WRONG)
    html = quiz_part(answer(client, mod, WRONG))
    assert "The correct answers are marked below." in html
    one = fieldset(html, first)
    assert "✓ correct answer" in one and "Yes, start with what you saw." in one
    assert "Behaviour can change." in one
    assert "✓ correct answer" in fieldset(html, second)
    assert "Answer: Paris" in fieldset(html, fill)
    assert "Show the answers" not in html
    # and on a later visit
    assert "Answer: Paris" in quiz_part(client.get(f"/modules/{mod.slug}"))


def test_show_the_answers_on_request_after_one_wrong_attempt(client, login_as, module):
    user = login_as()
    mod = module()
    answer(client, mod, WRONG)
    response = client.post(f"/modules/{mod.slug}/quiz/reveal")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/modules/{mod.slug}#quiz")
    html = quiz_part(client.get(f"/modules/{mod.slug}"))
    assert "✓ correct answer" in html and "Answer: Paris" in html
    assert db.session.scalar(db.select(QuizAttempt.revealed).where(
        QuizAttempt.user_id == user.id)) is True


def test_asking_for_the_answers_before_trying_is_a_409_with_a_message(client, login_as, module):
    login_as()
    mod = module()
    response = client.post(f"/modules/{mod.slug}/quiz/reveal")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Check your answers first" in html and "correct answer</strong>" not in html


def test_show_correct_false_never_reveals_the_answers(client, login_as, module):
    login_as()
    mod = module("quiz:\n  show_correct: false")
    answer(client, mod, WRONG)
    html = quiz_part(answer(client, mod, WRONG))
    assert "correct answer</strong>" not in html and "Answer: Paris" not in html
    assert "Show the answers" not in html
    assert client.post(f"/modules/{mod.slug}/quiz/reveal").status_code == 409


def test_a_right_attempt_shows_the_explanation_and_option_feedback(client, login_as, module):
    login_as()
    mod = module()
    html = quiz_part(answer(client, mod, RIGHT))
    assert "You answered 3 of 3 questions correctly." in html
    assert "Behaviour can change." in html and "Yes, start with what you saw." in html
    assert "Paris has been the capital since 987." in html
    assert "Show the answers" not in html


@pytest.mark.parametrize("typed", ["Paris", "paris", "  PARIS ", "Pa ris", "PaRiS\u00a0"])
def test_fill_in_the_blank_ignores_case_and_whitespace(client, login_as, module, typed):
    login_as()
    mod = module()
    html = quiz_part(answer(client, mod, {**RIGHT, 2: [typed]}))
    assert "You answered 3 of 3 questions correctly." in html


def test_same_text_is_case_and_whitespace_insensitive_only():
    assert learning.same_text(" Guido  van\tRossum ", "guido van rossum")
    assert not learning.same_text("Pariss", "Paris")


# Pass mark -----------------------------------------------------------------------------------

def test_by_default_every_question_must_be_right_to_mark_as_done(client, login_as, module):
    login_as()
    mod = module()
    answer(client, mod, {**RIGHT, 2: ["Lyon"]})
    page = client.get(f"/modules/{mod.slug}").get_data(as_text=True)
    done = page.split('id="done"')[1]
    assert "you need 3 of 3 questions right; your best so far is 2." in done
    assert "Mark as done" not in done
    response = client.post(f"/modules/{mod.slug}/complete")
    assert response.status_code == 409
    assert "You need 3 of 3 questions right to mark this module as done" in \
        response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 0
    answer(client, mod, RIGHT)
    assert client.post(f"/modules/{mod.slug}/complete").status_code == 302


def test_a_pass_mark_in_front_matter_lets_fewer_right_answers_pass(client, login_as, module):
    user = login_as()
    mod = module("pass: 60")
    html = client.get(f"/modules/{mod.slug}").get_data(as_text=True)
    assert "Get 2 of 3 questions right to finish this module." in html
    answer(client, mod, {**RIGHT, 2: ["Lyon"]})
    assert client.post(f"/modules/{mod.slug}/complete").status_code == 302
    completion = db.session.scalar(db.select(Completion).where(Completion.user_id == user.id))
    assert completion.score == pytest.approx(2 / 3)


def test_the_best_attempt_counts_for_the_pass_mark(client, login_as, module):
    login_as()
    mod = module("pass: 60")
    answer(client, mod, RIGHT)
    answer(client, mod, WRONG)
    assert client.post(f"/modules/{mod.slug}/complete").status_code == 302


# Order and permissions -----------------------------------------------------------------------

def test_shuffled_options_keep_their_values_and_stay_put_for_a_person(client, login_as, module):
    login_as()
    mod = module("quiz:\n  shuffle_answers: true")
    first = client.get(f"/modules/{mod.slug}").get_data(as_text=True)
    again = client.get(f"/modules/{mod.slug}").get_data(as_text=True)
    second = mod.current_version.questions[1]
    values = re.findall(rf'name="q{second.id}" value="(\d)"', first)
    assert sorted(values) == ["0", "1", "2"]
    assert values == re.findall(rf'name="q{second.id}" value="(\d)"', again)
    assert "You answered 3 of 3" in quiz_part(answer(client, mod, RIGHT))


def test_visitors_are_sent_to_sign_in(client, module):
    mod = module()
    for url in (f"/modules/{mod.slug}/quiz", f"/modules/{mod.slug}/quiz/reveal",
                f"/modules/{mod.slug}/complete"):
        response = client.post(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_persons_attempts_reveal_nothing(client, login_as, module, make_user):
    mod = module()
    other = make_user()
    learning.submit_quiz(other, mod.current_version, {q.id: {1} for q in
                                                       mod.current_version.questions[:2]})
    db.session.commit()
    login_as()
    html = quiz_part(client.get(f"/modules/{mod.slug}"))
    assert "You answered" not in html and "correct answer</strong>" not in html
    assert client.post(f"/modules/{mod.slug}/quiz/reveal").status_code == 409


def test_unpublished_module_has_no_quiz_to_reveal(client, login_as, module):
    login_as()
    mod = module()
    authoring.unpublish(mod)
    db.session.commit()
    assert client.post(f"/modules/{mod.slug}/quiz/reveal").status_code == 404


def test_authors_see_blanks_answers_and_option_feedback_in_the_preview(client, login_as):
    login_as("author")
    response = client.post("/author/preview", data={
        "slug": "brand-new", "language": "en", "source": RULES_MODULE.format(extra="")})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<span class="blank-answer">[Paris]</span>' in html
    assert "A judgement puts people on the defence." in html
    assert "\ue000" not in html


def test_the_statistics_page_shows_a_fill_question_with_its_answer(client, login_as, module):
    login_as("author")
    mod = module()
    html = client.get(f"/author/{mod.slug}/stats").get_data(as_text=True)
    assert "The capital of France is <span class=\"blank-answer\">[Paris]</span>" in html
