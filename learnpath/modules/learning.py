"""Learning a module: knowledge checks, completions and what to learn next.

Plain functions that flush; the caller commits.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import ngettext
from sqlalchemy import and_, bindparam, case, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from learnpath.extensions import db
from learnpath.modules.links import MODULE_COLUMNS, VERSION_COLUMNS, link_options
from learnpath.modules.models import (
    Completion,
    Module,
    ModuleVersion,
    Question,
    QuizAnswer,
    QuizAttempt,
)
from learnpath.modules.quiz_options import QuizOptions, needed_to_pass, pass_mark_met, quiz_options
from learnpath.modules.services import ModuleError
from learnpath.signals import module_completed, quiz_answered
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

# The correct answers are shown after this many attempts with a wrong answer (or on request).
REVEAL_AFTER_WRONG = 2


@dataclass
class QuestionResult:
    question: Question
    # Choice: the chosen option indexes; fill: the texts typed, one per blank.
    selected: set[int] | list[str]
    correct: bool

    @property
    def wrong(self) -> set[int]:
        """The chosen options that are not correct, or the blanks filled in wrongly."""
        if self.question.kind == "fill":
            answers = self.question.blank_answers()
            return {i for i, text in enumerate(self.selected)
                    if i < len(answers) and not same_text(text, answers[i])}
        return set(self.selected) - self.question.correct_indexes()

    @property
    def missing(self) -> bool:
        """Every chosen option is right but a correct one was not chosen (multiple choice)."""
        return not self.correct and not self.wrong


@dataclass
class QuizResult:
    results: list[QuestionResult]
    unanswered: list[Question]
    attempt: QuizAttempt | None = None

    @property
    def score(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def right(self) -> int:
        return sum(r.correct for r in self.results)


def same_text(typed: str, answer: str) -> bool:
    """Compare a filled-in blank with its answer, ignoring case and whitespace."""
    def bare(text):
        return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return bare(typed) == bare(answer)


def _check(question: Question, given) -> tuple[set[int] | list[str], bool, bool]:
    """(what counts as chosen, answered, correct) for one question."""
    if question.kind == "fill":
        answers = question.blank_answers()
        texts = [str(text) for text in list(given or [])[:len(answers)]]
        texts += [""] * (len(answers) - len(texts))
        answered = all(text.strip() for text in texts)
        return texts, answered, answered and all(map(same_text, texts, answers))
    chosen = {i for i in given or set() if isinstance(i, int) and 0 <= i < len(question.options)}
    if question.kind != "multiple" and len(chosen) > 1:
        chosen = set()
    return chosen, bool(chosen), chosen == question.correct_indexes()


def check_answers(version: ModuleVersion, answers: dict) -> QuizResult:
    """Compare the answers (option indexes, or texts for blanks) with the right ones."""
    results, unanswered = [], []
    for question in version.questions:
        selected, answered, correct = _check(question, answers.get(question.id))
        if not answered:
            unanswered.append(question)
        results.append(QuestionResult(question, selected, correct))
    return QuizResult(results, unanswered)


def submit_quiz(user, version: ModuleVersion, answers: dict,
                at: datetime | None = None) -> QuizResult:
    """Check and store a complete attempt; an incomplete one is returned but not stored.

    `at`: when it happened, for history written after the fact (the demo); default now.
    """
    result = check_answers(version, answers)
    if result.unanswered:
        return result
    attempt = QuizAttempt(user_id=user.id, version_id=version.id, score=result.score,
                          created_at=at or utcnow())
    for item in result.results:
        selected = list(item.selected) if item.question.kind == "fill" else sorted(item.selected)
        attempt.answers.append(QuizAnswer(question_id=item.question.id, selected=selected,
                                          correct=item.correct))
    db.session.add(attempt)
    db.session.flush()
    result.attempt = attempt
    quiz_answered.send(user, version=version, result=result, at=at)
    return result


def _attempts(user, version: ModuleVersion) -> list[QuizAttempt]:
    """The person's attempts at this version, newest first."""
    return list(db.session.scalars(
        select(QuizAttempt).options(selectinload(QuizAttempt.answers))
        .where(QuizAttempt.user_id == user.id, QuizAttempt.version_id == version.id)
        .order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc())))


def latest_attempt(user, version: ModuleVersion) -> QuizAttempt | None:
    attempts = _attempts(user, version)
    return attempts[0] if attempts else None


def result_from_attempt(version: ModuleVersion, attempt: QuizAttempt) -> QuizResult:
    answers = {a.question_id: a.selected for a in attempt.answers}
    result = check_answers(version, answers)
    result.attempt = attempt
    return result


@dataclass
class QuizState:
    """Where a person stands with a version's knowledge check, and what the page may show."""

    options: QuizOptions
    total: int
    attempts: int = 0
    best_right: int = 0
    revealed: bool = False  # the correct answers are shown
    can_reveal: bool = False  # "Show the answers" is offered
    latest: QuizAttempt | None = None  # the newest attempt, for the page's result

    @property
    def needed(self) -> int:
        return needed_to_pass(self.total, self.options.pass_mark)

    @property
    def passed(self) -> bool:
        return self.attempts > 0 and pass_mark_met(self.best_right, self.total,
                                                   self.options.pass_mark)


# Built once: building it cost about as much CPU as running it (bound per request).
_QUIZ = (
    select(Question, QuizAttempt, QuizAnswer)
    .outerjoin(QuizAttempt, and_(QuizAttempt.version_id == Question.version_id,
                                 QuizAttempt.user_id == bindparam("user_id")))
    .outerjoin(QuizAnswer, and_(QuizAnswer.attempt_id == QuizAttempt.id,
                                QuizAnswer.question_id == Question.id))
    .where(Question.version_id == bindparam("version_id"))
    .order_by(Question.position, QuizAttempt.created_at.desc(), QuizAttempt.id.desc()))


def load_quiz(user, version: ModuleVersion) -> list[QuizAttempt]:
    """The version's questions (set on it) and the person's attempts at it with their answers,
    newest first, in one statement: each question beside each attempt and its answer there
    (a version has a handful of questions and a person a handful of attempts)."""
    rows = db.session.execute(_QUIZ, {"user_id": user.id, "version_id": version.id})
    questions: dict[int, Question] = {}
    attempts: dict[int, QuizAttempt] = {}
    answers: dict[int, list[QuizAnswer]] = {}
    for question, attempt, answer in rows:
        questions.setdefault(question.id, question)
        if attempt is not None:
            attempts.setdefault(attempt.id, attempt)
            if answer is not None:
                answers.setdefault(attempt.id, []).append(answer)
    set_committed_value(version, "questions", list(questions.values()))
    for attempt in attempts.values():
        set_committed_value(attempt, "answers", answers.get(attempt.id, []))
    return list(attempts.values())  # the first question's rows hold every attempt, in order


def quiz_state(user, version: ModuleVersion, options: QuizOptions | None = None,
               attempts: list[QuizAttempt] | None = None) -> QuizState:
    """Attempts so far; answers are revealed after the second wrong attempt or on request.

    `options` and `attempts` (newest first) when the caller has them (the module page)."""
    if options is None:
        options = quiz_options(version.front_matter or {})
    total = len(version.questions)
    if attempts is None:
        attempts = _attempts(user, version)
    state = QuizState(options, total, attempts=len(attempts),
                      latest=attempts[0] if attempts else None)
    if not attempts:
        return state
    state.best_right = max(round(a.score * total) for a in attempts)
    wrong = sum(a.score < 1 for a in attempts)
    state.revealed = options.show_correct and (
        wrong >= REVEAL_AFTER_WRONG or any(a.revealed for a in attempts))
    state.can_reveal = options.show_correct and not state.revealed and attempts[0].score < 1
    return state


def reveal_answers(user, version: ModuleVersion) -> None:
    """Show the person the correct answers after their latest attempt (on their request)."""
    attempt = latest_attempt(user, version)
    if attempt is None:
        raise ModuleError(_l("Check your answers first; then you can ask to see the right "
                             "ones."))
    if not quiz_options(version.front_matter or {}).show_correct:
        raise ModuleError(_l("This knowledge check does not show its answers."))
    attempt.revealed = True
    db.session.flush()


def option_order(question: Question, user, shuffle: bool) -> list[int]:
    """The order a person sees the options in: shuffled per person when the module asks,
    but the same on every visit, so the page does not move under them."""
    order = list(range(len(question.options)))
    if shuffle and question.kind != "fill":
        random.Random(f"{user.id}:{question.id}").shuffle(order)
    return order


def get_completion(user, module: Module) -> Completion | None:
    return db.session.scalar(select(Completion).where(
        Completion.user_id == user.id, Completion.module_id == module.id))


def complete_module(user, module: Module, at: datetime | None = None) -> tuple[Completion, bool]:
    """Record that the person finished the module (at `at`, default now); a repeat returns the
    existing record.

    Returns (completion, created). Safe under concurrent requests: the unique constraint
    decides, and the loser of a race reads the winner's row.
    """
    version = module.current_version
    if module.status != "published" or version is None:
        raise ModuleError(_l("This module is not available."))
    score = None
    if version.questions:
        state = quiz_state(user, version)
        if not state.attempts:
            raise ModuleError(_l("Answer the knowledge check before marking the module as done."))
        if not state.passed:
            raise ModuleError(ngettext(
                "You need %(needed)d of %(num)d question right to mark this module as done; "
                "your best so far is %(best)d. Check your answers again.",
                "You need %(needed)d of %(num)d questions right to mark this module as done; "
                "your best so far is %(best)d. Check your answers again.",
                state.total, needed=state.needed, best=state.best_right))
        score = state.best_right / state.total
    existing = get_completion(user, module)
    if existing is not None:
        if score is not None and (existing.score is None or score > existing.score):
            existing.score = score
            db.session.flush()
        return existing, False
    completion = Completion(user_id=user.id, module_id=module.id, version_id=version.id,
                            score=score, completed_at=at or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return get_completion(user, module), False
    module_completed.send(user, module=module, completion=completion, at=at)
    return completion, True


def completed_module_ids(user, module_ids) -> set[int]:
    ids = list(module_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Completion.module_id).where(
        Completion.user_id == user.id, Completion.module_id.in_(ids))))


def recent_completions(user, limit: int = 5) -> list[tuple[Completion, Module]]:
    return db.session.execute(
        select(Completion, Module).join(Module, Module.id == Completion.module_id)
        .options(*link_options())
        .where(Completion.user_id == user.id)
        .order_by(Completion.completed_at.desc()).limit(limit)).all()


def suggest_module(user, language: str | None = None) -> Module | None:
    """A published module the person has not done yet, in their language first, shortest first.

    A translation of a module they finished is no new step, so it is not suggested.
    """
    done = select(Completion.module_id).where(Completion.user_id == user.id)
    done_groups = (select(Module.translation_group)
                   .join(Completion, Completion.module_id == Module.id)
                   .where(Completion.user_id == user.id, Module.translation_group.is_not(None)))
    own = case((or_(Module.language == language, Module.language.like(f"{language}-%")), 0),
               else_=1) if language else None
    order = [own] if own is not None else []
    return db.session.scalar(
        select(Module).join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .options(load_only(*MODULE_COLUMNS),
                 contains_eager(Module.current_version).load_only(*VERSION_COLUMNS))
        .where(Module.status == "published", Module.id.not_in(done),
               or_(Module.translation_group.is_(None),
                   Module.translation_group.not_in(done_groups)))
        .order_by(*order, ModuleVersion.duration, ModuleVersion.published_at.desc(),
                  Module.id).limit(1))
