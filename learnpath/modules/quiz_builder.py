"""The question builder: knowledge checks as form fields, written as mkdocs-quiz Markdown.

The Markdown file stays the source of truth. The builder works on the parser's own
dataclasses (quiz.Question and quiz.Option): `read_quizzes` takes the <quiz> blocks out of a
body with quiz.extract_quizzes, `to_markdown` writes them back with quiz.format_quiz, so what
the builder writes is exactly what the parser reads, and a file made in the editor builds as
working quizzes in an MkDocs site with the mkdocs-quiz plugin:

    <quiz>                          <quiz>
    Which are even?                 The capital of France is [[Paris]].
    - [x] 2                         ---
    > Right: 2 / 2 = 1.             Paris has been the capital since 987.
    - [ ] 3                         </quiz>

    Even numbers divide by two.
    </quiz>

Pure functions, no database. A block the parser cannot use stays in the body as it is, tags
and all, so nothing is ever lost.
"""

import re
from dataclasses import dataclass

from learnpath.modules.parsing import _fenced_lines as fenced_lines
from learnpath.modules.problems import Report
from learnpath.modules.quiz import Option, Question, extract_quizzes, format_quiz
from learnpath.web.i18n import lazy_text as _l

SINGLE, MULTIPLE, FILL = "single", "multiple", "fill"
KINDS = (SINGLE, MULTIPLE, FILL)
MAX_QUESTIONS = 20
MAX_OPTIONS = 8
BLANK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_CLOSE = re.compile(r"</quiz\s*>\s*$", re.I)


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def is_empty(question: Question) -> bool:
    """A card the author added but left empty: it writes nothing."""
    return not (question.prompt.strip() or question.explanation.strip()
                or any(o.text.strip() for o in question.options))


def to_markdown(questions: list[Question]) -> str:
    """The <quiz> blocks of these questions, separated by blank lines."""
    return "\n".join(format_quiz(q) for q in questions if not is_empty(q)).rstrip("\n")


@dataclass
class ReadResult:
    body: str  # the body without the blocks the builder took
    questions: list[Question]
    kept: int = 0  # blocks left in the body because the parser cannot use them
    moved: bool = False  # text follows a question: saving from the form puts questions last


def read_quizzes(body: str) -> ReadResult:
    """Take the usable <quiz> blocks out of a body; the others stay, tags and all."""
    lines = body.split("\n")
    fenced = fenced_lines(lines)
    questions, _kept = extract_quizzes(lines, fenced, 0, Report())
    drop = set()
    for question in questions:
        start = question.line - 1
        end = next((j for j in range(start, len(lines))
                    if not fenced[j] and _CLOSE.search(lines[j])), start)
        drop.update(range(start, end + 1))
    opened = sum(1 for i, line in enumerate(lines)
                 if not fenced[i] and line.strip().lower().startswith("<quiz"))
    text = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    moved = bool(drop) and any(line.strip() for i, line in enumerate(lines)
                               if i > min(drop) and i not in drop)
    return ReadResult(_tidy(text), questions, opened - len(questions), moved)


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# The form -------------------------------------------------------------------------------------


@dataclass
class Problem:
    question: int  # 0-based
    message: str


def _read_one(form, q: int, kind: str) -> Question:
    prompt = (form.get(f"q-{q}-prompt") or "").strip()
    question = Question(kind, prompt, explanation=(form.get(f"q-{q}-feedback") or "").strip())
    if kind == FILL:
        question.blanks = [answer.strip() for answer in BLANK.findall(prompt)]
        return question
    correct = set(form.getlist(f"q-{q}-correct"))
    for o in range(MAX_OPTIONS):
        text = _one_line(form.get(f"q-{q}-opt-{o}-text") or "")
        if text:
            question.options.append(Option(
                text, str(o) in correct, (form.get(f"q-{q}-opt-{o}-feedback") or "").strip()))
    return question


def from_form(form) -> list[Question]:
    """Read questions from the builder's fields (q-0-kind, q-0-prompt, q-0-opt-1-text, ...)."""
    questions = []
    for q in range(MAX_QUESTIONS):
        kind = form.get(f"q-{q}-kind")
        if kind not in KINDS or form.get(f"q-{q}-remove"):
            continue
        question = _read_one(form, q, kind)
        if not is_empty(question) or form.get(f"q-{q}-new"):
            questions.append(question)  # an empty card just added stays on screen
    return questions


def check(questions: list[Question]) -> list[Problem]:
    """What keeps a question from working, in the author's words."""
    problems = []
    for index, question in enumerate(questions):
        if is_empty(question):
            continue
        problems += [Problem(index, message) for message in _question_problems(question)]
    return problems


def _question_problems(question: Question) -> list:
    if question.kind == FILL:
        if not question.blanks or not all(question.blanks):
            return [_l("Put the answer in double square brackets, like: The capital of "
                       "France is [[Paris]].")]
        return []
    messages = []
    if not question.prompt:
        messages.append(_l("Write the question."))
    if len(question.options) < 2:
        messages.append(_l("Give at least two answers."))
    correct = sum(o.correct for o in question.options)
    if not correct:
        messages.append(_l("Mark the correct answer."))
    elif question.kind == SINGLE and correct > 1:
        messages.append(_l("A single-choice question has one correct answer; choose "
                           "multiple choice for more."))
    elif question.kind == MULTIPLE and correct < 2:
        messages.append(_l("A multiple-choice question needs at least two correct answers; "
                           "with one, learners see a single-choice question."))
    return messages


def blank_question(kind: str) -> Question:
    """A new, empty question of this kind with room for its answers."""
    if kind == FILL:
        return Question(FILL, "")
    return Question(kind, "", options=[Option("", False) for _ in range(3)])
