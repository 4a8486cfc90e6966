"""Parse and validate one Markdown module file: front matter, body and knowledge checks.

Pure functions, no database: `parse_module` never raises on bad input, it reports located
problems. Errors make a file unusable; warnings are shown but do not block an import.
The front matter's rules are in frontmatter.py, the <quiz> syntax in quiz.py; this file
decodes the text, finds the fenced code (where neither applies) and puts the parse together.
"""

import hashlib
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from learnpath.modules import frontmatter
from learnpath.modules.frontmatter import KNOWN_KEYS, LEVELS
from learnpath.modules.problems import Problem, Report
from learnpath.modules.quiz import Question, extract_quizzes
from learnpath.modules.quiz_options import QuizOptions, quiz_options
from learnpath.modules.rendering import html_to_text, render_inline, render_markdown
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l

# A ten-minute module is about 15 KB; the cap keeps pathological input from tying up a
# worker in Python-Markdown (about 1 s per 100 KB of worst-case text).
MAX_FILE_BYTES = 256 * 1024
MAX_TITLE = 200
MAX_SUMMARY = 500
SUMMARY_FROM_TEXT = 200


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
    quiz_options: QuizOptions
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


def slug_from_filename(filename: str) -> str:
    """Return the module slug for a file name or path: 'Feedback Geven.md' -> 'feedback-geven'."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    for suffix in (".md", ".markdown"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return slugify(name)


def parse_module(source: bytes | str, filename: str, default_language: str = "en",
                 folder_language: str | None = None) -> ParsedModule:
    """Parse one module file into its metadata, questions and sanitised HTML; never raises."""
    report = Report()
    slug = slug_from_filename(filename)
    if not slug:
        report.error(_l("The file name %(name)s gives no usable slug; use letters, digits and "
                        "hyphens.", name=filename))
    text = _decode(source, report)
    if text is None:
        return _unreadable(slug, folder_language or default_language, report)

    lines = text.split("\n")
    front_matter, body_start = frontmatter.split_front_matter(lines, report)
    body_lines = lines[body_start:]
    fenced = _fenced_lines(body_lines)
    options = quiz_options(front_matter, report)
    questions, kept = extract_quizzes(body_lines, fenced, body_start, report, options.enabled)
    html, toc_html = render_markdown("\n".join(kept))
    word_count = len(re.findall(r"\w[\w'’-]*", html_to_text(html)))

    title = (frontmatter.text_value(front_matter, report, "title", "name")
             or _opening_heading(kept, fenced) or pretty_file_name(filename))
    summary = (frontmatter.text_value(front_matter, report, "summary", "description")
               or _first_paragraph(kept, fenced))
    if len(title) > MAX_TITLE:
        report.error(_l("The title is longer than %(max)s characters.", max=MAX_TITLE), "title")
    if len(summary) > MAX_SUMMARY:
        report.error(_l("The summary is longer than %(max)s characters.", max=MAX_SUMMARY),
                     "summary" if "summary" in front_matter else "description")
    duration, estimated = frontmatter.duration(front_matter, report, word_count, len(questions))
    language = frontmatter.language(front_matter, report, folder_language, default_language)
    translation_of = frontmatter.translation_of(front_matter, report)
    for key in front_matter:
        if key not in KNOWN_KEYS:
            report.warn(_l("Unknown front matter key %(key)s is not used.", key=key), str(key))
    return ParsedModule(
        slug=slug, title=title, summary=summary, language=language, duration=duration,
        duration_estimated=estimated, level=frontmatter.level(front_matter, report),
        skills=frontmatter.slug_list(front_matter, report, "skills"),
        tags=frontmatter.slug_list(front_matter, report, "tags"), translation_of=translation_of,
        source=text, body="\n".join(body_lines), front_matter=front_matter,
        questions=questions, quiz_options=options, html=html, toc_html=toc_html,
        word_count=word_count,
        errors=report.errors, warnings=report.warnings,
    )


def _unreadable(slug: str, language: str, report: Report) -> ParsedModule:
    return ParsedModule(
        slug=slug, title=slug.replace("-", " ").capitalize(), summary="", language=language,
        duration=1, duration_estimated=True, level=LEVELS[0], skills=[], tags=[],
        translation_of=None, source="", body="", front_matter={}, questions=[],
        quiz_options=QuizOptions(), html="",
        toc_html="", word_count=0, errors=report.errors, warnings=report.warnings,
    )


# Decoding ------------------------------------------------------------------------------------

def _decode(source: bytes | str, report: Report) -> str | None:
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


def _not_utf8(data: bytes | str, start: int, report: Report) -> None:
    """Report the first undecodable byte (or unencodable character in a str) by line and column."""
    newline = "\n" if isinstance(data, str) else b"\n"
    line_start = data.rfind(newline, 0, start) + 1
    before = data[line_start:start]
    column = len(before if isinstance(before, str) else before.decode("utf-8")) + 1
    report.error(_l("The file is not UTF-8 text; save it as UTF-8."),
                 line=data.count(newline, 0, start) + 1, column=column)


# Body ----------------------------------------------------------------------------------------

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


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RULE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# Lines that start something other than a paragraph: headings, lists, quotes, admonitions
# (!!! and collapsible ???), content tabs (=== "Tab"), pandoc fenced divs (::: name), tables,
# HTML, link/footnote definitions, rules, images, indented code.
_NOT_PARAGRAPH = re.compile(
    r"^(\s{2,}|\t|#|[-*+]\s|\d+[.)]\s|>|!!!|\?\?\?|===|:{3,}|\||<|\[[^\]]*\]:|([-*_=]\s*){3,}$|!\[)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")
_ORDER_PREFIX = re.compile(r"^\d+[-_. ]+(?=\S)")


def pretty_file_name(filename: str) -> str:
    """The title a file without one gets: '01-first_steps.md' -> 'First steps'."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    for suffix in (".md", ".markdown"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = " ".join(re.sub(r"[-_]+", " ", _ORDER_PREFIX.sub("", name)).split())
    return (name[:1].upper() + name[1:])[:MAX_TITLE] or "Untitled"


def _comment_lines(lines: list[str]) -> list[bool]:
    """Mark the lines of HTML comments (<!-- ... -->), which may span several lines."""
    flags, inside = [], False
    for line in lines:
        starts = not inside and line.lstrip().startswith("<!--")
        flags.append(inside or starts)
        if starts or inside:
            inside = "-->" not in (line.split("<!--", 1)[1] if starts else line)
    return flags


def _opening_heading(lines: list[str], fenced: list[bool]) -> str:
    """The heading that opens the body (after blank lines and comments), else ''.

    A heading further down ("Further reading") names a section, not the module."""
    comments = _comment_lines(lines)
    for i, line in enumerate(lines):
        if not line.strip() or comments[i]:
            continue
        if fenced[i]:
            return ""
        match = _HEADING.match(line)
        if match is None and i + 1 < len(lines) and _SETEXT_RULE.match(lines[i + 1]) \
                and not _NOT_PARAGRAPH.match(line):
            text = line.strip()
        elif match is not None:
            text = match[1]
        else:
            return ""
        return html_to_text(render_inline(text))
    return ""


def _first_paragraph(lines: list[str], fenced: list[bool]) -> str:
    paragraph: list[str] = []
    comments = _comment_lines(lines)
    rows = [*zip(lines, fenced, comments, strict=True), ("", False, False)]
    for line, in_fence, in_comment in rows:
        text = line.strip()
        setext = bool(paragraph) and bool(_SETEXT_RULE.match(line))
        ends = (in_fence or in_comment or not text
                or (_NOT_PARAGRAPH.match(line) and not line[:1].isspace()))
        if setext:  # the paragraph was a heading (Title / =====)
            paragraph = []
            continue
        # Only the start of a long paragraph matters; rendering all of it could be slow.
        if paragraph and (ends or sum(map(len, paragraph)) > 5 * SUMMARY_FROM_TEXT):
            if not any(_TABLE_RULE.match(row) for row in paragraph):
                if summary := html_to_text(render_inline(" ".join(paragraph))):
                    return _truncate(summary, SUMMARY_FROM_TEXT)
            paragraph = []
        elif text and not in_comment and (
                paragraph or not (in_fence or _NOT_PARAGRAPH.match(line))):
            paragraph.append(text)
    return ""


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"
