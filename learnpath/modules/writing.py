"""The form editor's domain work: a module's text as form values and back, and where a
parse's problems belong (a field, a question, or a line of the file).

Plain functions; nothing here sees a request. The view passes form values in.
"""

from dataclasses import dataclass, field

from learnpath.modules import quiz_builder, structured
from learnpath.modules.models import Module
from learnpath.modules.parsing import ParsedModule

FORM_FIELDS = ("title", "summary", "language", "level", "duration", "skills", "tags",
               "translation_of")


def working_text(module: Module) -> str:
    if module.draft_source is not None:
        return module.draft_source
    return module.current_version.source if module.current_version else ""


def load(module: Module) -> structured.Split:
    """What the form shows for the module's working text."""
    return structured.split_source(working_text(module))


def compose(module: Module, values: dict, body: str, questions) -> str:
    """The module file from the form, keeping front-matter keys the form has no field for."""
    extra = load(module).extra
    return structured.compose_source(values, body, questions, extra)


@dataclass
class Placed:
    """A parse's problems by where the author can fix them."""

    fields: dict = field(default_factory=dict)  # form field -> messages
    questions: dict = field(default_factory=dict)  # question index -> messages
    lines: list = field(default_factory=list)  # the rest, with their line in the file


def _quiz_ranges(source: str) -> list[tuple[int, int]]:
    ranges, start = [], None
    for number, line in enumerate(source.split("\n"), start=1):
        lowered = line.strip().lower()
        if lowered.startswith("<quiz"):
            start = number
        elif lowered.startswith("</quiz") and start is not None:
            ranges.append((start, number))
            start = None
    return ranges


def place_problems(parsed: ParsedModule | None, builder_problems=()) -> Placed:
    """Put each error on its field or question; what has neither keeps its line number."""
    placed = Placed()
    for problem in builder_problems:
        placed.questions.setdefault(problem.question, []).append(problem.message)
    if parsed is None:
        return placed
    ranges = _quiz_ranges(parsed.source)
    for problem in parsed.errors:
        key = {"name": "title", "description": "summary", "lang": "language"}.get(
            problem.field, problem.field)
        quiz = next((i for i, (a, b) in enumerate(ranges)
                     if problem.line and a <= problem.line <= b), None)
        if key in FORM_FIELDS:
            placed.fields.setdefault(key, []).append(problem.message)
        elif quiz is not None:
            placed.questions.setdefault(quiz, []).append(problem.message)
        else:
            placed.lines.append(problem)
    return placed


def form_values(split: structured.Split) -> dict:
    return dict(split.fields)


def questions_or_blank(questions, add: str | None):
    """The questions, with a new blank one of kind `add` at the end (when given)."""
    questions = list(questions)
    if add in quiz_builder.KINDS and len(questions) < quiz_builder.MAX_QUESTIONS:
        questions.append(quiz_builder.blank_question(add))
    return questions
