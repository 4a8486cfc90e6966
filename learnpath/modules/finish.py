"""The finish of a module: what the person learned and where they go next.

What comes next in a growth path is the paths feature's to say, and paths sits above modules:
it registers a provider here (paths/next_step.py), so this module never imports it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from learnpath.modules.models import Module
from learnpath.modules.page_data import ModuleLink
from learnpath.modules.reading import Reading, heading_text
from learnpath.modules.rendering import html_to_text

MAX_POINTS = 6
# Carpentries lessons state what a learner takes away in these fenced divs, best first.
_TAKEAWAY_DIVS = ("keypoints", "objectives")
# A closing section that sums the module up, by its heading, in the content languages we ship.
_SUMMARY_HEADINGS = re.compile(
    r"^(in short|in summary|summary|key points|key takeaways|takeaways|wrapping up|"
    r"samengevat|samenvatting|kort gezegd|in het kort|kernpunten|"
    r"zusammenfassung|kurz gesagt|en résumé|résumé|en bref)\W*$", re.IGNORECASE)
_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li>", re.DOTALL)


@dataclass(frozen=True)
class NextStep:
    """The next module for this person (as a link: slug, language, title, duration), and the
    path it belongs to when it comes from one.

    `module` None with a path: the path has nothing left to do (it is finished)."""

    module: ModuleLink | None
    path_slug: str | None = None
    path_title: str | None = None


NextStepProvider = Callable[[object, Module, str], NextStep | None]
_providers: list[NextStepProvider] = []


def register_next_step(provider: NextStepProvider) -> None:
    """Let a feature above modules name the next step (called as provider(user, module, locale))."""
    if provider not in _providers:
        _providers.append(provider)


def next_step(user, module: Module, locale: str, suggestions=()) -> NextStep | None:
    """The next step in the person's path, else the first suggestion, else None."""
    for provider in _providers:
        step = provider(user, module, locale)
        if step is not None:
            return step
    for candidate in suggestions:
        return NextStep(candidate)
    return None


def _list_items(html: str) -> list[str]:
    return [text for text in (html_to_text(item) for item in _ITEM.findall(html)) if text]


def _takeaway_div(html: str, name: str) -> str | None:
    match = re.search(rf'<aside class="fenced-div div-{name}">(.*?)</aside>', html, re.DOTALL)
    return match.group(1) if match else None


@lru_cache(maxsize=512)
def _points(html: str, summary: str, reading: Reading) -> tuple[str, ...]:
    for name in _TAKEAWAY_DIVS:
        block = _takeaway_div(html, name)
        if block and (items := _list_items(block)):
            return tuple(items[:MAX_POINTS])
    for section in reversed(reading.sections):
        if section.title and _SUMMARY_HEADINGS.match(heading_text(section.title)):
            if items := _list_items(section.html):
                return tuple(items[:MAX_POINTS])
    return (summary,) if summary else ()


def learned_points(version, reading: Reading) -> tuple[str, ...]:
    """What the person learned, as plain text: the module's key points or objectives, else the
    list under a closing summary heading ("In short", "Samengevat"), else its summary."""
    return _points(version.html, version.summary or "", reading)
