"""The module page read on a phone (issue 19): title and meta first, a compact contents list,
permalinks out of the tab order, the text in parts for the paced mode, wide tables in focusable
regions, and a finish panel with what you learned, your next step and kudos."""

import re

import pytest

from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.modules.models import Module
from learnpath.modules.reading import prepare
from learnpath.paths.catalog import import_path_text

LESSON = """---
title: Running a retro
summary: A retrospective in thirty minutes.
language: en
duration: 5
---

# Running a retro

Why retros matter.

## Set the stage

Start with a check-in.

## Gather data

| What went well | What did not |
|---|---|
| The demo | The deploy |

!!! note
    ## Not a part
    A heading inside a note stays in its part.

## In short

- Keep it short.
- Agree on one action.

<quiz>
What do you agree on?
- [x] One action
- [ ] Ten actions
</quiz>
"""

SHORT = """---
title: A short one
language: en
duration: 2
---

Only one part here.
"""


@pytest.fixture
def publish(app):
    def factory(slug, source):
        module = authoring.create_module(slug, source)
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def _finish(client, module):
    question = module.current_version.questions[0]
    client.post(f"/modules/{module.slug}/quiz", data={f"q{question.id}": ["0"]})
    assert client.post(f"/modules/{module.slug}/complete").status_code == 302


def _between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0]


def test_title_and_meta_come_before_the_contents_and_the_text(client, login_as, publish):
    login_as()
    publish("retro", LESSON)
    html = client.get("/modules/retro").get_data(as_text=True)
    main = html.split('id="main"', 1)[1]
    assert main.count("<h1") == 1  # the body's opening h1 became the page title
    title = main.index("<h1>Running a retro</h1>")
    meta = main.index("5 minutes")
    contents = main.index('<nav aria-label="Contents"')
    text = main.index("Why retros matter.")
    assert title < meta < contents < text
    assert "English" in _between(main, '<p class="meta"', "</p>")


def test_contents_list_is_compact_and_collapsed_on_phones(client, login_as, publish):
    login_as()
    publish("retro", LESSON)
    nav = _between(client.get("/modules/retro").get_data(as_text=True),
                   '<nav aria-label="Contents"', "</nav>")
    phone = _between(nav, '<details class="contents-phone">', "</details>")
    assert "Contents · 3 parts</summary>" in phone
    assert re.findall(r'<a href="#([^"]+)">', phone) == ["set-the-stage", "gather-data", "in-short"]
    assert "Not a part" not in nav


def test_heading_permalinks_add_no_tab_stops(client, login_as, publish):
    login_as()
    publish("retro", LESSON)
    html = client.get("/modules/retro").get_data(as_text=True)
    links = re.findall(r'<a\b[^>]*class="headerlink"[^>]*>', html)
    assert len(links) == 4
    for link in links:
        assert 'tabindex="-1"' in link and 'aria-hidden="true"' in link
    before_quiz = html.split('id="quiz"')[0].split('class="module-body"')[1]
    tabbable = [t for t in re.findall(r"<(?:a|button|input)\b[^>]*>", before_quiz)
                if 'tabindex="-1"' not in t]
    assert tabbable == []  # no link, button or field before the knowledge check
    assert before_quiz.count('tabindex="0"') == 1  # only the table's scrolling region


def test_the_text_is_split_into_parts_at_top_level_headings_for_the_paced_mode(
        client, login_as, publish):
    login_as()
    publish("retro", LESSON)
    html = client.get("/modules/retro").get_data(as_text=True)
    assert 'class="reader reader-paced" data-reader' in html
    cards = re.findall(r'<section class="reading-card"([^>]*)>', html)
    assert cards == [' aria-label="Introduction" data-card',
                     ' aria-labelledby="set-the-stage" data-card',
                     ' aria-labelledby="gather-data" data-card',
                     ' aria-labelledby="in-short" data-card']
    assert '<div class="reading-card reading-end" data-card>' in html  # the knowledge check
    controls = _between(html, '<div class="reader-controls"', "</div>\n</div>")
    assert "data-reader-controls hidden" in controls  # reader.js shows them on phones
    assert 'max="5"' in controls and "/ 5</span>" in controls
    assert 'src="/static/js/reader.js"' in html and "<script>" not in html


def test_a_module_of_one_part_is_a_plain_page(client, login_as, publish):
    login_as()
    publish("short", SHORT)
    html = client.get("/modules/short").get_data(as_text=True)
    assert "reader-paced" not in html and "data-reader-controls" not in html
    assert 'aria-label="Contents"' not in html
    assert "<h1>A short one</h1>" in html


def test_wide_tables_scroll_in_a_focusable_named_region(client, login_as, publish):
    login_as()
    publish("retro", LESSON)
    html = client.get("/modules/retro").get_data(as_text=True)
    assert re.search(r'<div class="table-wrap" role="region" tabindex="0" aria-label="Table 1">'
                     r"<table>.*?</table></div>", html, re.DOTALL)
    client.post("/language", data={"locale": "nl", "next": "/"})
    assert 'aria-label="Tabel 1"' in client.get("/modules/retro").get_data(as_text=True)


def test_reading_keeps_code_line_numbers_and_a_different_opening_heading():
    html = ('<h1 id="other">Something else</h1><p>x</p><table class="highlighttable"><tr><td>1'
            '</td></tr></table><h2 id="a">A</h2><details><summary>s</summary><h2 id="b">B</h2>'
            "</details><br><img src=\"x.png\" alt=\"a > b\"><h2 id=\"c\">C</h2>")
    text = prepare(html, "The title", "Table %(num)d")
    assert text.sections[0].html.startswith('<h1 id="other">')
    assert "table-wrap" not in "".join(s.html for s in text.sections)
    assert [s.id for s in text.sections] == ["", "a", "c"]


def test_the_finish_panel_shows_what_you_learned_and_a_suggestion(client, login_as, publish):
    login_as()
    module = publish("retro", LESSON)
    publish("short", SHORT)
    html = client.get("/modules/retro").get_data(as_text=True)
    assert 'id="finish"' not in html and "What comes next" in html
    _finish(client, module)
    html = client.get("/modules/retro").get_data(as_text=True)
    panel = _between(html, '<section id="finish"', "</section>")
    assert "What you learned" in panel
    assert re.findall(r"<li>([^<]+)</li>", _between(panel, '<ul class="finish-points"', "</ul>")) \
        == ["Keep it short.", "Agree on one action."]
    assert "A suggestion for you:" in panel and 'href="/modules/short"' in panel
    assert 'href="/kudos?about=module:retro"' in panel
    assert "What comes next" not in html


def test_without_a_summary_list_the_finish_panel_shows_the_summary(client, login_as, publish):
    login_as()
    module = publish("retro", LESSON.replace("## In short", "## Afterwards"))
    _finish(client, module)
    panel = _between(client.get("/modules/retro").get_data(as_text=True),
                     '<section id="finish"', "</section>")
    assert "<li>A retrospective in thirty minutes.</li>" in panel
    assert "Choose a growth path" in panel  # nothing to suggest: a path or the catalog


@pytest.fixture
def enrolled_path(client, publish):
    def factory():
        publish("retro", LESSON)
        publish("short", SHORT)
        publish("third", SHORT.replace("A short one", "The third one"))
        result = import_path_text(
            "slug: teams\ntitle: {nl: Teams, en: Better teams}\nkind: horizontal\n"
            "steps:\n  - {module: retro}\n  - {module: third}\n  - {module: short}\n",
            "paths/teams.yml")
        assert result.status == "created", [str(e) for e in result.errors]
        db.session.commit()
        assert client.post("/paths/teams/enrol").status_code == 302
        return result

    return factory


def test_the_next_step_is_the_next_module_of_the_persons_path(client, login_as, publish,
                                                               enrolled_path):
    login_as()
    enrolled_path()
    module = db.session.scalar(db.select(Module).where(Module.slug == "retro"))
    _finish(client, module)
    panel = _between(client.get("/modules/retro").get_data(as_text=True),
                     '<section id="finish"', "</section>")
    assert "Next in your path Better teams:" in panel
    assert re.search(r'<a href="/modules/third"[^>]*>The third one</a>', panel)
    assert 'href="/paths/teams"' in panel
    client.post("/language", data={"locale": "nl", "next": "/"})
    panel = _between(client.get("/modules/retro").get_data(as_text=True),
                     '<section id="finish"', "</section>")
    assert "Volgende stap in je pad Teams:" in panel and "Wat je hebt geleerd" in panel


def test_the_last_step_says_the_path_is_done(client, login_as, enrolled_path):
    login_as()
    enrolled_path()
    client.post("/modules/third/complete")
    client.post("/modules/short/complete")
    module = db.session.scalar(db.select(Module).where(Module.slug == "retro"))
    _finish(client, module)
    panel = _between(client.get("/modules/retro").get_data(as_text=True),
                     '<section id="finish"', "</section>")
    assert "You have done every step of your path Better teams." in panel


def test_the_module_page_runs_no_more_queries_than_before(client, login_as, enrolled_path,
                                                          queries):
    """Before this page had parts and a finish it ran 8 statements for a module not yet done and
    9 for a finished one. Issue 24: what is the same for everyone is stored with the version
    (modules/page_data.py, computed on the first view after a change), so at most 5 with the
    person: the person, the module with its completion, the questions with the attempts, which
    suggestions are done, and the next step in a path."""
    login_as()
    enrolled_path()
    client.get("/modules/retro")  # the first view after publishing stores the page data
    with queries() as unfinished:
        assert client.get("/modules/retro").status_code == 200
    module = db.session.scalar(db.select(Module).where(Module.slug == "retro"))
    _finish(client, module)
    with queries() as finished:
        assert client.get("/modules/retro").status_code == 200
    assert len(unfinished) <= 5, unfinished
    assert len(finished) <= 5, finished
