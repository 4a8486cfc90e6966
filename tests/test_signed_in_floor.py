"""The floor under every signed-in page: the person read in one statement, nothing about them
cached, so a change made by another process (another worker) shows on their next request."""

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import inspect

from learnpath import create_app
from learnpath.accounts import services as accounts
from learnpath.accounts import signed_in
from learnpath.accounts.models import User
from learnpath.extensions import db
from tests.conftest import PASSWORD, AuthActions, RequestScopedClient

ROOT = Path(__file__).resolve().parent.parent
CHANGE_ROLES = textwrap.dedent("""
    import sys
    from learnpath import create_app
    from learnpath.accounts import services
    from learnpath.accounts.models import User
    from learnpath.extensions import db

    url, index, user_id, roles, team = sys.argv[1:]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": index})
    with app.app_context():
        user = db.session.get(User, int(user_id))
        services.set_roles(user, roles.split(","))
        if team:
            services.add_to_team(services.create_team(team), user, "manager")
        db.session.commit()
""")


def _nav(html: str) -> str:
    return html.split('<nav aria-label=')[1].split("</nav>")[0]


def _in_another_process(app, user, roles, team=""):
    subprocess.run(
        [sys.executable, "-c", CHANGE_ROLES, app.config["SQLALCHEMY_DATABASE_URI"],
         app.config["SEARCH_INDEX_DIR"] + "-other", str(user.id), ",".join(roles), team],
        cwd=ROOT, check=True, timeout=120)


def test_the_static_page_reads_the_person_in_one_statement(client, login_as, queries):
    login_as("employee", "manager")
    assert client.get("/engagement/how").status_code == 200
    with queries() as statements:
        response = client.get("/engagement/how")
    assert response.status_code == 200
    assert len(statements) == 1, statements
    assert "user_roles" in statements[0]


def test_a_role_change_in_another_process_shows_on_the_next_request(app, client, make_user):
    person = make_user(roles=("employee",))
    AuthActions(client).login(person)
    assert 'href="/admin/"' not in _nav(client.get("/engagement/how").get_data(as_text=True))
    assert client.get("/admin/").status_code == 403

    _in_another_process(app, person, ("employee", "admin"), team="Made elsewhere")
    nav = _nav(client.get("/engagement/how").get_data(as_text=True))
    assert 'href="/admin/"' in nav and 'href="/manager"' in nav  # admin, and manager by team
    assert client.get("/admin/").status_code == 200
    assert "Made elsewhere" in client.get("/manager").get_data(as_text=True)

    _in_another_process(app, person, ("employee",))
    assert 'href="/admin/"' not in _nav(client.get("/engagement/how").get_data(as_text=True))
    assert client.get("/admin/").status_code == 403


def test_two_app_instances_with_their_own_caches_see_each_others_changes(app, make_user):
    """Two workers: each app has its own menu cache; a change made through one (the
    service, as the admin pages call it) is what the other shows next."""
    person = make_user(roles=("employee",))
    other = create_app({"TESTING": True, "RATELIMIT_ENABLED": False,
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"] + "-other"})
    other.test_client_class = RequestScopedClient
    clients = [app.test_client(), other.test_client()]
    for client in clients:
        assert AuthActions(client).login(person).status_code == 302
        assert 'href="/author/"' not in _nav(client.get("/").get_data(as_text=True))
    with other.app_context():
        accounts.set_roles(db.session.get(User, person.id), ["employee", "author"])
        db.session.commit()
    for client in clients:
        assert 'href="/author/"' in _nav(client.get("/").get_data(as_text=True))
    with app.app_context():
        accounts.end_sessions(db.session.get(User, person.id))
        db.session.commit()
    for client in clients:  # signed out everywhere at once
        assert client.get("/engagement/how").status_code == 302
    with other.app_context():
        db.engine.dispose()


def test_the_loaded_person_is_an_ordinary_orm_object(app, make_user, make_team):
    person = make_user(roles=("employee", "manager"))
    team = make_team(members=[person])
    session_id = person.get_id()
    with app.test_request_context(), app.app_context():  # a fresh session, as in a request
        user = signed_in.load_user_from_session_id(session_id)
        state = inspect(user)
        assert state.persistent and not state.modified and user in db.session
        assert user.roles == {"employee", "manager"}
        assert [m.team_id for m in user.memberships] == [team.id]  # lazy-loads as before
        accounts.set_roles(user, ["employee", "hr"])
        user.display_name = "Renamed"
        db.session.commit()
    with app.app_context():
        again = db.session.get(User, person.id)
        assert again.roles == {"employee", "hr"} and again.display_name == "Renamed"


def test_a_wrong_token_an_inactive_or_unknown_person_loads_nobody(app, make_user):
    person = make_user()
    gone = make_user(active=False)
    with app.test_request_context(), app.app_context():
        for session_id in (f"{person.id}:wrong", gone.get_id(), "999999:x", "x:y", "", None):
            assert signed_in.load_user_from_session_id(session_id) is None
            assert not list(db.session), session_id  # nothing joined the session
        assert signed_in.load_user_from_session_id(person.get_id()).id == person.id


def test_the_menu_is_in_each_persons_language(app, make_user):
    for locale, label in (("nl", "Organisatie"), ("en", "Organisation")):
        client = app.test_client()
        person = make_user(roles=("employee", "hr"), locale=locale)
        client.post("/login", data={"email": person.email, "password": PASSWORD})
        assert f">{label}</a>" in _nav(client.get("/engagement/how").get_data(as_text=True))


def test_template_messages_are_translated_once_and_the_same_everywhere(app):
    """`_('literal')` compiles to a lookup (web/i18n.py MessageLookup): the same Markup as
    the call, in render_template and in templates rendered without it, in each language."""
    env = app.jinja_env
    source = "{{ _('Profile') }}|{{ gettext('Profile') }}|{{ _('Sign out') ~ '' }}|{{ x._('a') }}"
    assert "_learnpath_messages" in env.compile(source, raw=True)
    for language, expected in (("nl", "Profiel|Profiel|Uitloggen|"),
                               ("en", "Profile|Profile|Sign out|")):
        with app.app_context(), app.test_request_context(headers={"Accept-Language": language}):
            class Other:
                @staticmethod
                def _(text):
                    return text.upper()
            html = env.from_string(source).render(x=Other())
            assert html == expected + "A"
