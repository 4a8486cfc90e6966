"""Pandoc fenced divs, as in every Carpentries lesson (issue 17): styled asides titled by
their name, solution and hint collapsed, nested, never paragraphs of colons; sanitised."""

from pathlib import Path

import pytest

from learnpath.extensions import db
from learnpath.modules.importer import import_paths
from learnpath.modules.parsing import parse_module
from learnpath.modules.rendering import render_markdown, sanitise

EPISODE = Path(__file__).resolve().parent / "data" / "carpentries" / "02-filedir.md"


@pytest.fixture(scope="module")
def episode():
    return parse_module(EPISODE.read_bytes(), EPISODE.name)


def test_the_episode_parses_with_a_real_summary_and_no_colons(episode):
    assert episode.ok, [str(e) for e in episode.errors]
    assert episode.summary.startswith("The part of the operating system")
    assert ":::" not in episode.html


@pytest.mark.parametrize("name", ["questions", "objectives", "callout", "challenge",
                                  "instructor", "keypoints"])
def test_each_div_is_an_aside_titled_by_its_name(episode, name):
    assert (f'<aside class="fenced-div div-{name}">\n<p class="fenced-div-title">'
            f"{name.capitalize()}</p>") in episode.html


def test_solution_and_hint_are_collapsed_inside_the_challenge(episode):
    html = episode.html
    challenge = html.index('<aside class="fenced-div div-challenge">')
    end = html.index("</aside>", html.index('<details class="fenced-div div-solution">'))
    inner = html[challenge:end]
    assert '<details class="fenced-div div-hint">\n<summary>Hint</summary>' in inner
    assert '<details class="fenced-div div-solution">\n<summary>Solution</summary>' in inner
    assert " open" not in inner
    assert "<code>ls --help</code>" in inner and "human readable" in inner


@pytest.mark.parametrize(("source", "wanted"), [
    ("::: {#id .Discussion .x}\nText\n:::\n", 'class="fenced-div div-discussion"'),
    ("::::::::: testimonial :::::::::\nText\n:::::::::\n", 'div-testimonial'),
    ("::: my-own-box\nText\n:::\n", '<p class="fenced-div-title">My own box</p>'),
    # A div never closed is ordinary content (the parse warns with its line).
    ("::: hint\nNever closed.\n", "<p>Never closed.</p>"),
    (":::\nStray closer.\n", "<p>Stray closer.</p>"),
])
def test_div_syntax_variants(source, wanted):
    html, _toc = render_markdown(source)
    assert wanted in html and ":::" not in html


def test_colons_in_code_stay_code():
    html, _toc = render_markdown("```text\n::: challenge\n:::\n```\n")
    assert "::: challenge" in html and "fenced-div" not in html


def test_sanitiser_keeps_the_div_classes_but_nothing_unsafe():
    html, _toc = render_markdown('::: challenge\n<aside class="evil" style="color:red" '
                                 'onclick="x()">Hi</aside>\n:::\n')
    assert "style=" not in html and "onclick" not in html and "evil" not in html
    assert sanitise('<details class="div-solution fenced-div" open><summary>x</summary>'
                    '</details>').startswith('<details class="div-solution fenced-div"')


def test_imported_episode_shows_asides_on_its_page(client, login_as, tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / EPISODE.name).write_bytes(EPISODE.read_bytes())
    report = import_paths([tmp_path])
    assert report.ok
    db.session.commit()
    login_as()
    html = client.get("/modules/02-filedir").get_data(as_text=True)
    assert '<details class="fenced-div div-solution">' in html
    assert "::::" not in html
