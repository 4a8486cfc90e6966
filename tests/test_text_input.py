"""Control characters and undecodable bytes are refused with a 400 and a message, on every
form, query string and the JSON API, by one shared check (learnpath/web/text.py)."""

import pytest

from learnpath.accounts import services
from learnpath.accounts.models import Team
from learnpath.engagement.models import Kudos
from learnpath.extensions import db

CONTROL = "control characters"
UNREADABLE = "could not be read"
FORM = "application/x-www-form-urlencoded"


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_a_team_named_nul_is_refused_with_a_message(client, login_as):
    login_as("admin")
    response = client.post("/admin/teams/new", data={"name": "\x00"})
    assert response.status_code == 400
    assert CONTROL in response.get_data(as_text=True)
    assert count(Team) == 0


def test_the_message_is_in_the_persons_language(client, login_as):
    login_as("admin", locale="nl")
    response = client.post("/admin/teams/new", data={"name": "Sales\x07"})
    assert response.status_code == 400
    assert "stuurtekens" in response.get_data(as_text=True)
    assert count(Team) == 0


def test_a_display_name_of_undecodable_bytes_is_refused(client, login_as):
    user = login_as(name="Kept Name")
    response = client.post("/profile", data=b"display_name=%FF%FE%80&locale=",
                           content_type=FORM)
    assert response.status_code == 400
    assert UNREADABLE in response.get_data(as_text=True)
    db.session.expire_all()
    assert services.get_user_by_email(user.email).display_name == "Kept Name"
    # the same letters typed as text are fine: the browser sends them as %25FF...
    response = client.post("/profile", data={"display_name": "%FF%FE%80", "locale": ""})
    assert response.status_code in (200, 302)


def test_undecodable_bytes_in_a_multipart_field_are_refused(client, login_as):
    login_as("admin")
    body = (b"--X\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\xff\xfe\x80\r\n"
            b"--X--\r\n")
    response = client.post("/admin/teams/new", data=body,
                           content_type="multipart/form-data; boundary=X")
    assert response.status_code == 400 and UNREADABLE in response.get_data(as_text=True)


def test_a_newline_is_fine_in_a_textarea_but_not_in_a_single_line_field(
        client, login_as, make_user, make_team):
    giver = login_as()
    receiver = make_user()
    make_team(members=[giver, receiver])
    response = client.post("/kudos", data={"once": "t1", "to": str(receiver.id),
                                           "message": "Thank you!\r\n\tReally."})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Kudos.message)) == "Thank you!\r\n\tReally."
    response = client.post("/kudos", data={"once": "t2", "to": str(receiver.id),
                                           "message": "Bell\x07"})
    assert response.status_code == 400 and CONTROL in response.get_data(as_text=True)
    login_as("admin")
    response = client.post("/admin/teams/new", data={"name": "Two\nlines"})
    assert response.status_code == 400 and CONTROL in response.get_data(as_text=True)
    assert count(Team) == 1


@pytest.mark.parametrize("query", ["q=%FF%FE", "q=a%00b", "page=1&x%1B=1"])
def test_query_strings_with_control_characters_or_bad_bytes_are_refused(client, login_as,
                                                                         query):
    login_as()
    response = client.get(f"/modules?{query}")  # the catalog search
    assert response.status_code == 400
    assert "<h1" in response.get_data(as_text=True)  # the friendly error page


def test_the_api_refuses_a_control_character_with_problem_json(client):
    response = client.post("/api/v1/enrolments", json={"path": "start\u0007"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert CONTROL in problem["detail"]
    assert problem["errors"] == [{"field": "path",
                                  "problem": "must be text without control characters"}]
    nested = client.post("/api/v1/enrolments", json={"path": {"deep": ["ok", "\x00"]}})
    assert nested.status_code == 400 and nested.get_json()["errors"][0]["field"] == "path.deep[1]"
    raw = client.post("/api/v1/enrolments", data=b'{"path": "\xff\xfe"}',
                      content_type="application/json")
    assert raw.status_code == 400 and UNREADABLE in raw.get_json()["detail"]


def test_the_api_answers_in_the_requested_language(client):
    response = client.post("/api/v1/enrolments", json={"path": "\x00"},
                           headers={"Accept-Language": "nl"})
    assert response.status_code == 400 and "stuurtekens" in response.get_json()["detail"]


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_check_runs_before_the_csrf_check_reads_the_form(client, make_user, csrf_token):
    admin = make_user(roles=("employee", "admin"))
    client.post("/login", data={"email": admin.email, "password": "correct horse battery",
                                "csrf_token": csrf_token("/login")})
    token = csrf_token("/admin/teams")
    response = client.post("/admin/teams/new", data=f"csrf_token={token}&name=%FF".encode(),
                           content_type=FORM)
    assert response.status_code == 400 and UNREADABLE in response.get_data(as_text=True)
    good = client.post("/admin/teams/new", data={"csrf_token": token, "name": "Fine"})
    assert good.status_code == 302
