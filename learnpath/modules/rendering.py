"""Markdown to sanitised HTML: the only way module text becomes markup in a learner's browser.

Python-Markdown passes raw HTML through, so every output goes through `sanitise`; the allowlist
keeps what tables, code, admonitions, footnotes and the table of contents need and nothing else.
"""

import html as htmllib
import re
import threading

import markdown
import nh3
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pygments.token import STANDARD_TYPES

TOC_MIN_HEADINGS = 3

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "a", "img", "div", "span", "details", "summary", "abbr", "figure", "figcaption", "aside",
    # Content tabs without JavaScript (pymdownx.tabbed, alternate style): radio inputs and
    # their labels; the attribute filter keeps only type="radio" inputs.
    "input", "label",
}
_CLASSED_TAGS = {"div", "span", "code", "pre", "a", "sup", "li", "ol", "p", "aside", "details",
                 "table", "td"}
_ID_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "sup", "li"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan", "class"},
    "input": {"type", "name", "id", "checked"},
    "label": {"for"},
    "div": {"class", "data-tabs"},
    "details": {"class", "open"},
    "abbr": {"title"},
    **{tag: {"id"} for tag in _ID_TAGS - {"sup", "li"}},
    "sup": {"id", "class"},
    "li": {"id", "class"},
    **{tag: {"class"} for tag in _CLASSED_TAGS - {"a", "sup", "li", "td", "div", "details"}},
}
# Content of these is dropped along with the tag, so a stripped <script> leaves no code as text.
_DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
    "textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "applet",
}
_ADMONITION_TYPES = (
    "note|tip|hint|info|important|warning|caution|attention|danger|error|example|quote|"
    "success|question|failure|bug|abstract|summary|seealso|todo"
)
ALLOWED_CLASS = re.compile(
    rf"^(admonition|admonition-title|{_ADMONITION_TYPES}|footnote[a-z-]*|toc|highlight|"
    r"language-[a-z0-9+#-]+|headerlink|task-list[a-z-]*|fenced-div|fenced-div-title|"
    r"div-[a-z0-9-]{1,40}|tabbed-[a-z]+|highlighttable|linenos|linenodiv|code|normal)$"
)
# Pygments' token classes (k, nf, s2, mi, ...) on the spans of highlighted code.
_PYGMENTS_CLASSES = frozenset(c for c in STANDARD_TYPES.values() if c)
_SAFE_ID = re.compile(r"^[A-Za-z0-9_:.-]{1,100}$")


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if ALLOWED_CLASS.match(c)
                or (tag == "span" and c in _PYGMENTS_CLASSES)]
        return " ".join(kept) or None
    if tag == "input" and name == "type":
        return value if value == "radio" else None
    if tag == "input" and name in ("id", "name"):
        return value if value.startswith("__tabbed_") and _SAFE_ID.match(value) else None
    if name == "for":
        return value if value.startswith("__tabbed_") and _SAFE_ID.match(value) else None
    if name == "data-tabs":
        return value if re.fullmatch(r"\d{1,4}:\d{1,3}", value) else None
    if name == "id":
        return value if _SAFE_ID.match(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    # A code block wider than a phone scrolls sideways: focusable, so a keyboard can scroll it
    # too (axe: scrollable-region-focusable).
    set_tag_attribute_values={"pre": {"tabindex": "0"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_text_only = nh3.Cleaner(tags=set(), clean_content_tags=_DROPPED_WITH_CONTENT, attributes={})

# Pandoc fenced divs, as every Carpentries lesson uses them: "::: challenge" (any number of
# colons, a bare name or {.class #id}) up to a line of colons alone; they nest.
_DIV_OPEN = re.compile(r"^ {0,3}:{3,}[ \t]*(?:\{[^}]*?\.([A-Za-z][\w-]*)[^}]*\}|\{[^}]*\}|"
                       r"([A-Za-z][\w-]*))[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^ {0,3}:{3,}[ \t]*$")
COLLAPSED_DIVS = {"solution", "hint"}


def _div_name(line: str) -> str | None:
    """The name of the fenced div this line opens, else None."""
    opened = _DIV_OPEN.match(line)
    if opened is None or _DIV_CLOSE.match(line):
        return None
    return (opened[1] or opened[2] or "note").lower()


def unclosed_divs(lines: list[str], skip: list[bool] | None = None) -> list[int]:
    """The indexes of the lines opening a fenced div that no line of colons closes
    (lines where skip is true, fenced code, are not looked at)."""
    stack: list[int] = []
    for i, line in enumerate(lines):
        if skip is not None and skip[i]:
            continue
        if _div_name(line) is not None:
            stack.append(i)
        elif _DIV_CLOSE.match(line) and stack:
            stack.pop()
    return stack


class _FencedDivs(Preprocessor):
    """Turn fenced divs into <aside> (solution and hint: a collapsed <details>) holding
    Markdown, for md_in_html to render; fenced code is already stashed when this runs.

    A div never closed is no div: its marker line is dropped and its text is ordinary
    content (the parse warns about it with its line)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[str] = []
        unclosed = set(unclosed_divs(lines))
        for i, line in enumerate(lines):
            name = _div_name(line)
            if name is not None:
                if i in unclosed:
                    continue
                title = htmllib.escape(name.replace("-", " ").replace("_", " ").capitalize())
                css = f"fenced-div div-{htmllib.escape(name[:40])}"
                if name in COLLAPSED_DIVS:
                    stack.append("details")
                    out += ["", f'<details class="{css}" markdown="1">',
                            f"<summary>{title}</summary>", ""]
                else:
                    stack.append("aside")
                    out += ["", f'<aside class="{css}" markdown="1">',
                            f'<p class="fenced-div-title">{title}</p>', ""]
            elif _DIV_CLOSE.match(line):
                if stack:  # a closer without an opener is dropped, never shown as colons
                    out += ["", f"</{stack.pop()}>", ""]
            else:
                out.append(line)
        return out


class _FencedDivExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        # After superfences stashes code (priority 25), before raw HTML blocks (20).
        md.preprocessors.register(_FencedDivs(md), "fenced_divs", 22)


_EXTENSIONS = [_FencedDivExtension(), "md_in_html", "tables", "pymdownx.superfences",
               "pymdownx.highlight", "pymdownx.tabbed", "pymdownx.details", "admonition",
               "footnotes", "toc", "sane_lists"]
_EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},
    # Pygments with CSS classes (static/css/pygments.css, light and dark), never inline styles;
    # line numbers where the fence asks (linenums="1").
    "pymdownx.highlight": {"css_class": "highlight", "use_pygments": True,
                           "pygments_lang_class": True},
    "pymdownx.tabbed": {"alternate_style": True},
    "toc": {"permalink": True, "toc_depth": "2-3"},
}
_local = threading.local()


def _markdown() -> markdown.Markdown:
    # Building a Markdown instance is costly and instances are not thread-safe: one per thread.
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(
            extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html")
    return md.reset()


def _count_headings(tokens: list[dict]) -> int:
    return sum((t["level"] in (2, 3)) + _count_headings(t["children"]) for t in tokens)


_NOT_A_TAB_INPUT = re.compile(r'<input(?![^>]*\btype="radio")[^>]*>')


_TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>")


def _scrollable_tables(html: str) -> str:
    """Wrap each content table (a bare <table>, not a code listing's) in a container that
    scrolls sideways on a phone and that a keyboard can focus to scroll it."""
    if "<table>" not in html:
        return html
    out, last, wrapped = [], 0, []
    for match in _TABLE_TAG.finditer(html):
        tag = match.group(0)
        out.append(html[last:match.start()])
        if tag == "</table>":
            out.append("</table></div>" if wrapped and wrapped.pop() else tag)
        else:
            wrapped.append(tag == "<table>")
            out.append('<div class="table-wrap" tabindex="0">' + tag if wrapped[-1] else tag)
        last = match.end()
    out.append(html[last:])
    return "".join(out)


def sanitise(html: str) -> str:
    """Clean HTML with the module allowlist: no script, handlers, unsafe URLs or embeds.

    Inputs survive only as the radio buttons of content tabs; any other <input> (which the
    filter left without its type, so a text box) is removed."""
    return _scrollable_tables(_NOT_A_TAB_INPUT.sub("", _cleaner.clean(html)))


def render_markdown(text: str) -> tuple[str, str]:
    """Render Markdown to sanitised HTML and a table of contents ('' below 3 h2/h3 headings)."""
    md = _markdown()
    html = sanitise(md.convert(text))
    toc = ""
    if _count_headings(md.toc_tokens) >= TOC_MIN_HEADINGS:
        toc = sanitise(md.toc)
    return html, toc


_WRAPPING_P = re.compile(r"^<p>(.*)</p>$", re.DOTALL)
# A line starting like a heading, list, quote, rule, table, admonition or link definition would
# become a block; a backslash before its first marker keeps it text.
_BLOCK_START = re.compile(r"^(#|[-*+](?=\s|$)|\d+(?=[.)])|>|!!!|\||\[[^\]]*\]:|[-_*=~`]{3,})")


def _escape_block_start(text: str) -> str:
    line = " ".join(text.split())
    match = _BLOCK_START.match(line)
    if not match:
        return line
    if match.group(0)[0].isdigit():
        end = match.end()
        return f"{line[:end]}\\{line[end:]}"
    return "\\" + line


def render_inline(text: str) -> str:
    """Render one line of Markdown to sanitised inline HTML without a wrapping <p>."""
    html = sanitise(_markdown().convert(_escape_block_start(text))).strip()
    match = _WRAPPING_P.match(html)
    if match and "<p>" not in match.group(1):
        return match.group(1)
    return html


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML fragment with whitespace collapsed."""
    return " ".join(htmllib.unescape(_text_only.clean(html)).split())
