"""Export and erasure of the tables that existed before the registry.

Erasure keeps what team and module statistics need, without the person: pulse answers and
activity events are detached (user NULL), kudos lose their text and the erased side, learning
records (completions, quiz attempts, enrolments) stay on the pseudonymised account row, which
has no name, e-mail, team or role any more. Team figures do not change because the person's
share was folded into engagement_folds before (see services.erase_person).
"""

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload

from learnpath.accounts.models import Team, TeamMembership, User, UserRole
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion, QuizAttempt
from learnpath.paths.models import Certificate, Enrolment, GrowthPath, UserSkill
from learnpath.privacy.models import AuditEntry
from learnpath.privacy.registry import register_personal_data


def iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _nothing(_user) -> None:
    """Kept on the pseudonymised account: nothing leads back to the person any more."""


# Roles and teams --------------------------------------------------------------------------------

def _export_roles(user):
    return sorted(db.session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))


def _erase_roles(user):
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))


def _export_teams(user):
    rows = db.session.execute(
        select(Team.name, TeamMembership.kind).join(Team, Team.id == TeamMembership.team_id)
        .where(TeamMembership.user_id == user.id).order_by(Team.name, TeamMembership.kind))
    return [{"team": name, "as": kind} for name, kind in rows]


def _erase_teams(user):
    db.session.execute(delete(TeamMembership).where(TeamMembership.user_id == user.id))


# Learning ----------------------------------------------------------------------------------------

def _export_enrolments(user):
    rows = db.session.execute(
        select(Enrolment, GrowthPath.slug).join(GrowthPath, GrowthPath.id == Enrolment.path_id)
        .where(Enrolment.user_id == user.id).order_by(Enrolment.enrolled_at, Enrolment.id))
    own = [{"path": slug, "source": e.source, "state": e.state,
            "due_date": e.due_date.isoformat() if e.due_date else None, "note": e.note,
            "enrolled_at": iso(e.enrolled_at), "completed_at": iso(e.completed_at),
            "withdrawn_at": iso(e.withdrawn_at)} for e, slug in rows]
    made = db.session.execute(
        select(GrowthPath.slug, Enrolment.due_date, Enrolment.note, Enrolment.enrolled_at)
        .join(GrowthPath, GrowthPath.id == Enrolment.path_id)
        .where(Enrolment.assigned_by_id == user.id).order_by(Enrolment.enrolled_at))
    return {"own": own, "assigned_by_you": [
        {"path": slug, "due_date": due.isoformat() if due else None, "note": note,
         "assigned_at": iso(at)} for slug, due, note, at in made]}


def _erase_enrolments(user):
    # Notes are free text about or by the person: removed. The rows stay (path statistics).
    db.session.execute(update(Enrolment).where(Enrolment.user_id == user.id).values(note=""))
    db.session.execute(update(Enrolment).where(Enrolment.assigned_by_id == user.id)
                       .values(note="", assigned_by_id=None))


def _export_skills(user):
    return [{"skill": row.skill.slug, "level": row.level, "updated_at": iso(row.updated_at)}
            for row in db.session.scalars(select(UserSkill).where(UserSkill.user_id == user.id))]


def _erase_skills(user):
    db.session.execute(delete(UserSkill).where(UserSkill.user_id == user.id))


def _export_certificates(user):
    rows = db.session.execute(
        select(Certificate, GrowthPath.slug).join(GrowthPath, GrowthPath.id == Certificate.path_id)
        .where(Certificate.user_id == user.id).order_by(Certificate.issued_at))
    return [{"path": slug, "issued_at": iso(c.issued_at), "skills": c.skills, "token": c.token}
            for c, slug in rows]


def _erase_certificates(user):
    # A certificate is a public link that names the person: it goes.
    db.session.execute(delete(Certificate).where(Certificate.user_id == user.id))


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
             "submitted_at": iso(attempt.created_at),
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


# Engagement -------------------------------------------------------------------------------------

def _export_events(user):
    rows = db.session.scalars(select(ActivityEvent).where(ActivityEvent.actor_id == user.id)
                              .order_by(ActivityEvent.timestamp, ActivityEvent.id))
    return [{"verb": e.verb, "object_type": e.object_type, "object_id": e.object_id,
             "result": {"score": e.result_score, "success": e.result_success,
                        "response": e.result_response},
             "context": e.context, "timestamp": iso(e.timestamp)} for e in rows]


def _erase_events(user):
    db.session.execute(update(ActivityEvent).where(ActivityEvent.actor_id == user.id)
                       .values(actor_id=None))


def _export_pulse(user):
    rows = db.session.scalars(select(PulseAnswer).where(PulseAnswer.user_id == user.id)
                              .order_by(PulseAnswer.answered_at))
    return [{"question": a.question, "period": a.period, "value": a.value,
             "answered_at": iso(a.answered_at)} for a in rows]


def _erase_pulse(user):
    db.session.execute(update(PulseAnswer).where(PulseAnswer.user_id == user.id)
                       .values(user_id=None))


def _export_kudos(user):
    giver = db.aliased(User)
    receiver = db.aliased(User)
    rows = db.session.execute(
        select(Kudos, giver.display_name, receiver.display_name)
        .outerjoin(giver, giver.id == Kudos.from_id)
        .outerjoin(receiver, receiver.id == Kudos.to_id)
        .where(or_(Kudos.from_id == user.id, Kudos.to_id == user.id))
        .order_by(Kudos.created_at, Kudos.id))
    given, received = [], []
    for kudos, from_name, to_name in rows:
        item = {"message": kudos.message, "created_at": iso(kudos.created_at)}
        if kudos.from_id == user.id:
            given.append({"to": to_name, **item})
        else:
            received.append({"from": from_name, **item})
    return {"given": given, "received": received}


def _erase_kudos(user):
    # The other person keeps the fact (their Recognition), not the text nor who it was.
    db.session.execute(update(Kudos).where(Kudos.from_id == user.id)
                       .values(message="", from_id=None))
    db.session.execute(update(Kudos).where(Kudos.to_id == user.id)
                       .values(message="", to_id=None))


def _export_audit(user):
    rows = db.session.scalars(
        select(AuditEntry).where(or_(AuditEntry.actor_id == user.id,
                                     AuditEntry.target == user.pseudonym))
        .order_by(AuditEntry.at, AuditEntry.id))
    return [{"at": iso(a.at), "action": a.action, "by_you": a.actor_id == user.id,
             "about_you": a.target == user.pseudonym, "details": a.details} for a in rows]


def _erase_audit(user):
    # Entries stay (accountability) but no longer name the erased actor.
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id)
                       .values(actor_id=None, actor_label="erased"))


KEPT = "kept while the account exists"
register_personal_data(UserRole, export=_export_roles, erase=_erase_roles, retention=KEPT,
                       section="roles", order=10)
register_personal_data(TeamMembership, export=_export_teams, erase=_erase_teams,
                       retention=KEPT, section="teams", order=90)
register_personal_data(Enrolment, export=_export_enrolments, erase=_erase_enrolments,
                       retention=KEPT, section="enrolments")
register_personal_data(UserSkill, export=_export_skills, erase=_erase_skills, retention=KEPT,
                       section="skills")
register_personal_data(Certificate, export=_export_certificates, erase=_erase_certificates,
                       retention=KEPT, section="certificates")
register_personal_data(Completion, export=_export_completions, erase=_nothing, retention=KEPT,
                       section="completions")
register_personal_data(QuizAttempt, export=_export_quiz_attempts, erase=_nothing,
                       retention=KEPT, section="answers")
register_personal_data(ModuleVersion, export=_export_published, erase=_nothing,
                       retention=KEPT, section="published_module_versions")
register_personal_data(ActivityEvent, export=_export_events, erase=_erase_events,
                       retention="retention period (LEARNPATH_RETENTION_MONTHS)",
                       section="activity_events")
register_personal_data(PulseAnswer, export=_export_pulse, erase=_erase_pulse,
                       retention="retention period (LEARNPATH_RETENTION_MONTHS)",
                       section="pulse_answers")
register_personal_data(Kudos, export=_export_kudos, erase=_erase_kudos, retention=KEPT,
                       section="kudos")
register_personal_data(AuditEntry, export=_export_audit, erase=_erase_audit,
                       retention="retention period (LEARNPATH_RETENTION_MONTHS)",
                       section="audit_log")
