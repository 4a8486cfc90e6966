"""Knowledge checks in a module's body: the <quiz> blocks of the mkdocs-quiz plugin.

The syntax, which `format_quiz` writes and `extract_quizzes` reads back to equal dataclasses
(the round trip the question builder relies on):

    <quiz>                          single choice: exactly one option marked [x]
    What is the first step?         the question: everything before the first option
    - [x] Describe the behaviour    an option; [x] or [X] correct, [ ] or [] not
    > Yes: behaviour can change.    feedback for that option: > lines right under it
    - [ ] Judge the person
    > A judgement puts people on the defence.

    Explanation shown after answering: everything after the options.
    </quiz>

- multiple choice: more than one option marked [x] (learners tick every correct one);
- a single option (`- [x] I have read the policy`) is a question with one answer;
- fill in the blank: no options, `[[answer]]` in the question text, one box per blank, and
  the explanation after a line `---`:

    <quiz>
    The capital of France is [[Paris]].
    ---
    Paris has been the capital since 987.
    </quiz>

A quiz never rejects a file. A block we cannot use (never closed, no options or blanks, no
correct answer, the old `<?quiz?>` syntax) stays in the text as content with a located
warning. Page-level options (`quiz:` and `pass:` in front matter) are in quiz_options.py.
Pure functions, no database; problems go to the parse's Report with their line.
"""

import re
import textwrap
from dataclasses import dataclass, field

from learnpath.modules.problems import Report
from learnpath.modules.rendering import render_inline, render_markdown
from learnpath.web.i18n import lazy_text as _l

KINDS = ("single", "multiple", "fill")


@dataclass
class Option:
    """One answer option: its Markdown text, whether it is correct, and its own feedback."""

    text: str
    correct: bool
    feedback: str = ""
    html: str = ""
    feedback_html: str = ""


@dataclass
class Question:
    """One <quiz> block. `kind` is "single", "multiple" or "fill"; a fill question has
    `blanks` (the answers, in order) and no options; `prompt` keeps its [[answer]] marks."""

    kind: str
    prompt: str
    options: list[Option] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)
    explanation: str = ""
    position: int = 0
    line: int = 0
    prompt_html: str = ""  # for fill questions, each blank is blank_token(i)
    explanation_html: str = ""

    @property
    def multiple(self) -> bool:
        return self.kind == "multiple"


def blank_token(index: int) -> str:
    """The placeholder a blank leaves in prompt_html (private-use characters, never text)."""
    return f"\ue000{index}\ue001"


BLANK_TOKEN = re.compile("\ue000(\\d+)\ue001")

_QUIZ_OPEN = re.compile(r"^\s*<quiz(?:\s[^>]*)?>(.*)$", re.I)
_QUIZ_CLOSE = re.compile(r"^(.*?)</quiz\s*>\s*$", re.I)
_OPTION = re.compile(r"^\s*[-*+]\s+\[([ xX]?)\]\s*(.*?)\s*$")
_FEEDBACK = re.compile(r"^\s*>\s?(.*)$")
_BLANK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_RULE = re.compile(r"^\s*---+\s*$")
_MARKER = re.compile(r"^\s*<!--\s*mkdocs-quiz\s+(intro|results)\s*-->\s*$", re.I)
_OLD_SYNTAX = re.compile(r"<\?quiz\?>", re.I)


def extract_quizzes(lines, fenced, offset, report: Report,
                    enabled: bool = True) -> tuple[list[Question], list[str]]:
    """Parse the <quiz> blocks; return the questions and the body lines with quizzes blanked.

    With `enabled` False (front matter `quiz: disable`) the blocks are plain content."""
    questions: list[Question] = []
    kept = list(lines)
    i = 0
    while i < len(lines):
        if fenced[i]:
            i += 1
            continue
        if _MARKER.match(lines[i]):  # our knowledge check always shows its intro and results
            kept[i] = ""
        elif _OLD_SYNTAX.search(lines[i]):
            report.warn(_l("This quiz uses the old mkdocs-quiz syntax (<?quiz?>), which is not "
                           "supported; it is shown as text. Write it as a <quiz> block."),
                        line=offset + i + 1)
        opening = _QUIZ_OPEN.match(lines[i])
        if not opening:
            if _QUIZ_CLOSE.match(lines[i]):
                report.warn(_l("</quiz> without an opening <quiz> is ignored."),
                            line=offset + i + 1)
                kept[i] = _QUIZ_CLOSE.match(lines[i])[1]
            i += 1
            continue
        content, end = _block(lines, fenced, i, opening[1])
        if end is None:
            report.warn(_l("<quiz> is never closed with </quiz>; its text is shown as "
                           "content."), line=offset + i + 1)
            kept[i] = opening[1]
            i += 1
            continue
        question = (_parse_quiz(content, offset, offset + i + 1, len(questions), report)
                    if enabled else None)
        if question:
            questions.append(question)
            kept[i:end + 1] = [""] * (end + 1 - i)
        else:  # the block's text stays as content, without the tags
            kept[i], kept[end] = opening[1], _QUIZ_CLOSE.match(lines[end])[1]
            if i == end:
                kept[i] = _QUIZ_CLOSE.match(opening[1])[1]
        i = end + 1
    return questions, kept


def _block(lines, fenced, start, first):
    """The (index, text, fenced) lines of the block opened at `start` and its closing line."""
    if (closing := _QUIZ_CLOSE.match(first)) is not None:
        return [(start, closing[1], False)], start
    content = [(start, first, False)]
    for j in range(start + 1, len(lines)):
        if not fenced[j] and _QUIZ_OPEN.match(lines[j]):
            return content, None
        if not fenced[j] and (closing := _QUIZ_CLOSE.match(lines[j])) is not None:
            content.append((j, closing[1], False))
            return content, j
        content.append((j, lines[j], fenced[j]))
    return content, None


def _parse_quiz(content, offset, line, position, report) -> Question | None:
    has_options = any(not fenced and _OPTION.match(text) for _i, text, fenced in content)
    if has_options:
        question = _parse_choice(content, offset, report)
    else:
        question = _parse_fill(content, report, line)
    if question is None:
        return None
    question.position, question.line = position, line
    if not question.prompt:
        report.warn(_l("The quiz has no question; it is shown as content."), line=line)
        return None
    if question.kind == "fill":
        if not question.blanks:
            report.warn(_l("The quiz has no answer options and no [[blanks]]; list options as "
                           "'- [x] right' and '- [ ] wrong'. It is shown as content."), line=line)
            return None
        if not all(answer.strip() for answer in question.blanks):
            report.warn(_l("The quiz has an empty blank [[ ]], so no correct answer; it is "
                           "skipped and shown as content."), line=line)
            return None
    elif not any(option.correct for option in question.options):
        report.warn(_l("The quiz has no correct answer (mark one with - [x]); it is skipped and "
                       "shown as content."), line=line)
        return None
    return render_question(question)


def _parse_choice(content, offset, report) -> Question:
    prompt, options, explanation = [], [], []
    feedback_of = None  # the option whose > lines we are reading
    stray_line = None
    for index, text, fenced in content:
        option = None if fenced else _OPTION.match(text)
        if option:
            if stray_line is not None:
                report.warn(_l("Text between answer options is shown with the explanation; put "
                               "it after the last option."), line=stray_line)
                stray_line = None
            if not option[2]:
                report.warn(_l("This answer option is empty and is left out."),
                            line=offset + index + 1)
                feedback_of = None
                continue
            feedback_of = Option(option[2], option[1].lower() == "x")
            options.append(feedback_of)
            continue
        quoted = None if fenced else _FEEDBACK.match(text)
        if feedback_of is not None and quoted is not None:
            feedback_of.feedback += ("\n" if feedback_of.feedback else "") + quoted[1]
            continue
        feedback_of = None
        if not options:
            prompt.append(text)
        else:
            if text.strip() and stray_line is None and explanation_is_blank(explanation):
                stray_line = offset + index + 1
            explanation.append(text)
    kind = "multiple" if sum(option.correct for option in options) > 1 else "single"
    return Question(kind, _dedent(prompt), options=options, explanation=_dedent(explanation))


def explanation_is_blank(lines) -> bool:
    return not any(text.strip() for text in lines)


def _parse_fill(content, report, line) -> Question:
    prompt, explanation, target = [], [], None
    blanks: list[str] = []
    for _index, text, fenced in content:
        if target is None and not fenced and _RULE.match(text) and prompt:
            target = explanation
            continue
        if target is None and not fenced:
            blanks.extend(answer.strip() for answer in _BLANK.findall(text))
        (prompt if target is None else target).append(text)
    return Question("fill", _dedent(prompt), blanks=blanks, explanation=_dedent(explanation))


def _dedent(lines) -> str:
    return textwrap.dedent("\n".join(lines)).strip()


def render_question(question: Question) -> Question:
    """Fill in the sanitised HTML of a question built from Markdown (the parser, an editor)."""
    prompt = question.prompt
    if question.kind == "fill":
        counter = iter(range(len(question.blanks)))
        prompt = _BLANK.sub(lambda _m: blank_token(next(counter)), prompt)
    question.prompt_html = render_markdown(prompt)[0]
    for option in question.options:
        option.html = render_inline(option.text)
        option.feedback_html = render_markdown(option.feedback)[0] if option.feedback else ""
    question.explanation_html = (render_markdown(question.explanation)[0]
                                 if question.explanation else "")
    return question


def format_quiz(question: Question) -> str:
    """Write a question as the <quiz> block that parses back to it (see the module docstring)."""
    parts = ["<quiz>", question.prompt.strip()]
    if question.kind == "fill":
        if question.explanation.strip():
            parts += ["---", question.explanation.strip()]
    else:
        for option in question.options:
            parts.append(f"- [{'x' if option.correct else ' '}] {' '.join(option.text.split())}")
            parts += [f"> {text}".rstrip() for text in option.feedback.strip().split("\n")
                      if option.feedback.strip()]
        if question.explanation.strip():
            parts += ["", question.explanation.strip()]
    parts.append("</quiz>")
    return "\n".join(parts) + "\n"
