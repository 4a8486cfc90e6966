"""How far a person is toward the skill levels their growth paths lead to."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from learnpath.extensions import db
from learnpath.paths.enrolments import progress_of, today
from learnpath.paths.models import Enrolment, GrowthPath
from learnpath.skills.models import Skill, UserSkill


@dataclass(frozen=True)
class SkillProgress:
    """One path's way to one target level the person has not reached yet."""

    skill: Skill
    level: int  # the level the path leads to
    current: int  # the level the person holds now (0: none yet)
    path: GrowthPath
    done: int  # required modules completed
    required: int


def skill_progress(user) -> list[SkillProgress]:
    """Targets of the person's active published paths above their level, with modules done.

    Four queries whatever the number of paths: enrolments, their targets (with the skill),
    the required steps and the person's completions of them; plus one for the levels held.
    """
    enrolments = db.session.scalars(
        select(Enrolment).join(GrowthPath, GrowthPath.id == Enrolment.path_id)
        .options(selectinload(Enrolment.path).selectinload(GrowthPath.targets))
        .where(Enrolment.user_id == user.id, Enrolment.state == "active",
               GrowthPath.status == "published")).all()
    if not enrolments:
        return []
    held = dict(db.session.execute(
        select(UserSkill.skill_id, UserSkill.level).where(UserSkill.user_id == user.id)).all())
    progress = progress_of(enrolments, today())
    result = [
        SkillProgress(target.skill, target.level, held.get(target.skill_id, 0),
                      enrolment.path, progress[enrolment.id].done,
                      progress[enrolment.id].required)
        for enrolment in enrolments
        for target in enrolment.path.targets
        if held.get(target.skill_id, 0) < target.level
    ]
    return sorted(result, key=lambda item: (item.skill.slug, item.level, item.path.slug))
