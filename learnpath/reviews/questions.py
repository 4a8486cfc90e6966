"""The one seam between reviews and the knowledge-check code: list a version's questions,
grade an answer (and read which questions a quiz_answered signal carries). Everything else in
reviews works on ReviewQuestion and its key."""

import hashlib
import html
import re
from dataclasses import dataclass

import nh3

from learnpath.modules.models import ModuleVersion, Question


@dataclass(frozen=True)
class ReviewQuestion:
    key: str  # stable over versions: a hash of the prompt's text
    question: Question
    prompt_html: str
    options: list[str]  # the options' HTML, in order
    multiple: bool
    feedback_html: str


def question_key(prompt_html: str) -> str:
    """A hash of the prompt's plain text: a new version with the same question keeps it."""
    text = html.unescape(nh3.clean(prompt_html or "", tags=set()))
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return hashlib.sha256(text.encode()).hexdigest()


def questions_of(version: ModuleVersion | None) -> list[ReviewQuestion]:
    """The knowledge-check questions of a version, with their stable keys.

    Choice questions only: a fill-in-the-blank question has no options to show one at a time
    on a phone, so it is not a review card (yet)."""
    if version is None:
        return []
    return [ReviewQuestion(question_key(q.prompt_html), q, q.prompt_html,
                           [option.get("html", "") for option in q.options], q.multiple,
                           q.feedback_html or "")
            for q in version.questions if q.kind != "fill"]


def grade(question: ReviewQuestion, selected: set[int]) -> bool:
    """Whether the chosen option indexes are exactly the right ones."""
    return selected == question.question.correct_indexes()


def answered_keys(result) -> list[str]:
    """The keys of the questions in a knowledge-check result (signals.quiz_answered)."""
    return [question_key(item.question.prompt_html) for item in result.results
            if item.question.kind != "fill"]
