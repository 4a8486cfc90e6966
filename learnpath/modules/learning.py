"""Learning a module: knowledge checks, completions and what to learn next.

Plain functions that flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from learnpath.extensions import db
from learnpath.modules import services
from learnpath.modules.models import (
    Completion,
    Module,
    ModuleVersion,
    Question,
    QuizAnswer,
    QuizAttempt,
)
from learnpath.modules.services import ModuleError
from learnpath.signals import module_completed, quiz_answered
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l


@dataclass
class QuestionResult:
    question: Question
    selected: set[int]
    correct: bool


@dataclass
class QuizResult:
    results: list[QuestionResult]
    unanswered: list[Question]
    attempt: QuizAttempt | None = None

    @property
    def score(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0


def check_answers(version: ModuleVersion, answers: dict[int, set[int]]) -> QuizResult:
    """Compare chosen option indexes with the correct ones (no storing)."""
    results, unanswered = [], []
    for question in version.questions:
        chosen = {i for i in answers.get(question.id, set()) if 0 <= i < len(question.options)}
        if not question.multiple and len(chosen) > 1:
            chosen = set()
        if not chosen:
            unanswered.append(question)
        results.append(QuestionResult(question, chosen, chosen == question.correct_indexes()))
    return QuizResult(results, unanswered)


def submit_quiz(user, version: ModuleVersion, answers: dict[int, set[int]],
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
        attempt.answers.append(QuizAnswer(question_id=item.question.id,
                                          selected=sorted(item.selected), correct=item.correct))
    db.session.add(attempt)
    db.session.flush()
    result.attempt = attempt
    quiz_answered.send(user, version=version, result=result, at=at)
    return result


def latest_attempt(user, version: ModuleVersion) -> QuizAttempt | None:
    return db.session.scalar(
        select(QuizAttempt).options(selectinload(QuizAttempt.answers))
        .where(QuizAttempt.user_id == user.id, QuizAttempt.version_id == version.id)
        .order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc()).limit(1))


def result_from_attempt(version: ModuleVersion, attempt: QuizAttempt) -> QuizResult:
    answers = {a.question_id: set(a.selected) for a in attempt.answers}
    result = check_answers(version, answers)
    result.attempt = attempt
    return result


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
        attempt = latest_attempt(user, version)
        if attempt is None:
            raise ModuleError(_l("Answer the knowledge check before marking the module as done."))
        score = attempt.score
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


def next_modules(user, module: Module, limit: int = 3) -> list[Module]:
    """Published modules sharing a skill with this one that the person has not completed."""
    version = module.current_version
    if version is None:
        return []
    done = select(Completion.module_id).where(Completion.user_id == user.id)
    # Newest published first: a version's id grows with its publication, so the index on
    # (language, status, current_version_id) gives them in order without a sort over the
    # whole catalog (which took 60 ms of CPU a request at 10,000 modules on SQLite).
    candidates = db.session.scalars(
        select(Module).options(*services.listing_options(joined=True))
        .where(Module.status == "published", Module.id != module.id,
               Module.language == module.language, Module.current_version_id.is_not(None),
               Module.id.not_in(done))
        .order_by(Module.current_version_id.desc()).limit(50)).all()
    wanted = set(version.skills or [])
    ranked = sorted(candidates, key=lambda m: -len(wanted & set(m.current_version.skills or [])))
    return ranked[:limit]


def recent_completions(user, limit: int = 5) -> list[tuple[Completion, Module]]:
    return db.session.execute(
        select(Completion, Module).join(Module, Module.id == Completion.module_id)
        .options(selectinload(Module.current_version))
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
        .options(selectinload(Module.current_version))
        .where(Module.status == "published", Module.id.not_in(done),
               or_(Module.translation_group.is_(None),
                   Module.translation_group.not_in(done_groups)))
        .order_by(*order, ModuleVersion.duration, ModuleVersion.published_at.desc(),
                  Module.id).limit(1))
