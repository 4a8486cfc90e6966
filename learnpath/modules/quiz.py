"""Knowledge checks in a module's body: <quiz> blocks with a question, options, feedback.

    <quiz>
    What is the first step?
    - [x] Describe the behaviour
    - [ ] Judge the person

    Feedback shown after answering.
    </quiz>

Pure functions, no database; problems go to the parse's Report with their line.
"""

import re
import textwrap
from dataclasses import dataclass

from learnpath.modules.problems import Report
from learnpath.modules.rendering import render_inline, render_markdown
from learnpath.web.i18n import lazy_text as _l


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


_QUIZ_OPEN = re.compile(r"^\s*<quiz(?:\s[^>]*)?>(.*)$", re.I)
_QUIZ_CLOSE = re.compile(r"^(.*?)</quiz\s*>\s*$", re.I)
_OPTION = re.compile(r"^\s*[-*+]\s+\[([ xX]?)\]\s*(.*?)\s*$")


def extract_quizzes(lines, fenced, offset, report: Report) -> tuple[list[Question], list[str]]:
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
