"""MkDocs / Material pages (issue 17): admonitions, collapsible ??? blocks, content tabs that
work without JavaScript, and code highlighted server-side with vendored CSS."""

from pathlib import Path

import pytest

from learnpath.extensions import db
from learnpath.modules.importer import import_paths
from learnpath.modules.parsing import parse_module
from learnpath.modules.rendering import sanitise

PAGE = Path(__file__).resolve().parent / "data" / "mkdocs-page.md"
STATIC = Path(__file__).resolve().parent.parent / "learnpath" / "static" / "css"


@pytest.fixture(scope="module")
def page():
    parsed = parse_module(PAGE.read_bytes(), PAGE.name)
    assert parsed.ok, [str(e) for e in parsed.errors]
    return parsed.html


def test_admonition_with_a_title(page):
    assert '<div class="admonition note">\n<p class="admonition-title">Before you start</p>' \
        in page


def test_collapsible_blocks_are_details_closed_or_open(page):
    assert '<details class="warning">\n<summary>Deleting is for good</summary>' in page
    assert '<details class="tip" open="">\n<summary>Tip</summary>' in page


def test_tabs_are_radio_buttons_and_labels_first_checked(page):
    assert ('<input checked="" id="__tabbed_1_1" name="__tabbed_1" type="radio">'
            '<input id="__tabbed_1_2" name="__tabbed_1" type="radio">') in page
    assert '<label for="__tabbed_1_1">Linux</label><label for="__tabbed_1_2">Windows</label>' \
        in page
    assert page.count('<div class="tabbed-block">') == 2
    assert "===" not in page


def test_code_is_highlighted_with_classes_and_line_numbers(page):
    assert '<div class="language-bash highlight">' in page
    assert '<span class="k">for</span>' in page
    assert '<td class="linenos">' in page and '<span class="normal">2</span>' in page
    assert "style=" not in page


def test_only_tab_radio_inputs_survive_the_sanitiser():
    html = sanitise('<input type="text" name="__tabbed_1" id="__tabbed_1_1">'
                    '<input type="radio" name="pay" id="evil" onclick="x()">'
                    '<label for="password">l</label><input type="radio" name="__tabbed_2">')
    assert html == '<input type="radio"><label>l</label><input type="radio" name="__tabbed_2">'


def test_vendored_css_has_light_and_dark_highlighting_and_tabs_without_script():
    css = (STATIC / "pygments.css").read_text()
    assert ".highlight .k {" in css and "@media (prefers-color-scheme: dark)" in css
    app_css = (STATIC / "app.css").read_text()
    assert (".tabbed-set > input:nth-child(2):checked ~ .tabbed-content > "
            ".tabbed-block:nth-child(2) { display: block; }") in app_css


def test_the_page_links_the_css_and_passes_the_csp(client, login_as, tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "files.md").write_bytes(PAGE.read_bytes())
    assert import_paths([tmp_path]).ok
    db.session.commit()
    login_as()
    response = client.get("/modules/files")
    html = response.get_data(as_text=True)
    assert "css/pygments.css" in html and 'type="radio"' in html
    assert "https://" not in html.split("<body")[0]  # no CDN
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp and "unsafe-inline" not in csp
