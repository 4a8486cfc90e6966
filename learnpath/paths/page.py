"""What the path page reads, in few statements whatever the path's size.

The page shows the path with its targets, the person's enrolment (with who assigned it and
their certificate), every step with its module's title and duration, and which steps are
done: four statements after the person is loaded, none per step. The statements are built
once a process (building one costs more CPU than running it), with bound parameters.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, String, and_, bindparam, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.paths.models import Certificate, Enrolment, GrowthPath, PathStep
from learnpath.paths.progress import Progress, progress_from


@dataclass(frozen=True)
class Assigner:
    display_name: str


@cache
def _path_statement():
    return (select(GrowthPath).options(joinedload(GrowthPath.targets))
            .where(GrowthPath.slug == bindparam("slug", type_=String),
                   GrowthPath.status == "published"))


def published_path(slug: str) -> GrowthPath | None:
    """The published path with its targets and their skills (one statement)."""
    return db.session.scalars(_path_statement(), {"slug": slug}).unique().first()


@cache
def _enrolment_statement():
    assigner = aliased(User)
    return (
        select(Enrolment, Certificate, assigner.id, assigner.display_name)
        .outerjoin(Certificate, and_(Certificate.user_id == Enrolment.user_id,
                                     Certificate.path_id == Enrolment.path_id))
        .outerjoin(assigner, assigner.id == Enrolment.assigned_by_id)
        .where(Enrolment.user_id == bindparam("user_id", type_=Integer),
               Enrolment.path_id == bindparam("path_id", type_=Integer))
        .order_by(Certificate.id))


def enrolment_with_extras(user, path: GrowthPath):
    """(enrolment, certificate, assigner) of the person on this path (one statement).

    The certificate is the person's for this path (the newest, should there be more); the
    assigner only their name, None once that account is gone.
    """
    rows = db.session.execute(_enrolment_statement(),
                              {"user_id": user.id, "path_id": path.id}).all()
    if not rows:
        return None, None, None
    enrolment, certificate, assigner_id, name = rows[-1]
    return enrolment, certificate, Assigner(name) if assigner_id is not None else None


@cache
def _steps_statement():
    version = aliased(ModuleVersion)
    return (
        select(PathStep, Module)
        .join(Module, Module.id == PathStep.module_id)
        .outerjoin(version, version.id == Module.current_version_id)
        .options(load_only(Module.id, Module.slug, Module.language, Module.status,
                           Module.current_version_id, Module.draft_title),
                 contains_eager(Module.current_version.of_type(version))
                 .load_only(version.id, version.title, version.duration))
        .where(PathStep.path_id == bindparam("path_id", type_=Integer))
        .order_by(PathStep.position))


def load_steps(path: GrowthPath) -> dict[int, Module]:
    """Fill `path.steps` and return {module id: module} with the few columns the page shows
    (one statement: no module source, HTML or front matter)."""
    rows = db.session.execute(_steps_statement(), {"path_id": path.id}).all()
    set_committed_value(path, "steps", [step for step, _module in rows])
    return {module.id: module for _step, module in rows}


def done_of(user, module_ids) -> set[int]:
    ids = list(module_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Completion.module_id).where(
        Completion.user_id == user.id, Completion.module_id.in_(ids))))


def progress_on_page(enrolment: Enrolment, path: GrowthPath, modules: dict[int, Module],
                     done: set[int], today) -> Progress:
    """The same progress as enrolments.progress_of, from what the page loaded already:
    required steps in order, archived modules not counted."""
    required = [s.module_id for s in path.steps if not s.optional
                and modules[s.module_id].status != "archived"]
    return progress_from(required, done, enrolment, today)
