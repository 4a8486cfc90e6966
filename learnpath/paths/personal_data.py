"""Personal data of growth paths: enrolments (own and assigned), skills and certificates."""

from sqlalchemy import delete, select, update

from learnpath.extensions import db
from learnpath.paths.models import Certificate, Enrolment, GrowthPath
from learnpath.personal_data import KEPT, register_personal_data
from learnpath.skills.models import UserSkill
from learnpath.timeutil import iso


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


def register() -> None:
    """Declare this feature's personal data (called from hooks.init_app)."""
    register_personal_data(Enrolment, export=_export_enrolments, erase=_erase_enrolments,
                           retention=KEPT, section="enrolments")
    register_personal_data(UserSkill, export=_export_skills, erase=_erase_skills,
                           retention=KEPT, section="skills")
    register_personal_data(Certificate, export=_export_certificates, erase=_erase_certificates,
                           retention=KEPT, section="certificates")
