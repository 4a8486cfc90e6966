"""The weekly check-in on the home page (issue 19): mistakes are said at the question, on the
page the person was on; answered questions fold; one open question at a time on phones."""

import re

from learnpath.engagement.models import PulseAnswer
from learnpath.extensions import db


def _question(html, question):
    """The markup of one question's form."""
    start = html.index(f'name="question" value="{question}"')
    start = html.rindex("<form", 0, start)
    return html[start:html.index("</form>", start)]


def test_send_without_a_choice_shows_the_home_page_with_the_message_at_the_question(
        client, login_as):
    login_as()
    response = client.post("/pulse", data={"question": "energy", "next": "/"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bad request" not in html
    assert "Welcome," in html and "Your learning" in html  # the home page, not an error page
    form = _question(html, "energy")
    assert 'aria-describedby="energy-error"' in form and 'aria-invalid="true"' in form
    assert re.search(r'<p class="field-error pulse-error" id="energy-error">'
                     r'Choose a value from 1 to 5\.</p>', form)
    assert 'id="energy-1" name="value" value="1" autofocus' in form  # focus lands there
    assert db.session.scalar(db.select(db.func.count(PulseAnswer.id))) == 0


def test_the_message_is_in_dutch_for_a_dutch_person(client, login_as):
    login_as(locale="nl")
    html = client.post("/pulse", data={"question": "enps"}).get_data(as_text=True)
    assert "Kies een waarde van 0 tot en met 10." in _question(html, "enps")


def test_an_out_of_range_value_is_said_at_the_question_too(client, login_as):
    login_as()
    response = client.post("/pulse", data={"question": "enps", "value": "11"})
    assert response.status_code == 400
    assert "Choose a value from 0 to 10." in _question(response.get_data(as_text=True), "enps")


def test_an_unknown_question_is_said_above_the_questions(client, login_as):
    login_as()
    response = client.post("/pulse", data={"question": "mood", "value": "3"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="field-error pulse-error" role="alert">Unknown question.</p>' in html


def test_the_other_answer_is_kept_when_one_question_is_sent_empty(client, login_as):
    login_as()
    client.post("/pulse", data={"question": "enps", "value": "8"})
    html = client.post("/pulse", data={"question": "energy"}).get_data(as_text=True)
    assert 'id="enps-8" name="value" value="8" checked' in html


def test_questions_are_numbered_and_answered_ones_fold(client, login_as):
    login_as()
    html = client.get("/").get_data(as_text=True)
    assert "Question 1 of 2" in html and "Question 2 of 2" in html
    assert '<details class="pulse-answered">' not in html
    client.post("/pulse", data={"question": "energy", "value": "4"})
    html = client.get("/").get_data(as_text=True)
    folded = html[html.index('<details class="pulse-answered">'):]
    folded = folded[:folded.index("</details>")]
    assert "Your answer: 4 · Good" in folded
    assert 'value="4" checked' in folded and "Change my answer" in folded  # still changeable
    assert 'name="question" value="enps"' not in folded


def test_on_phones_only_the_first_open_question_shows(client, login_as):
    login_as()
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'class="pulse-question pulse-current">\s*<form[^>]*>\s*<input[^>]*>\s*'
                     r'<input type="hidden" name="question" value="energy">', html)
    assert re.search(r'class="pulse-question pulse-later">\s*<form[^>]*>\s*<input[^>]*>\s*'
                     r'<input type="hidden" name="question" value="enps">', html)
    client.post("/pulse/skip", data={"question": "energy", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'class="pulse-question pulse-current">\s*<form[^>]*>\s*<input[^>]*>\s*'
                     r'<input type="hidden" name="question" value="enps">', html)
    assert "pulse-later" not in html


def test_the_question_with_the_mistake_is_the_one_shown_on_phones(client, login_as):
    login_as()
    html = client.post("/pulse", data={"question": "enps"}).get_data(as_text=True)
    assert re.search(r'class="pulse-question pulse-current">\s*<form[^>]*>\s*<input[^>]*>\s*'
                     r'<input type="hidden" name="question" value="enps">', html)


def test_error_pages_link_back_to_the_page_before_on_this_site_only(client, login_as):
    login_as()
    here = client.get("/modules/nothing-here", headers={"Referer": "http://localhost/paths?x=1"})
    assert here.status_code == 404
    assert '<a href="/paths?x=1">Back to the page you were on</a>' in here.get_data(as_text=True)
    for referrer in ("https://evil.example/paths", "http://localhost.evil.example/",
                     "javascript:alert(1)", "http://localhost//evil.example/",
                     "http://localhost/modules/nothing-here"):
        html = client.get("/modules/nothing-here",
                          headers={"Referer": referrer}).get_data(as_text=True)
        assert "Back to the page you were on" not in html, referrer


def test_the_address_of_the_message_page_leads_home(client, login_as):
    login_as()
    client.post("/pulse", data={"question": "energy"})
    response = client.post("/language", data={"locale": "nl", "next": "/pulse"})
    assert response.headers["Location"].endswith("/pulse")
    response = client.get("/pulse")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
