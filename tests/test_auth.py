"""Signing in and out: messages, sessions, remember-me, rate limits and safe redirects."""

import os

import pytest
from werkzeug.security import generate_password_hash

import config
from learnpath import create_app
from learnpath.accounts import services
from learnpath.extensions import db

WRONG = "The e-mail address or password is not correct."
PASSWORD = "correct horse battery"  # make_user's default (conftest.py)


def test_sign_in_with_correct_password_goes_home(client, auth, make_user):
    user = make_user(name="Sanne")
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, Sanne" in client.get("/").get_data(as_text=True)


def test_email_is_case_insensitive_at_sign_in(auth, make_user):
    make_user(email="Mixed.Case@Example.com")
    assert auth.login("mixed.case@EXAMPLE.COM").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(auth, make_user):
    user = make_user()
    wrong_password = auth.login(user, password="not the password")
    unknown = auth.login("nobody@example.com")
    for response in (wrong_password, unknown):
        assert response.status_code == 401
        assert WRONG in response.get_data(as_text=True)


def test_failed_sign_in_keeps_the_email_but_not_the_password(auth, make_user):
    user = make_user()
    html = auth.login(user, password="secret-typo").get_data(as_text=True)
    assert f'value="{user.email}"' in html
    assert "secret-typo" not in html


@pytest.mark.parametrize("email,password,message", [
    ("not-an-email", "whatever", "Please enter a valid e-mail address"),
    ("", "whatever", "Please enter your e-mail address"),
    ("a" * 250 + "@example.com", "whatever", "The e-mail address is too long"),
    ("someone@example.com", "x" * 300, "The password is too long"),
])
def test_malformed_sign_in_gets_a_clear_400(client, email, password, message):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_deactivated_person_cannot_sign_in(auth, make_user):
    user = make_user(active=False)
    response = auth.login(user)
    assert response.status_code == 403
    assert "deactivated" in response.get_data(as_text=True)


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_brute_force_sign_in_is_rate_limited(auth, make_user):
    user = make_user()
    codes = [auth.login(user, password=f"guess-{i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    response = auth.login(user)  # even the right password waits
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


@pytest.mark.parametrize("hops,separate", [(0, False), (1, True)])
def test_behind_a_proxy_each_client_address_has_its_own_login_limit(app, make_user, hops,
                                                                    separate):
    """With LEARNPATH_PROXY_HOPS=1 the limit follows X-Forwarded-For, not the proxy's address."""
    from learnpath import create_app

    settings = {**app.config, "LOGIN_RATE_LIMIT": "2 per minute", "PROXY_HOPS": hops}
    proxied = create_app(settings)
    user = make_user()
    client = proxied.test_client()

    def attempt(address):
        return client.post("/login", data={"email": user.email, "password": "wrong"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [401, 401, 429]
    assert (attempt("203.0.113.2") == 401) is separate


def test_logout_is_a_post_and_get_is_refused(client, login_as):
    login_as()
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200


def test_logout_invalidates_a_copied_session_cookie(app, client, login_as):
    login_as()
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/profile").status_code == 302


def test_remember_me_cookie_dies_at_logout(app, client, make_user, auth):
    user = make_user()
    auth.login(user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    client.post("/logout")
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/profile").status_code == 302


def test_remember_me_signs_in_again_without_session(app, client, make_user, auth):
    user = make_user()
    auth.login(user, remember=True)
    remember = client.get_cookie("remember_token").value
    other = app.test_client()
    other.set_cookie("remember_token", remember)
    assert other.get("/profile").status_code == 200


def test_deactivation_ends_an_open_session(app, client, login_as):
    user = login_as()
    assert client.get("/profile").status_code == 200
    services.set_active(db.session.get(type(user), user.id), False)
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_password_change_keeps_this_session_and_ends_others(app, client, make_user, auth):
    user = make_user()
    auth.login(user)
    other = app.test_client()
    AuthHelper = type(auth)
    AuthHelper(other).login(user)
    response = client.post("/profile/password", data={
        "current_password": "correct horse battery",
        "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302
    assert AuthHelper(app.test_client()).login(user, "a brand new passphrase").status_code == 302


@pytest.mark.parametrize("data,message", [
    ({"current_password": "wrong", "new_password": "a brand new passphrase",
      "confirm": "a brand new passphrase"}, "Your current password is not correct"),
    ({"current_password": "correct horse battery", "new_password": "short",
      "confirm": "short"}, "Use between 10 and 256 characters"),
    ({"current_password": "correct horse battery", "new_password": "a brand new passphrase",
      "confirm": "something else entirely"}, "The two new passwords are not the same"),
])
def test_password_change_refusals(client, login_as, data, message):
    login_as()
    response = client.post("/profile/password", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


SAFE = ["/profile", "/admin/users?q=a", "/manager#team-1"]
EVIL = ["//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example",
        "http:evil.example", "%2F%2Fevil.example", "/%2F/evil.example", "%2f%5cevil.example",
        "/%5Cevil.example", "%252F%252Fevil.example", "/\t/evil.example", "javascript:alert(1)",
        " //evil.example", "evil.example", "///evil.example"]


@pytest.mark.parametrize("target", SAFE)
def test_sign_in_follows_a_local_next(auth, make_user, target):
    response = auth.login(make_user(), next_url=target)
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_refuses_a_foreign_next(auth, make_user, target):
    response = auth.login(make_user(), next_url=target)
    if any(ord(ch) < 32 for ch in target):  # refused before sign-in (learnpath/text_input.py)
        assert response.status_code == 400 and "Location" not in response.headers
    else:
        assert response.headers["Location"] == "/"


def test_protected_page_sends_visitor_back_after_sign_in(client, make_user, auth):
    user = make_user()
    response = client.get("/profile")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/profile"' in login_page
    assert auth.login(user, next_url="/profile").headers["Location"] == "/profile"


def test_profile_saves_name_and_language(client, login_as):
    login_as()
    response = client.post("/profile", data={"display_name": "New Name", "locale": "nl"},
                           follow_redirects=True)
    assert "New Name" in response.get_data(as_text=True)
    assert "Je profiel" in response.get_data(as_text=True)


def test_profile_refuses_a_too_long_name(client, login_as):
    login_as()
    response = client.post("/profile", data={"display_name": "x" * 500, "locale": ""})
    assert response.status_code == 400
    assert "Please use at most 120 characters" in response.get_data(as_text=True)


def _redis_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


# With LEARNPATH_TEST_REQUIRE_ALL (CI) a missing Redis fails the test instead of skipping it.
@pytest.mark.skipif(not _redis_available() and not os.environ.get("LEARNPATH_TEST_REQUIRE_ALL"),
                    reason="needs Redis on 127.0.0.1:6379")
def test_login_rate_limit_is_shared_through_redis(app, make_user):
    """Two app instances (two workers) count attempts in the same Redis store."""
    import uuid

    from learnpath import create_app
    from learnpath.extensions import limiter

    settings = {**app.config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
                "LOGIN_RATE_LIMIT": "3 per minute"}
    # Limits are per client address; a random one keeps runs and variants apart.
    address = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])
    user = make_user()
    codes = []
    for attempt in range(4):
        worker = create_app(dict(settings))  # a fresh app per attempt: no shared memory
        worker.test_client_class = type(app.test_client())
        with worker.app_context():
            codes.append(worker.test_client().post(
                "/login", data={"email": user.email, "password": f"wrong-{attempt}"},
                environ_base={"REMOTE_ADDR": address}).status_code)
    limiter.init_app(app)  # give the test app back its own storage
    assert codes == [401, 401, 401, 429]


@pytest.mark.parametrize("base", [config.Config, config.ProductionConfig],
                         ids=["default", "production"])
def test_outside_tests_passwords_are_hashed_with_scrypt(base, tmp_path):
    """TestingConfig hashes with one cheap PBKDF2 round; every other config keeps scrypt."""

    class Settings(base):
        SECRET_KEY = "x" * 48
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'scrypt.db'}"
        SEARCH_INDEX_DIR = str(tmp_path / "index")

    app = create_app(Settings)
    with app.app_context():
        db.create_all()
        user = services.create_user("saskia@example.com", "Saskia", password=PASSWORD)
        db.session.commit()
        assert user.password_hash.startswith("scrypt:")
        assert services.authenticate("saskia@example.com", PASSWORD) == user
        assert services.authenticate("saskia@example.com", "not the password") is None
        db.session.remove()
        db.engine.dispose()


def test_a_stored_scrypt_hash_still_signs_in_under_another_method(app, auth, make_user):
    """A hash names its own method: changing PASSWORD_HASH_METHOD locks nobody out."""
    assert app.config["PASSWORD_HASH_METHOD"] != "scrypt"
    user = make_user()
    assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"].split(":")[0] + ":")
    user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    assert auth.login(user, password="not the password").status_code == 401
    assert auth.login(user).status_code == 302


def test_an_unknown_password_hash_method_is_refused_at_start(tmp_path):
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_METHOD"):
        create_app({"TESTING": True, "PASSWORD_HASH_METHOD": "md5",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
