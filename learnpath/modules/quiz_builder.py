"""The question builder: knowledge checks as form fields, written as mkdocs-quiz Markdown.

The Markdown file stays the source of truth. `read_quizzes` takes the <quiz> blocks out of a
body and returns them as BuiltQuestion values; `to_markdown` writes them back in the syntax of
the mkdocs-quiz plugin, so a file made in the editor still builds as working quizzes there:

    <quiz>                          <quiz>
    Which are even?                 The capital of France is [[Paris]].
    - [x] 2
    > Right: 2 / 2 = 1.             ---
    - [ ] 3                         Paris has been the capital since 987.
                                    </quiz>
    Even numbers divide by two.
    </quiz>

Pure functions, no database. A block the builder cannot read (a typo, something only the
Markdown view can express) stays in the body as it is, so nothing is ever lost.
"""

import re
from dataclasses import dataclass, field

from learnpath.web.i18n import lazy_text as _l

SINGLE, MULTIPLE, FILL = "single", "multiple", "fill"
KINDS = (SINGLE, MULTIPLE, FILL)
MAX_QUESTIONS = 20
MAX_OPTIONS = 8
BLANK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_OPEN = re.compile(r"^\s*<quiz(?:\s[^>]*)?>\s*$", re.I)
_CLOSE = re.compile(r"^\s*</quiz\s*>\s*$", re.I)
_OPTION = re.compile(r"^[-*]\s+\[([ xX]?)\]\s*(.*?)\s*$")
_FEEDBACK = re.compile(r"^>\s?(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class BuiltOption:
    text: str = ""
    correct: bool = False
    feedback: str = ""


@dataclass
class BuiltQuestion:
    kind: str = SINGLE
    prompt: str = ""
    options: list[BuiltOption] = field(default_factory=list)
    feedback: str = ""

    @property
    def blanks(self) -> list[str]:
        return BLANK.findall(self.prompt)


def kind_of(options: list[BuiltOption], prompt: str) -> str:
    """What mkdocs-quiz shows: blanks without options are fill-in; two correct is multiple."""
    if not options and BLANK.search(prompt):
        return FILL
    return MULTIPLE if sum(o.correct for o in options) > 1 else SINGLE


# Writing --------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def question_markdown(question: BuiltQuestion) -> str:
    """One <quiz> block for a question."""
    lines = ["<quiz>", question.prompt.strip()]
    if question.kind == FILL:
        if question.feedback.strip():
            lines += ["", "---", question.feedback.strip()]
    else:
        for option in question.options:
            lines.append(f"- [{'x' if option.correct else ' '}] {_one_line(option.text)}")
            lines += [f"> {line}".rstrip() for line in option.feedback.strip().splitlines()
                      if option.feedback.strip()]
        if question.feedback.strip():
            lines += ["", question.feedback.strip()]
    lines.append("</quiz>")
    return "\n".join(lines)


def to_markdown(questions: list[BuiltQuestion]) -> str:
    """The <quiz> blocks of these questions, separated by blank lines."""
    return "\n\n".join(question_markdown(q) for q in questions if not is_empty(q))


def is_empty(question: BuiltQuestion) -> bool:
    """A card the author added but left empty: it writes nothing."""
    return not (question.prompt.strip() or question.feedback.strip()
                or any(o.text.strip() for o in question.options))


# Reading --------------------------------------------------------------------------------------


def parse_block(inner: list[str]) -> BuiltQuestion | None:
    """Read the lines between <quiz> and </quiz>; None when the builder cannot show them."""
    prompt, options, feedback = [], [], []
    for line in inner:
        stripped = line.strip()
        option = _OPTION.match(stripped)
        quote = _FEEDBACK.match(stripped)
        if option and not feedback:
            options.append(BuiltOption(option[2], option[1].lower() == "x"))
        elif quote and options and not feedback and stripped:
            options[-1].feedback = "\n".join(filter(None, [options[-1].feedback, quote[1]]))
        elif not options:
            prompt.append(line)
        elif stripped or feedback:
            feedback.append(line)
    prompt_text = "\n".join(prompt).strip()
    feedback_text = "\n".join(feedback).strip()
    if not options:
        prompt_text, _rule, rest = prompt_text.partition("\n---\n")
        feedback_text = rest.strip()
        if not BLANK.search(prompt_text):
            return None
    elif not prompt_text or not any(o.correct for o in options):
        return None
    return BuiltQuestion(kind_of(options, prompt_text), prompt_text.strip(), options,
                         feedback_text)


@dataclass
class ReadResult:
    body: str  # the body without the blocks the builder took
    questions: list[BuiltQuestion]
    kept: int = 0  # blocks left in the body because the builder cannot show them


def read_quizzes(body: str) -> ReadResult:
    """Take the readable <quiz> blocks out of a body; others stay where they are."""
    lines = body.split("\n")
    out: list[str] = []
    questions: list[BuiltQuestion] = []
    kept, i, fenced = 0, 0, False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fenced = not fenced
        close = None
        if not fenced and _OPEN.match(line):
            close = next((j for j in range(i + 1, len(lines)) if _CLOSE.match(lines[j])), None)
        question = parse_block(lines[i + 1:close]) if close is not None else None
        if question is None:
            kept += close is not None
            out.append(line)
            i += 1
            continue
        questions.append(question)
        i = close + 1
    return ReadResult(_tidy("\n".join(out)), questions, kept)


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# The form -------------------------------------------------------------------------------------


@dataclass
class Problem:
    question: int  # 0-based
    message: str


def from_form(form) -> list[BuiltQuestion]:
    """Read questions from the builder's fields (q-0-kind, q-0-prompt, q-0-opt-1-text, ...)."""
    questions = []
    for q in range(MAX_QUESTIONS):
        kind = form.get(f"q-{q}-kind")
        if kind not in KINDS:
            continue
        if form.get(f"q-{q}-remove"):
            continue
        question = BuiltQuestion(kind, (form.get(f"q-{q}-prompt") or "").strip(),
                                 feedback=(form.get(f"q-{q}-feedback") or "").strip())
        if kind != FILL:
            correct = set(form.getlist(f"q-{q}-correct"))
            for o in range(MAX_OPTIONS):
                text = _one_line(form.get(f"q-{q}-opt-{o}-text") or "")
                if text:
                    question.options.append(BuiltOption(
                        text, str(o) in correct,
                        (form.get(f"q-{q}-opt-{o}-feedback") or "").strip()))
        if question.prompt or question.options or question.feedback:
            questions.append(question)
        elif form.get(f"q-{q}-new"):
            questions.append(question)  # a question just added: keep the empty card
    return questions


def check(questions: list[BuiltQuestion]) -> list[Problem]:
    """What keeps a question from working, in the author's words."""
    problems = []
    for index, question in enumerate(questions):
        if is_empty(question):
            continue
        problems += [Problem(index, message) for message in _question_problems(question)]
    return problems


def _question_problems(question: BuiltQuestion) -> list:
    if question.kind == FILL:
        if not question.blanks:
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


def blank_question(kind: str) -> BuiltQuestion:
    """A new, empty question of this kind with room for its answers."""
    if kind == FILL:
        return BuiltQuestion(FILL)
    return BuiltQuestion(kind, options=[BuiltOption() for _ in range(3)])
