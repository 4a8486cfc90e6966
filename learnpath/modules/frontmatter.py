"""A module's front matter: the YAML block between --- lines and the values it may hold.

Pure functions, no database; problems go to the parse's Report, on the line of their key.
"""

import math
import re

import yaml

from learnpath.modules import languages
from learnpath.modules.problems import Report
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l

LEVELS = ("beginner", "intermediate", "advanced")
KNOWN_KEYS = {"title", "name", "summary", "description", "language", "lang", "duration", "level",
              "skills", "tags", "translation_of", "quiz", "pass"}
MICRO_MINUTES = 10
MAX_MINUTES = 24 * 60
WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 0.5


def estimate_minutes(word_count: int, question_count: int) -> int:
    """Estimate reading time: about 200 words a minute plus half a minute per question."""
    minutes = word_count / WORDS_PER_MINUTE + question_count * MINUTES_PER_QUESTION
    return max(1, math.floor(minutes + 0.5))


_FRONT_MATTER_OPEN = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_front_matter(lines: list[str], report: Report) -> tuple[dict, int]:
    """Return the front matter mapping and the index of the first body line."""
    if not lines or not _FRONT_MATTER_OPEN.match(lines[0]):
        return {}, 0
    close = next((i for i in range(1, len(lines)) if _FRONT_MATTER_CLOSE.match(lines[i])), None)
    if close is None:
        report.error(_l("The front matter starting with --- is never closed with a --- line."),
                     line=1)
        return {}, 0
    return _load_yaml("\n".join(lines[1:close]), report), close + 1


def _load_yaml(text: str, report: Report) -> dict:
    first_line = 2  # the YAML starts on the line after the opening ---
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        report.error(_l("The front matter is not valid YAML: %(problem)s.", problem=problem),
                     line=first_line + mark.line if mark else 1,
                     column=mark.column + 1 if mark else None)
        return {}
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        report.error(_l("The front matter is not valid YAML: %(problem)s.", problem=str(exc)),
                     line=1)
        return {}
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.error(_l("The front matter must be a mapping of keys to values, like "
                        "'title: My module'."), line=1)
        return {}
    if _uses_aliases(node):
        report.error(_l("YAML anchors and aliases (&name, *name) are not supported in front "
                        "matter."), line=1)
        return {}
    seen = set()
    for key_node, _value in node.value:
        key, line = key_node.value, first_line + key_node.start_mark.line
        if not isinstance(key, str):
            continue
        if key in seen:
            report.warn(_l("The key %(key)s appears more than once; the last one is used.",
                           key=key), line=line)
        seen.add(key)
        report.key_lines.setdefault(key, line)
    return data


def _uses_aliases(root: yaml.Node) -> bool:
    # An alias makes the composer reuse a node object; seeing one twice means an alias was used.
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for pair in node.value:
                stack.extend(pair)
    return False


def _is_text(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def text_value(front_matter: dict, report: Report, *keys: str) -> str:
    for key in keys:
        value = front_matter.get(key)
        if value is None:
            continue
        if not _is_text(value):
            report.error(_l("%(key)s must be text.", key=key), key)
            continue
        text = " ".join(str(value).split())
        if text:
            return text
    return ""


def language(front_matter, report, folder_language, default_language) -> str:
    """The content language as a BCP 47 tag (any language CLDR knows, not only the UI's)."""
    fallback = folder_language or languages.normalise(default_language) or default_language
    key = "language" if front_matter.get("language") is not None else "lang"
    value = front_matter.get(key)
    if value is None:
        return fallback
    language = languages.normalise(str(value))
    if language is None:
        report.error(_l("The language %(value)s is not a known language code; use a code like "
                        "nl, en, de or zh-CN.", value=value), key)
        return fallback
    if folder_language and folder_language != language:
        report.warn(_l("The front matter says %(language)s but the file is in the %(folder)s "
                       "folder; %(language)s is used.", language=language,
                       folder=folder_language), key)
    return language


_DURATION = re.compile(r"^(\d+)\s*(m|min|mins|minute|minutes|minuut|minuten)?\.?$", re.I)


def duration(front_matter, report, word_count, question_count) -> tuple[int, bool]:
    value = front_matter.get("duration")
    minutes = None
    if value is not None and value != "":
        if isinstance(value, int) and not isinstance(value, bool):
            minutes = value
        elif isinstance(value, float) and value.is_integer():
            minutes = int(value)
        elif isinstance(value, str) and (match := _DURATION.match(value.strip())):
            minutes = int(match[1])
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            report.error(_l("The duration must be a whole number of minutes from 1 to %(max)s, "
                            "like 5 or '5 min'.", max=MAX_MINUTES), "duration")
            minutes = None
    estimated = minutes is None
    if estimated:
        minutes = estimate_minutes(word_count, question_count)
    if minutes > MICRO_MINUTES:
        report.warn(_l("At %(minutes)s minutes this is not a micro module (longer than %(limit)s "
                       "minutes); consider splitting it.", minutes=minutes,
                       limit=MICRO_MINUTES), "duration")
    return minutes, estimated


def level(front_matter, report) -> str:
    value = front_matter.get("level")
    if value is None:
        return LEVELS[0]
    level = str(value).strip().lower()
    if level not in LEVELS:
        report.error(_l("The level %(value)s is not known; use one of: %(allowed)s.",
                        value=value, allowed=", ".join(LEVELS)), "level")
        return LEVELS[0]
    return level


def slug_list(front_matter, report, key) -> list[str]:
    value = front_matter.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list) and all(_is_text(item) for item in value):
        items = [str(item) for item in value]
    else:
        report.error(_l("%(key)s must be a list of words or a comma-separated text.", key=key),
                     key)
        return []
    return list(dict.fromkeys(slug for slug in map(slugify, items) if slug))


def translation_of(front_matter, report) -> str | None:
    value = front_matter.get("translation_of")
    if value is None:
        return None
    if not isinstance(value, str):
        report.error(_l("translation_of must be the slug of another module."), "translation_of")
        return None
    return slugify(value) or None
