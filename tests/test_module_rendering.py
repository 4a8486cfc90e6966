"""Rendering module Markdown to HTML, and sanitising it against an XSS corpus and random input."""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.modules.parsing import parse_module
from learnpath.modules.rendering import render_inline, render_markdown, sanitise

PAYLOADS = [
    line for line in (Path(__file__).parent / "data" / "xss_payloads.txt")
    .read_text(encoding="utf-8").splitlines() if line.strip()
]
DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "svg", "math", "style", "meta", "base", "link", "template",
    "noscript", "video", "audio", "source", "body", "html", "marquee", "isindex",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "poster", "dynsrc", "lowsrc", "srcset", "srcdoc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
RAW_TAG_OPENERS = re.compile(
    r"<(script|iframe|object|embed|form|input|svg|math|style|meta|base|link)\b", re.I)
RAW_TAG = re.compile(r"<[a-z][^>]*>", re.I)  # text is escaped, so every raw < opens markup
RAW_ATTRIBUTE = re.compile(r'\s([^\s="]+)="([^"]*)"')  # nh3 always writes double quotes


class DangerFinder(HTMLParser):
    """Collect everything in parsed HTML that could run script or load foreign content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"{tag}[{name}]")
            elif name in URL_ATTRIBUTES and url.startswith(BAD_SCHEMES):
                self.found.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag


def dangers(html: str) -> list[str]:
    finder = DangerFinder()
    finder.feed(html)
    finder.close()
    found = finder.found
    found += [f"raw {m.group(0)}" for m in RAW_TAG_OPENERS.finditer(html)]
    found += [
        f"raw {name}={value}" for tag in RAW_TAG.findall(html)
        for name, value in RAW_ATTRIBUTE.findall(tag)
        if name.lower() in {"href", "src"}
        and re.sub(r"[\x00-\x20]+", "", unescape(value)).lower().startswith(BAD_SCHEMES)
    ]
    return found


# Rendering ----------------------------------------------------------------------------------

def test_tables_render_with_alignment():
    html, _ = render_markdown("| Form | Minutes |\n|:--|--:|\n| Chat | 2 |\n")
    assert "<table>" in html and '<th align="left">Form</th>' in html
    assert '<td align="right">2</td>' in html


def test_fenced_code_is_highlighted_with_classes_and_no_inline_style():
    html, _ = render_markdown("```python\nprint('<hi>')\n```\n")
    assert html.startswith('<div class="language-python highlight"><pre>')
    assert '<span class="nb">print</span>' in html and "&lt;hi&gt;" in html
    assert "style=" not in html


def test_fenced_code_works_inside_a_list():
    html, _ = render_markdown("- step\n\n    ```bash\n    ls\n    ```\n")
    assert '<div class="language-bash highlight">' in html and "ls" in html


def test_admonition_keeps_its_classes():
    html, _ = render_markdown('!!! tip "Watch your balance"\n    Look at everyone.\n')
    assert '<div class="admonition tip">' in html
    assert '<p class="admonition-title">Watch your balance</p>' in html


def test_classes_outside_the_allowlist_are_dropped():
    # (Pygments' token classes such as "x" are kept on spans, for highlighted code.)
    assert sanitise('<div class="admonition evil warning">x</div><span class="ev">y</span>') == (
        '<div class="admonition warning">x</div><span>y</span>')


def test_footnotes_link_to_the_note_and_back():
    html, _ = render_markdown("Claim.[^1]\n\n[^1]: Source.\n")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<div class="footnote">' in html and '<li id="fn:1">' in html
    assert 'class="footnote-backref" href="#fnref:1"' in html


def test_headings_get_ids_and_permalinks():
    html, _ = render_markdown("## Geef één tip\n")
    assert html.startswith('<h2 id="geef-een-tip">Geef één tip<a class="headerlink" '
                           'href="#geef-een-tip"')


def test_long_module_gets_a_table_of_contents_of_h2_and_h3():
    _, toc = render_markdown("# Title\n\n## One\n\n### One a\n\n## Two\n\n#### Deep\n")
    assert toc.startswith('<div class="toc">')
    assert re.findall(r'href="#([^"]+)"', toc) == ["one", "one-a", "two"]


def test_short_module_has_no_table_of_contents():
    assert render_markdown("# Title\n\n## One\n\n## Two\n")[1] == ""


@pytest.mark.parametrize("src", ["img/chart.png", "../shared/diagram.svg", "/static/a.png",
                                 "https://example.com/a.png"])
def test_images_with_relative_and_web_urls_survive(src):
    html, _ = render_markdown(f'![A chart]({src} "Title")\n')
    assert f'<img alt="A chart" src="{src}" title="Title">' in html


def test_links_open_without_access_to_the_opener():
    html = render_inline("[docs](https://example.com) and <mailto:a@example.com>")
    assert html.count('rel="noopener noreferrer"') == 2


def test_render_inline_has_no_wrapping_paragraph():
    assert render_inline("Use **bold** text") == "Use <strong>bold</strong> text"


def test_script_content_is_removed_not_shown_as_text():
    html, _ = render_markdown("Before <script>steal()</script> after\n")
    assert "steal" not in html


def test_html_that_is_allowed_stays():
    html, _ = render_markdown("<details><summary>More</summary>Hidden <kbd>Ctrl</kbd></details>\n")
    assert "<details><summary>More</summary>Hidden <kbd>Ctrl</kbd></details>" in html


# Sanitising ---------------------------------------------------------------------------------

def test_xss_corpus_is_large_enough():
    assert len(PAYLOADS) >= 60


def test_danger_finder_catches_what_it_should():
    assert dangers('<a href=" JaVa&#x09;script:x">a</a><img onerror=x><svg>') == [
        "a[href= JaVa\tscript:x]", "img[onerror]", "<svg>", "raw <svg",
        "raw href= JaVa&#x09;script:x"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_harmless_in_markdown(payload):
    html, toc = render_markdown(f"# Title\n\n{payload}\n\n## A\n\n## B {payload}\n\n### C\n")
    assert dangers(html) == [] and dangers(toc) == []
    assert dangers(render_inline(payload)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_harmless_in_a_quiz(payload):
    source = (f"---\ntitle: x\n---\n<quiz>\nWhich one? {payload}\n- [x] {payload}\n"
              f"> {payload}\n- [ ] plain\n\n{payload}\n</quiz>\n"
              f"<quiz>\nFill [[{payload}]] in\n---\n{payload}\n</quiz>\n")
    parsed = parse_module(source, "x.md")
    for question in parsed.questions:
        for html in (question.prompt_html, question.explanation_html,
                     *(option.html for option in question.options),
                     *(option.feedback_html for option in question.options)):
            assert dangers(html) == []
    assert dangers(parsed.html) == []


FRAGMENTS = [
    *PAYLOADS, "<", ">", '"', "'", "`", "```", "\n", "\n\n", "    ", "[", "](", ")", "![", "<a ",
    "href=", "src=", " onerror=", "javascript:", "java\tscript:", "&#106;", "&lt;", "<!--", "-->",
    "</", "<svg", "<script>", "</script>", "<quiz>\n", "\n</quiz>\n", "- [x] ", "!!! note\n",
    "\n> ", "[[", "]]", "\n---\n",
    "[^1]", "[^1]: ", "| a |\n|---|\n", "# ", "## ", "> ", "* ", "1. ", "<div>", "</div>",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS)), max_size=15)
       .map("".join))
def test_random_markdown_never_renders_dangerous_markup(text):
    html, toc = render_markdown(text)
    assert dangers(html) == [] and dangers(toc) == []
    parsed = parse_module(text, "random.md")
    for question in parsed.questions:
        assert dangers(question.prompt_html + question.explanation_html) == []
        assert all(dangers(option.html + option.feedback_html) == []
                   for option in question.options)
