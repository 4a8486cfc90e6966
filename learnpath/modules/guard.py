"""The micro-format guard: a module is short (at most ten minutes) and checks what it taught.

Pure functions, no database. `advice` says what publishing should ask about; `split_at` cuts
a module file in two at a heading, the second half getting the heading as its title and a
copy of the front matter (the paths package stores both and links them in a path).
"""

import re
from dataclasses import dataclass

import yaml

from learnpath.modules.frontmatter import MICRO_MINUTES, split_front_matter
from learnpath.modules.parsing import ParsedModule, parse_module
from learnpath.modules.problems import Report

_HEADING = re.compile(r"^(#{2,3})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Advice:
    minutes: int
    too_long: bool
    no_check: bool


def advice(parsed: ParsedModule) -> Advice:
    """What the editor asks before publishing: split a long module, add a question."""
    return Advice(parsed.duration, parsed.duration > MICRO_MINUTES, not parsed.questions)


def new_long_minutes(module, text: str | None = None) -> int:
    """The minutes of a text (the module's draft by default) that is new and longer than a
    micro module, else 0: publishing it outside the form editor first goes through the guard.
    Publishing the text that is already current (or a short one) asks nothing."""
    text = module.draft_source if text is None else text
    current = module.current_version
    if text is None or (current is not None and current.source == text):
        return 0
    parsed = parse_module(text, f"{module.slug}.md", default_language=module.language)
    return parsed.duration if parsed.ok and advice(parsed).too_long else 0


def headings(source: str) -> list[tuple[int, str]]:
    """The (line number, text) of the ## and ### headings a module can be split at."""
    lines = source.split("\n")
    _front, start = split_front_matter(lines, Report())
    found, fenced, quiz = [], False, False
    for number, line in enumerate(lines[start:], start=start + 1):
        if _FENCE.match(line):
            fenced = not fenced
        lowered = line.strip().lower()
        if lowered.startswith("<quiz"):
            quiz = True
        if lowered.startswith("</quiz"):
            quiz = False
        match = None if fenced or quiz else _HEADING.match(line)
        if match:
            found.append((number, match[2].strip()))
    return found


def split_at(source: str, line: int) -> tuple[str, str, str] | None:
    """(first file, second file, second title) when line is a heading to split at."""
    titles = dict(headings(source))
    if line not in titles:
        return None
    lines = source.split("\n")
    report = Report()
    front, start = split_front_matter(lines, report)
    title = titles[line]
    second_front = {**front, "title": title}
    second_front.pop("duration", None)  # estimated again from the shorter text
    second_front.pop("summary", None)
    second_front.pop("translation_of", None)
    header = yaml.safe_dump(second_front, allow_unicode=True, sort_keys=False,
                            default_flow_style=None, width=1000)
    rest = "\n".join(lines[line:]).strip("\n")
    second = f"---\n{header}---\n\n# {title}\n\n{rest}\n"
    first = "\n".join(lines[:line - 1]).rstrip("\n") + "\n"
    if "duration" in front:  # its old figure was for the whole text
        first_lines = first.split("\n")
        first = "\n".join(row for i, row in enumerate(first_lines)
                          if not (0 < i < start and row.startswith("duration:")))
    return first, second, title
