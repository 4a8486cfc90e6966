"""Enrolments, assignments, progress, path completion and certificates."""

import secrets
from collections import defaultdict
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from learnpath.accounts import services as accounts
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.paths.models import (
    Certificate,
    Enrolment,
    GrowthPath,
    PathStep,
    PathTarget,
)
from learnpath.paths.progress import Progress, progress_from
from learnpath.signals import path_completed, path_enrolled
from learnpath.skills.models import UserSkill
from learnpath.timeutil import utcnow


class PathError(ValueError):
    """A refused path operation, with a message fit to show the person."""


class NotYourTeam(PathError):
    """A manager tried to act on someone outside the teams they manage."""


def get_path(slug: str, published_only: bool = True) -> GrowthPath | None:
    stmt = select(GrowthPath).where(GrowthPath.slug == slug)
    if published_only:
        stmt = stmt.where(GrowthPath.status == "published")
    return db.session.scalar(stmt)


def published_path_choices(locale: str) -> list[tuple[str, str]]:
    """(slug, title) of the published paths, by English title, without loading whole rows."""
    title = GrowthPath.title_nl if locale == "nl" else GrowthPath.title_en
    return [tuple(row) for row in db.session.execute(
        select(GrowthPath.slug, title).where(GrowthPath.status == "published")
        .order_by(GrowthPath.title_en))]


def published_paths() -> list[GrowthPath]:
    return db.session.scalars(select(GrowthPath).where(GrowthPath.status == "published")
                              .order_by(GrowthPath.title_en)).all()


def get_enrolment(user, path) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(
        Enrolment.user_id == user.id, Enrolment.path_id == path.id))


def enrol(user, path: GrowthPath, at: datetime | None = None) -> Enrolment:
    """Enrol the person in a path they chose; enrolling twice keeps one enrolment.

    `at`: when, for history written after the fact (the demo); default now.
    """
    if path.status != "published":
        raise PathError(_l("This growth path is not available."))
    enrolment = get_enrolment(user, path)
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, path_id=path.id, source="self", state="active",
                              enrolled_at=at or utcnow())
        try:
            with db.session.begin_nested():
                db.session.add(enrolment)
        except IntegrityError:
            enrolment = get_enrolment(user, path)
        else:
            path_enrolled.send(user, enrolment=enrolment, at=at)
    elif enrolment.state == "withdrawn":
        enrolment.state = "active"
        enrolment.withdrawn_at = None
        path_enrolled.send(user, enrolment=enrolment, at=at)
    db.session.flush()
    check_completion(enrolment, at)
    return enrolment


def leave(user, path: GrowthPath) -> Enrolment:
    """Withdraw from a path the person chose; assigned and completed paths stay."""
    enrolment = get_enrolment(user, path)
    if enrolment is None or enrolment.state == "withdrawn":
        raise PathError(_l("You are not enrolled in this growth path."))
    if enrolment.state == "completed":
        raise PathError(_l("You have completed this growth path."))
    if enrolment.source == "assigned":
        raise PathError(_l("Your manager assigned this growth path; ask them to withdraw it."))
    enrolment.state = "withdrawn"
    enrolment.withdrawn_at = utcnow()
    db.session.flush()
    return enrolment


def validate_due_date(due: date | None, today: date) -> None:
    if due is not None and due < today:
        raise PathError(_l("The due date is in the past."))


def assign(manager, path: GrowthPath, people, due: date | None, note: str,
           today: date, at: datetime | None = None) -> list[Enrolment]:
    """Assign a path to people in the manager's teams; assigning again updates the due date.

    `at`: when, for history written after the fact (the demo, with `today` that day).
    """
    at = at or utcnow()
    if path.status != "published":
        raise PathError(_l("This growth path is not available."))
    validate_due_date(due, today)
    people = list(people)
    for person in people:
        if not accounts.manages(manager, person):
            raise NotYourTeam(_l("You can only assign paths to people in teams you manage."))
    enrolments, new = [], []
    for person in people:
        enrolment = get_enrolment(person, path)
        if enrolment is None:
            enrolment = Enrolment(user_id=person.id, path_id=path.id, enrolled_at=at)
            db.session.add(enrolment)
            new.append((person, enrolment))
        if enrolment.state == "withdrawn":
            enrolment.enrolled_at = at
            enrolment.withdrawn_at = None
        if enrolment.state != "completed":
            enrolment.state = "active"
        enrolment.source = "assigned"
        enrolment.assigned_by_id = manager.id
        enrolment.due_date = due
        enrolment.note = (note or "").strip()
        enrolment.last_reminded_at = None
        enrolments.append(enrolment)
    db.session.flush()
    for person, enrolment in new:
        path_enrolled.send(person, enrolment=enrolment, at=at)
    for enrolment in enrolments:
        check_completion(enrolment, at)
    return enrolments


def assign_team(manager, team, path, due, note, today) -> list[Enrolment]:
    """Assign a path to every member of one of the manager's teams."""
    if team not in accounts.teams_of(manager, "manager"):
        raise NotYourTeam(_l("You can only assign paths to teams you manage."))
    members = [p for p in accounts.team_people(team, "member") if p.active]
    return assign(manager, path, members, due, note, today)


def unassign(manager, enrolment: Enrolment) -> None:
    """Withdraw an assignment; the enrolment stays as history."""
    person = db.session.get(accounts.User, enrolment.user_id)
    if not accounts.manages(manager, person):
        raise NotYourTeam(_l("You can only change assignments of people in teams you manage."))
    if enrolment.state == "active":
        enrolment.state = "withdrawn"
        enrolment.withdrawn_at = utcnow()
    db.session.flush()


# Progress -------------------------------------------------------------------------------------


def _required_steps(path_ids) -> dict[int, list[int]]:
    """Module ids of the required steps per path, in order (one query).

    Archived modules no longer count: a path stays completable with what exists, and a
    learner who already finished such a module keeps the credit through the other steps.
    """
    steps: dict[int, list[int]] = defaultdict(list)
    if not path_ids:
        return steps
    rows = db.session.execute(
        select(PathStep.path_id, PathStep.module_id)
        .join(Module, Module.id == PathStep.module_id)
        .where(PathStep.path_id.in_(list(path_ids)), PathStep.optional.is_(False),
               Module.status != "archived")
        .order_by(PathStep.path_id, PathStep.position))
    for path_id, module_id in rows:
        steps[path_id].append(module_id)
    return steps


def _completed_by(user_ids, module_ids) -> dict[int, set[int]]:
    done: dict[int, set[int]] = defaultdict(set)
    if not user_ids or not module_ids:
        return done
    rows = db.session.execute(
        select(Completion.user_id, Completion.module_id)
        .where(Completion.user_id.in_(list(user_ids)),
               Completion.module_id.in_(list(module_ids))))
    for user_id, module_id in rows:
        done[user_id].add(module_id)
    return done


def _steps_and_done(path_ids, user_ids) -> tuple[dict[int, list[int]], dict[int, set[int]]]:
    """What _required_steps and _completed_by give, in one query: the required steps with
    the completions of these people joined on."""
    steps: dict[int, list[int]] = defaultdict(list)
    done: dict[int, set[int]] = defaultdict(set)
    if not path_ids or not user_ids:
        return steps, done
    rows = db.session.execute(
        select(PathStep.id, PathStep.path_id, PathStep.module_id, Completion.user_id)
        .join(Module, Module.id == PathStep.module_id)
        .outerjoin(Completion, and_(Completion.module_id == PathStep.module_id,
                                    Completion.user_id.in_(list(user_ids))))
        .where(PathStep.path_id.in_(list(path_ids)), PathStep.optional.is_(False),
               Module.status != "archived")
        .order_by(PathStep.path_id, PathStep.position))
    seen: set[int] = set()
    for step_id, path_id, module_id, user_id in rows:
        if step_id not in seen:
            seen.add(step_id)
            steps[path_id].append(module_id)
        if user_id is not None:
            done[user_id].add(module_id)
    return steps, done


def progress_of(enrolments, today: date) -> dict[int, Progress]:
    """Progress per enrolment id, in one query whatever the number of enrolments."""
    enrolments = list(enrolments)
    steps, done = _steps_and_done({e.path_id for e in enrolments},
                                  {e.user_id for e in enrolments})
    return {enrolment.id: progress_from(steps.get(enrolment.path_id, []),
                                        done[enrolment.user_id], enrolment, today)
            for enrolment in enrolments}


def check_completion(enrolment: Enrolment, at: datetime | None = None) -> bool:
    """Complete the path once when every required step is done; return whether it did now.

    `at`: the moment of the step that finished it (default now).
    """
    if enrolment.state != "active":
        return False
    required = _required_steps([enrolment.path_id]).get(enrolment.path_id, [])
    if not required:
        return False
    done = _completed_by([enrolment.user_id], required)[enrolment.user_id]
    if not set(required) <= done:
        return False
    at = at or utcnow()
    enrolment.state = "completed"
    enrolment.completed_at = at
    levels = _raise_skills(enrolment.user_id, enrolment.path_id, at)
    db.session.add(Certificate(enrolment_id=enrolment.id, user_id=enrolment.user_id,
                               path_id=enrolment.path_id, token=secrets.token_urlsafe(24),
                               skills=levels, issued_at=at))
    db.session.flush()
    path_completed.send(db.session.get(accounts.User, enrolment.user_id), enrolment=enrolment,
                        at=at)
    return True


def _raise_skills(user_id: int, path_id: int, at: datetime | None = None) -> list[dict]:
    targets = db.session.scalars(select(PathTarget).where(PathTarget.path_id == path_id)).all()
    current = {us.skill_id: us for us in db.session.scalars(
        select(UserSkill).where(UserSkill.user_id == user_id))}
    reached = []
    for target in targets:
        mine = current.get(target.skill_id)
        if mine is None:
            db.session.add(UserSkill(user_id=user_id, skill_id=target.skill_id,
                                     level=target.level, updated_at=at or utcnow()))
        elif mine.level < target.level:
            mine.level = target.level
            mine.updated_at = at or utcnow()
        reached.append({"skill": target.skill.slug, "name_nl": target.skill.name_nl,
                        "name_en": target.skill.name_en, "level": target.level})
    return reached


def recheck_path(path: GrowthPath) -> int:
    """Complete the enrolments a changed path now considers done; return how many."""
    active = db.session.scalars(select(Enrolment).where(
        Enrolment.path_id == path.id, Enrolment.state == "active")).all()
    return sum(1 for enrolment in active if check_completion(enrolment))


def receive_module_completed(user, module=None, at=None, **_extra):
    """signals.module_completed, connected in paths/hooks.py."""
    on_module_completed(user, module, at)


def receive_module_withdrawn(module, **_extra):
    """A withdrawn module no longer counts: recheck the active enrolments of its paths
    (signals.module_withdrawn, connected in paths/hooks.py)."""
    enrolments = db.session.scalars(
        select(Enrolment).join(PathStep, PathStep.path_id == Enrolment.path_id)
        .where(Enrolment.state == "active", PathStep.module_id == module.id)).all()
    for enrolment in enrolments:
        check_completion(enrolment)


def on_module_completed(user, module, at: datetime | None = None) -> list[Enrolment]:
    """Complete every active path of the person that this module finishes."""
    enrolments = db.session.scalars(
        select(Enrolment).join(PathStep, PathStep.path_id == Enrolment.path_id)
        .where(Enrolment.user_id == user.id, Enrolment.state == "active",
               PathStep.module_id == module.id)).all()
    return [e for e in enrolments if check_completion(e, at)]


def modules_in_active_paths(user, module_ids) -> set[int]:
    """Ids among these of modules that are steps of the person's active paths (one query)."""
    module_ids = list(module_ids)
    if not module_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(
        select(PathStep.module_id).join(Enrolment, Enrolment.path_id == PathStep.path_id)
        .where(Enrolment.user_id == user.id, Enrolment.state == "active",
               PathStep.module_id.in_(module_ids)).distinct()))


def enrolments_of(user, states=("active", "completed")) -> list[Enrolment]:
    """The person's enrolments: assigned first (by due date), then their own."""
    rows = db.session.scalars(
        select(Enrolment).options(joinedload(Enrolment.path))
        .where(Enrolment.user_id == user.id, Enrolment.state.in_(states))).all()
    return sorted(rows, key=display_order)


def display_order(e: Enrolment):
    """Open before completed, assigned before chosen, by due date, then oldest first."""
    return (e.state == "completed", e.source != "assigned", e.due_date or date.max,
            e.enrolled_at)


def certificate_by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Certificate).options(selectinload(Certificate.path))
                             .where(Certificate.token == token))


def certificates_of(user) -> dict[int, Certificate]:
    return {c.path_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id))}


def count_steps(path_ids) -> dict[int, int]:
    if not path_ids:
        return {}
    return dict(db.session.execute(
        select(PathStep.path_id, func.count(PathStep.id))
        .where(PathStep.path_id.in_(list(path_ids))).group_by(PathStep.path_id)).all())


def today() -> date:
    """Today in the organisation's time zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def team_matrix(manager, day: date, teams=None) -> list[dict]:
    """Per managed team: members against their assigned paths with progress (bounded queries).

    `teams`: the manager's managed_teams_with_members when the caller already has them.
    """
    if teams is None:
        teams = accounts.managed_teams_with_members(manager)
    member_ids = {p.id for _team, people in teams for p in people}
    if not member_ids:
        return [{"team": team, "rows": [], "paths": []} for team, _people in teams]
    enrolments = db.session.scalars(
        select(Enrolment).options(selectinload(Enrolment.path))
        .where(Enrolment.user_id.in_(member_ids), Enrolment.source == "assigned",
               Enrolment.state != "withdrawn")).all()
    progress = progress_of(enrolments, day)
    by_user: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        by_user[enrolment.user_id].append(enrolment)
    rank = {"overdue": 0, "behind": 1, "not_started": 2, "in_progress": 3, "on_track": 3,
            "completed": 4}
    result = []
    for team, people in teams:
        paths = sorted({e.path_id: e.path for p in people for e in by_user[p.id]}.values(),
                       key=lambda path: path.title_en)
        keyed = [(path.id, path) for path in paths]
        rows = []
        for person in people:
            cells = {e.path_id: (e, progress[e.id]) for e in by_user[person.id]}
            worst = min((rank[p.status] for _e, p in cells.values()), default=9)
            rows.append({"person": person, "cells": cells, "worst": worst,
                         "slots": _slots(keyed, cells)})
        rows.sort(key=lambda row: (row["worst"], row["person"].display_name.lower()))
        result.append({"team": team, "rows": rows, "paths": paths})
    return result


def _slots(paths, cells) -> list:
    """A matrix row in path order: (path, enrolment, progress) for an assignment, and for a run
    of paths the person was not assigned the number of empty cells (a sparse matrix of 50
    people by 40 paths renders its 2,000 cells as a few dozen pieces)."""
    slots: list = []
    empty = 0
    for path_id, path in paths:
        cell = cells.get(path_id)
        if cell is None:
            empty += 1
            continue
        if empty:
            slots.append(empty)
            empty = 0
        slots.append((path, *cell))
    if empty:
        slots.append(empty)
    return slots


def skills_of(user) -> list[tuple[UserSkill, list[tuple[GrowthPath, list[tuple[str, str]]]]]]:
    """The person's skill levels with their evidence: the completed paths that raised them and,
    per path, the modules (slug, title) the person completed in it. Three queries."""
    mine = db.session.scalars(select(UserSkill).where(UserSkill.user_id == user.id)).all()
    completed = db.session.scalars(
        select(Enrolment).options(selectinload(Enrolment.path).selectinload(GrowthPath.targets))
        .where(Enrolment.user_id == user.id, Enrolment.state == "completed")).all()
    done: dict[int, list[tuple[str, str]]] = defaultdict(list)
    path_ids = [e.path_id for e in completed]
    if path_ids:
        for path_id, slug, title in db.session.execute(
                select(PathStep.path_id, Module.slug, ModuleVersion.title)
                .join(Module, Module.id == PathStep.module_id)
                .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
                .join(Completion, (Completion.module_id == Module.id)
                      & (Completion.user_id == user.id))
                .where(PathStep.path_id.in_(path_ids))
                .order_by(PathStep.path_id, PathStep.position)):
            done[path_id].append((slug, title))
    evidence: dict[int, list] = defaultdict(list)
    for enrolment in completed:
        for target in enrolment.path.targets:
            evidence[target.skill_id].append((enrolment.path, done[enrolment.path_id]))
    return sorted([(us, evidence[us.skill_id]) for us in mine],
                  key=lambda item: item[0].skill.slug)
