"""Parse and validate one Markdown module file: front matter, body and knowledge checks.

Pure functions, no database: `parse_module` never raises on bad input, it reports located
problems. Errors make a file unusable; warnings are shown but do not block an import.

Longer than 450 lines on purpose: it is one grammar read top to bottom (decoding, front
matter, body, knowledge checks) sharing one problem report; the sections below are marked.
"""

import hashlib
import math
import re
import textwrap
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

from learnpath.modules.rendering import html_to_text, render_inline, render_markdown
from learnpath.web.i18n import lazy_text as _l

LEVELS = ("beginner", "intermediate", "advanced")
LANGUAGES = ("nl", "en")
KNOWN_KEYS = {"title", "name", "summary", "description", "language", "lang", "duration", "level",
              "skills", "tags", "translation_of"}
# A ten-minute module is about 15 KB; the cap keeps pathological input from tying up a
# worker in Python-Markdown (about 1 s per 100 KB of worst-case text).
MAX_FILE_BYTES = 256 * 1024
MICRO_MINUTES = 10
MAX_MINUTES = 24 * 60
MAX_TITLE = 200
MAX_SUMMARY = 500
SUMMARY_FROM_TEXT = 200
WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 0.5


@dataclass
class Problem:
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None  # the front-matter key concerned, when there is one

    def __str__(self) -> str:
        if self.line is None:
            return str(self.message)
        if self.column is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class Option:
    text: str
    html: str
    correct: bool


@dataclass
class Question:
    position: int
    line: int
    prompt: str
    prompt_html: str
    options: list[Option]
    feedback: str
    feedback_html: str

    @property
    def multiple(self) -> bool:
        return sum(option.correct for option in self.options) > 1


@dataclass
class ParsedModule:
    slug: str
    title: str
    summary: str
    language: str
    duration: int
    duration_estimated: bool
    level: str
    skills: list[str]
    tags: list[str]
    translation_of: str | None
    source: str
    body: str
    front_matter: dict
    questions: list[Question]
    html: str
    toc_html: str
    word_count: int
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()


def slugify(value: str) -> str:
    """Turn text into a lower-case ASCII slug of letters, digits and single hyphens."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def slug_from_filename(filename: str) -> str:
    """Return the module slug for a file name or path: 'Feedback Geven.md' -> 'feedback-geven'."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    for suffix in (".md", ".markdown"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return slugify(name)


def estimate_minutes(word_count: int, question_count: int) -> int:
    """Estimate reading time: about 200 words a minute plus half a minute per question."""
    minutes = word_count / WORDS_PER_MINUTE + question_count * MINUTES_PER_QUESTION
    return max(1, math.floor(minutes + 0.5))


class _Report:
    """Collects problems, placing front-matter ones on the line of their key."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.key_lines: dict[str, int] = {}

    def error(self, message, key=None, line=None, column=None) -> None:
        self.errors.append(Problem(message, line or self.key_lines.get(key), column, key))

    def warn(self, message, key=None, line=None) -> None:
        self.warnings.append(Problem(message, line or self.key_lines.get(key), None, key))


def parse_module(source: bytes | str, filename: str, default_language: str = "en",
                 folder_language: str | None = None) -> ParsedModule:
    """Parse one module file into its metadata, questions and sanitised HTML; never raises."""
    report = _Report()
    slug = slug_from_filename(filename)
    if not slug:
        report.error(_l("The file name %(name)s gives no usable slug; use letters, digits and "
                        "hyphens.", name=filename))
    text = _decode(source, report)
    if text is None:
        return _unreadable(slug, folder_language or default_language, report)

    lines = text.split("\n")
    front_matter, body_start = _split_front_matter(lines, report)
    body_lines = lines[body_start:]
    fenced = _fenced_lines(body_lines)
    questions, kept = _extract_quizzes(body_lines, fenced, body_start, report)
    html, toc_html = render_markdown("\n".join(kept))
    word_count = len(re.findall(r"\w[\w'’-]*", html_to_text(html)))

    title = (_text_value(front_matter, report, "title", "name")
             or _first_heading(kept, fenced) or slug.replace("-", " ").capitalize())
    summary = (_text_value(front_matter, report, "summary", "description")
               or _first_paragraph(kept, fenced))
    if len(title) > MAX_TITLE:
        report.error(_l("The title is longer than %(max)s characters.", max=MAX_TITLE), "title")
    if len(summary) > MAX_SUMMARY:
        report.error(_l("The summary is longer than %(max)s characters.", max=MAX_SUMMARY),
                     "summary" if "summary" in front_matter else "description")
    duration, estimated = _duration(front_matter, report, word_count, len(questions))
    language = _language(front_matter, report, folder_language, default_language)
    translation_of = _translation_of(front_matter, report)
    for key in front_matter:
        if key not in KNOWN_KEYS:
            report.warn(_l("Unknown front matter key %(key)s is not used.", key=key), str(key))
    return ParsedModule(
        slug=slug, title=title, summary=summary, language=language, duration=duration,
        duration_estimated=estimated, level=_level(front_matter, report),
        skills=_slug_list(front_matter, report, "skills"),
        tags=_slug_list(front_matter, report, "tags"), translation_of=translation_of,
        source=text, body="\n".join(body_lines), front_matter=front_matter,
        questions=questions, html=html, toc_html=toc_html, word_count=word_count,
        errors=report.errors, warnings=report.warnings,
    )


def _unreadable(slug: str, language: str, report: _Report) -> ParsedModule:
    return ParsedModule(
        slug=slug, title=slug.replace("-", " ").capitalize(), summary="", language=language,
        duration=1, duration_estimated=True, level=LEVELS[0], skills=[], tags=[],
        translation_of=None, source="", body="", front_matter={}, questions=[], html="",
        toc_html="", word_count=0, errors=report.errors, warnings=report.warnings,
    )


# Decoding -----------------------------------------------------------------------------------

def _decode(source: bytes | str, report: _Report) -> str | None:
    if isinstance(source, str):
        try:
            data = source.encode("utf-8")
        except UnicodeEncodeError as exc:
            _not_utf8(source, exc.start, report)
            return None
    else:
        data = bytes(source)
    if len(data) > MAX_FILE_BYTES:
        report.error(_l("The file is larger than the limit of %(limit)d KB.",
                        limit=MAX_FILE_BYTES // 1024))
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\0" in data:
        report.error(_l("This is a binary file, not Markdown text."))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _not_utf8(data, exc.start, report)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf8(data: bytes | str, start: int, report: _Report) -> None:
    """Report the first undecodable byte (or unencodable character in a str) by line and column."""
    newline = "\n" if isinstance(data, str) else b"\n"
    line_start = data.rfind(newline, 0, start) + 1
    before = data[line_start:start]
    column = len(before if isinstance(before, str) else before.decode("utf-8")) + 1
    report.error(_l("The file is not UTF-8 text; save it as UTF-8."),
                 line=data.count(newline, 0, start) + 1, column=column)


# Front matter -------------------------------------------------------------------------------

_FRONT_MATTER_OPEN = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def _split_front_matter(lines: list[str], report: _Report) -> tuple[dict, int]:
    """Return the front matter mapping and the index of the first body line."""
    if not lines or not _FRONT_MATTER_OPEN.match(lines[0]):
        return {}, 0
    close = next((i for i in range(1, len(lines)) if _FRONT_MATTER_CLOSE.match(lines[i])), None)
    if close is None:
        report.error(_l("The front matter starting with --- is never closed with a --- line."),
                     line=1)
        return {}, 0
    return _load_yaml("\n".join(lines[1:close]), report), close + 1


def _load_yaml(text: str, report: _Report) -> dict:
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


def _text_value(front_matter: dict, report: _Report, *keys: str) -> str:
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


def _language(front_matter, report, folder_language, default_language) -> str:
    fallback = folder_language or default_language
    key = "language" if front_matter.get("language") is not None else "lang"
    value = front_matter.get(key)
    if value is None:
        if fallback not in LANGUAGES:
            report.error(_l("The language %(value)s is not supported; use one of: %(allowed)s.",
                            value=fallback, allowed=", ".join(LANGUAGES)))
        return fallback
    language = str(value).strip().lower()
    if language not in LANGUAGES:
        report.error(_l("The language %(value)s is not supported; use one of: %(allowed)s.",
                        value=value, allowed=", ".join(LANGUAGES)), key)
        return fallback
    if folder_language and folder_language != language:
        report.warn(_l("The front matter says %(language)s but the file is in the %(folder)s "
                       "folder; %(language)s is used.", language=language,
                       folder=folder_language), key)
    return language


_DURATION = re.compile(r"^(\d+)\s*(m|min|mins|minute|minutes|minuut|minuten)?\.?$", re.I)


def _duration(front_matter, report, word_count, question_count) -> tuple[int, bool]:
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


def _level(front_matter, report) -> str:
    value = front_matter.get("level")
    if value is None:
        return LEVELS[0]
    level = str(value).strip().lower()
    if level not in LEVELS:
        report.error(_l("The level %(value)s is not known; use one of: %(allowed)s.",
                        value=value, allowed=", ".join(LEVELS)), "level")
        return LEVELS[0]
    return level


def _slug_list(front_matter, report, key) -> list[str]:
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


def _translation_of(front_matter, report) -> str | None:
    value = front_matter.get("translation_of")
    if value is None:
        return None
    if not isinstance(value, str):
        report.error(_l("translation_of must be the slug of another module."), "translation_of")
        return None
    return slugify(value) or None


# Body ---------------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")


def _fenced_lines(lines: list[str]) -> list[bool]:
    """Mark the lines of fenced code blocks; a fence that is never closed is no fence."""
    closers: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if match and not match[2].strip():
            closers[match[1][0]].append((i, len(match[1])))
    no_closer_from: dict[str, float] = {"`": math.inf, "~": math.inf}
    flags = [False] * len(lines)
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and not (match[1][0] == "`" and "`" in match[2]):
            char, length = match[1][0], len(match[1])
            close = None
            if length < no_closer_from[char]:
                candidates = closers[char]
                start = bisect_right(candidates, (i, math.inf))
                close = next((j for j, n in candidates[start:] if n >= length), None)
                if close is None:  # no later opener this long can close either
                    no_closer_from[char] = length
            if close is not None:
                flags[i:close + 1] = [True] * (close + 1 - i)
                i = close
        i += 1
    return flags


_QUIZ_OPEN = re.compile(r"^\s*<quiz(?:\s[^>]*)?>(.*)$", re.I)
_QUIZ_CLOSE = re.compile(r"^(.*?)</quiz\s*>\s*$", re.I)
_OPTION = re.compile(r"^\s*[-*+]\s+\[([ xX]?)\]\s*(.*?)\s*$")


def _extract_quizzes(lines, fenced, offset, report) -> tuple[list[Question], list[str]]:
    """Parse the <quiz> blocks; return the questions and the body lines with quizzes blanked."""
    questions: list[Question] = []
    kept = list(lines)
    i = 0
    while i < len(lines):
        opening = None if fenced[i] else _QUIZ_OPEN.match(lines[i])
        if not opening:
            if not fenced[i] and _QUIZ_CLOSE.match(lines[i]):
                report.error(_l("</quiz> without an opening <quiz>."), line=offset + i + 1)
            i += 1
            continue
        content, end = [], None
        first = opening[1]
        if (closing := _QUIZ_CLOSE.match(first)) is not None:
            content.append((i, closing[1], False))
            end = i
        else:
            content.append((i, first, False))
            for j in range(i + 1, len(lines)):
                if not fenced[j] and _QUIZ_OPEN.match(lines[j]):
                    break
                if not fenced[j] and (closing := _QUIZ_CLOSE.match(lines[j])) is not None:
                    content.append((j, closing[1], False))
                    end = j
                    break
                content.append((j, lines[j], fenced[j]))
        if end is None:
            report.error(_l("<quiz> is never closed with </quiz>."), line=offset + i + 1)
            i += 1
            continue
        question = _parse_quiz(content, offset, offset + i + 1, len(questions), report)
        if question:
            questions.append(question)
        kept[i:end + 1] = [""] * (end + 1 - i)
        i = end + 1
    return questions, kept


def _parse_quiz(content, offset, line, position, report) -> Question | None:
    prompt, options, feedback = [], [], []
    errors_before = len(report.errors)
    for index, text, fenced in content:
        option = None if fenced else _OPTION.match(text)
        if option:
            if feedback:
                report.error(_l("Answer options must be listed together, before the feedback."),
                             line=offset + index + 1)
            if not option[2]:
                report.error(_l("This answer option is empty."), line=offset + index + 1)
            options.append(Option(option[2], render_inline(option[2]), option[1].lower() == "x"))
        elif not options:
            prompt.append(text)
        elif feedback or text.strip():
            feedback.append(text)
    prompt_text = textwrap.dedent("\n".join(prompt)).strip()
    feedback_text = textwrap.dedent("\n".join(feedback)).strip()
    if not prompt_text:
        report.error(_l("The question is empty."), line=line)
    if not options:
        report.error(_l("The quiz has no answer options; list them as '- [x] right' and "
                        "'- [ ] wrong'."), line=line)
    elif len(options) < 2:
        report.error(_l("The quiz needs at least two answer options."), line=line)
    if options and not any(option.correct for option in options):
        report.error(_l("The quiz has no correct answer; mark it with - [x]."), line=line)
    if len(report.errors) > errors_before:
        return None
    return Question(
        position=position, line=line, prompt=prompt_text,
        prompt_html=render_markdown(prompt_text)[0], options=options, feedback=feedback_text,
        feedback_html=render_markdown(feedback_text)[0] if feedback_text else "",
    )


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
# Lines that start something other than a paragraph: headings, lists, quotes, admonitions,
# tables, HTML, link/footnote definitions, rules, images, indented code.
_NOT_PARAGRAPH = re.compile(
    r"^(\s{2,}|\t|#|[-*+]\s|\d+[.)]\s|>|!!!|\||<|\[[^\]]*\]:|([-*_=]\s*){3,}$|!\[)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")


def _first_heading(lines: list[str], fenced: list[bool]) -> str:
    for line, in_fence in zip(lines, fenced, strict=True):
        if not in_fence and (match := _HEADING.match(line)):
            if text := html_to_text(render_inline(match[1])):
                return text
    return ""


def _first_paragraph(lines: list[str], fenced: list[bool]) -> str:
    paragraph: list[str] = []
    for line, in_fence in zip([*lines, ""], [*fenced, False], strict=True):
        text = line.strip()
        ends = in_fence or not text or (_NOT_PARAGRAPH.match(line) and not line[:1].isspace())
        # Only the start of a long paragraph matters; rendering all of it could be slow.
        if paragraph and (ends or sum(map(len, paragraph)) > 5 * SUMMARY_FROM_TEXT):
            if not any(_TABLE_RULE.match(row) for row in paragraph):
                if summary := html_to_text(render_inline(" ".join(paragraph))):
                    return _truncate(summary, SUMMARY_FROM_TEXT)
            paragraph = []
        elif text and (paragraph or not (in_fence or _NOT_PARAGRAPH.match(line))):
            paragraph.append(text)
    return ""


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"
