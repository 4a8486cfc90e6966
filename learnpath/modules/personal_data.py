"""Personal data of modules: completions, knowledge-check answers and published versions, all
kept on the pseudonymised account (module statistics need them, nothing names the person)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from learnpath.extensions import db
from learnpath.modules.models import (
    Completion,
    Module,
    ModuleAsset,
    ModuleVersion,
    QuizAttempt,
)
from learnpath.personal_data import KEPT, keep, register_personal_data
from learnpath.timeutil import iso


def _export_completions(user):
    rows = db.session.execute(
        select(Completion, Module.slug, ModuleVersion.number)
        .join(Module, Module.id == Completion.module_id)
        .join(ModuleVersion, ModuleVersion.id == Completion.version_id)
        .where(Completion.user_id == user.id).order_by(Completion.completed_at))
    return [{"module": slug, "version": number, "completed_at": iso(c.completed_at),
             "score": c.score} for c, slug, number in rows]


def _export_quiz_attempts(user):
    rows = db.session.execute(
        select(QuizAttempt, Module.slug, ModuleVersion.number)
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.version_id)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.created_at)
        .options(selectinload(QuizAttempt.answers)))
    return [{"module": slug, "version": number, "score": attempt.score,
             "submitted_at": iso(attempt.created_at), "answers_shown": attempt.revealed,
             "answers": [{"question": answer.question_id, "selected": answer.selected,
                          "correct": answer.correct} for answer in attempt.answers]}
            for attempt, slug, number in rows]


def _export_published(user):
    rows = db.session.execute(
        select(Module.slug, ModuleVersion.number, ModuleVersion.published_at)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(ModuleVersion.published_by_id == user.id).order_by(ModuleVersion.published_at))
    return [{"module": slug, "version": number, "published_at": iso(at)}
            for slug, number, at in rows]


def _export_assets(user):
    rows = db.session.execute(
        select(ModuleAsset.filename, ModuleAsset.created_at, Module.slug)
        .join(Module, Module.id == ModuleAsset.module_id)
        .where(ModuleAsset.uploaded_by_id == user.id).order_by(ModuleAsset.id))
    return [{"module": slug, "image": name, "uploaded_at": iso(at)} for name, at, slug in rows]


def register() -> None:
    """Declare this feature's personal data (called from hooks.init_app)."""
    register_personal_data(Completion, export=_export_completions, erase=keep, retention=KEPT,
                           section="completions")
    register_personal_data(QuizAttempt, export=_export_quiz_attempts, erase=keep,
                           retention=KEPT, section="answers")
    register_personal_data(ModuleVersion, export=_export_published, erase=keep,
                           retention=KEPT, section="published_module_versions")
    register_personal_data(ModuleAsset, export=_export_assets, erase=keep, retention=KEPT,
                           section="uploaded_module_images")
