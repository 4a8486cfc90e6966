"""Both languages: locale choice, the switch, and a complete Dutch catalog."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "learnpath/translations/nl/LC_MESSAGES/messages.po"
MO = ROOT / "learnpath/translations/nl/LC_MESSAGES/messages.mo"


def test_browser_language_decides_for_visitors(client):
    assert "Inloggen" in client.get("/login", headers={"Accept-Language": "nl-NL,nl;q=0.9"}
                                    ).get_data(as_text=True)
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "de"}
                                   ).get_data(as_text=True)


def test_english_is_the_fallback(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html


def test_persons_setting_beats_the_browser(client, login_as):
    login_as(locale="nl")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl">' in html


def test_language_switch_is_remembered_for_visitors(client):
    response = client.post("/language", data={"locale": "nl", "next": "/login"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert '<html lang="nl">' in client.get("/login").get_data(as_text=True)


def test_language_switch_saves_the_persons_setting(client, login_as):
    from learnpath.accounts.models import User
    from learnpath.extensions import db

    user = login_as()
    client.post("/language", data={"locale": "nl", "next": "/"})
    assert db.session.get(User, user.id).locale == "nl"


def test_language_switch_refuses_unknown_language(client):
    response = client.post("/language", data={"locale": "xx", "next": "/login"})
    assert response.status_code == 400
    assert "This language is not available" in response.get_data(as_text=True)


def test_language_switch_refuses_a_foreign_next(client):
    response = client.post("/language", data={"locale": "en", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_every_ui_string_has_a_dutch_translation():
    method_map = [("learnpath/**.py", "python"), ("learnpath/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    extracted = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, keywords=keywords):
        extracted.add(message[0] if isinstance(message, tuple) else message)
    catalog = read_po(PO.open("rb"))
    missing = sorted(m for m in extracted if m and (m not in catalog or not catalog[m].string))
    assert missing == [], "untranslated: run pybabel update and translate"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_compiled_catalog_matches_the_po_file():
    catalog = read_po(PO.open("rb"))
    compiled = read_mo(MO.open("rb"))
    for message in catalog:
        if message.id:
            expected = message.string
            actual = compiled[message.id].string
            if isinstance(expected, tuple):
                actual = tuple(actual)
            assert actual == expected, message.id
