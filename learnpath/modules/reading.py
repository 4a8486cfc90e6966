"""The module page's reading view of a version's stored HTML.

The stored HTML stays as it was published; this derives from it, once per version and
language (versions never change): the opening title heading moves into the page header, the
text splits into sections at its top-level h2 headings (the cards of the paced reading mode
on phones), heading permalinks leave the tab order and the accessibility tree (the contents
list is the keyboard's way to a section), and every table scrolls inside a focusable, named
region so a keyboard can reach what a phone cuts off.
"""

import html as htmllib
import re
from dataclasses import dataclass
from functools import lru_cache

from learnpath.modules.rendering import html_to_text

# A tag of nh3's serialised output: attribute values are quoted and may hold ">".
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_ID = re.compile(r'\bid="([^"]*)"')
_HEADERLINK = re.compile(r'<a\b(?=[^>]*\bclass="headerlink")')
_HEADERLINK_WHOLE = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.DOTALL)
_OPENING_H1 = re.compile(r"^\s*<h1\b[^>]*>(.*?)</h1>\s*", re.DOTALL)


@dataclass(frozen=True)
class Section:
    """A part of the text: an h2 heading and what follows it, or the text before the first."""

    id: str
    title: str
    html: str


@dataclass(frozen=True)
class Reading:
    sections: tuple[Section, ...]

    @property
    def paced(self) -> bool:
        """Worth reading one card at a time: at least two parts."""
        return len(self.sections) >= 2

    @property
    def contents(self) -> tuple[Section, ...]:
        """The parts a contents list links to (the ones with a heading)."""
        return tuple(section for section in self.sections if section.id)


def heading_text(html: str) -> str:
    """The visible text of a heading without its permalink sign."""
    return html_to_text(_HEADERLINK_WHOLE.sub("", html))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _drop_title(html: str, title: str) -> str:
    """Drop an opening h1 that repeats the title the page header shows."""
    match = _OPENING_H1.match(html)
    if match and _same_text(heading_text(match.group(1)), title):
        return html[match.end():]
    return html


def _wrap_tables(html: str, table_label: str) -> str:
    """Put every table but code line numbers in a focusable, named scrolling region."""
    out, last, wrapped, count = [], 0, [], 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name != "table":
            continue
        before = html[last:match.start()]
        last = match.end()
        if not closing:
            wrap = "highlighttable" not in match.group(3)
            # Rendered since the sanitiser wraps tables itself: give that box its name
            # instead of a second box (its </div> is already in the text).
            if wrap and before.endswith(_RENDERED_WRAP):
                before = before[:-len(_RENDERED_WRAP)]
                wrapped.append(False)
            else:
                wrapped.append(wrap)
            out.append(before)
            if wrap:
                count += 1
                label = htmllib.escape(table_label % {"num": count})
                out.append(f'<div class="table-wrap" role="region" tabindex="0" '
                           f'aria-label="{label}">')
            out.append(match.group(0))
        else:
            out.append(before)
            out.append(match.group(0))
            if wrapped and wrapped.pop():
                out.append("</div>")
    out.append(html[last:])
    return "".join(out)


_RENDERED_WRAP = '<div class="table-wrap" tabindex="0">'


def _split(html: str) -> list[Section]:
    """Split at h2 headings that are not inside another element."""
    starts, depth = [], 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(3).rstrip().endswith("/"):
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        if name == "h2" and depth == 0:
            starts.append(match.start())
        depth += 1
    bounds = [0, *starts, len(html)]
    sections = []
    for begin, end in zip(bounds, bounds[1:], strict=False):
        part = html[begin:end].strip()
        if not part:
            continue
        heading = re.match(r"<h2\b([^>]*)>(.*?)</h2>", part, re.DOTALL)
        if heading:
            found = _ID.search(heading.group(1))
            sections.append(Section(found.group(1) if found else f"part-{len(sections) + 1}",
                                    heading_text(heading.group(2)), part))
        else:
            sections.append(Section("", "", part))
    return sections


@lru_cache(maxsize=512)
def prepare(html: str, title: str, table_label: str) -> Reading:
    """The reading view of a version's HTML; `table_label` names tables ("Table %(num)d")."""
    html = _drop_title(html, title)
    html = _HEADERLINK.sub('<a aria-hidden="true" tabindex="-1"', html)
    html = _wrap_tables(html, table_label)
    return Reading(tuple(_split(html)))
