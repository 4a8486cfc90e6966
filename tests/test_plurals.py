"""Counts use ngettext, so nobody reads "Assigned to 1 people." in either language."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from learnpath.extensions import db
from learnpath.modules import authoring as modules
from learnpath.paths.catalog import import_path_text

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_text": None}
NOUNS = ("people|persons|steps|modules|answers|questions|months|weeks|days|minutes|tokens|"
         "teams|members|files|errors|warnings|completions|paths|statements|attempts|kudos|"
         "characters|skills")
# A number followed (within two words) by a plural noun is a count.
COUNT = re.compile(rf"%\((\w+)\)[ds] (?:[\w-]+ ){{0,2}}?(?:{NOUNS})\b")
# Settings that are never 1: limits (a maximum of 1 character is no limit) and the anonymity
# threshold (at least 3); a module is flagged as long only above its limit of minutes.
NEVER_ONE = {"max", "min", "limit", "k", "minutes"}


def _messages():
    method_map = [("learnpath/**.py", "python"), ("learnpath/templates/**.html", "jinja2")]
    for filename, lineno, message, _c, _ctx in extract_from_dir(
            str(ROOT), method_map, keywords=KEYWORDS):
        yield f"{filename}:{lineno}", message


def test_every_counted_noun_goes_through_ngettext():
    bare = [f"{where}: {message}" for where, message in _messages()
            if isinstance(message, str)
            and any(name not in NEVER_ONE for name in COUNT.findall(message))]
    assert bare == [], "use ngettext(singular, plural, num) for these counts"


def test_stat_tiles_label_their_count_with_ngettext():
    """A figure with a plural label beside it (`{{ n }}</p><p>{{ _('teams') }}`)."""
    tile = re.compile(r"class=\"stat\"[^>]*>\{\{[^}]*\}\}</p>\s*<p>\{\{ _\('([^']*)'\)")
    bare = []
    for template in (ROOT / "learnpath/templates").rglob("*.html"):
        for label in tile.findall(template.read_text()):
            if re.match(rf"(?:[\w-]+ )?(?:{NOUNS})\b", label):  # "teams", "active people"
                bare.append(f"{template.relative_to(ROOT)}: {label}")
    assert bare == []


def _path_with_a_team(make_user, make_team, manager, size):
    for slug in ("one", "two"):
        module = modules.create_module(slug, f"# {slug}\n\nRead this.\n")
        modules.publish(module, None)
    import_path_text("slug: p\ntitle: {nl: P, en: P}\nkind: horizontal\nsteps:\n"
                     "  - {module: one}\n  - {module: two}\n", "paths/p.yml")
    db.session.commit()
    return make_team(managers=[manager], members=[make_user() for _ in range(size)])


def _assign_flash(client, team, language):
    response = client.post("/manager/assign", data={"path": "p", "target": f"team:{team.id}"},
                           follow_redirects=True, headers={"Accept-Language": language})
    return response.get_data(as_text=True)


def test_assigning_to_one_person_and_to_two_reads_right_in_english(
        client, login_as, make_user, make_team):
    manager = login_as("employee", "manager", locale="en")
    one = _path_with_a_team(make_user, make_team, manager, 1)
    assert "Assigned to 1 person." in _assign_flash(client, one, "en")
    two = make_team(managers=[manager], members=[make_user(), make_user()])
    assert "Assigned to 2 people." in _assign_flash(client, two, "en")


def test_assigning_to_one_person_and_to_two_reads_right_in_dutch(
        client, login_as, make_user, make_team):
    manager = login_as("employee", "manager", locale="nl")
    one = _path_with_a_team(make_user, make_team, manager, 1)
    assert "Toegewezen aan 1 persoon." in _assign_flash(client, one, "nl")
    two = make_team(managers=[manager], members=[make_user(), make_user()])
    assert "Toegewezen aan 2 mensen." in _assign_flash(client, two, "nl")
