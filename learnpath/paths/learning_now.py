"""What the home page shows of the person's paths, in one statement.

The active enrolments with their paths, every required step with the person's completion and
the step's module (only what a link shows), so each enrolment's progress and the module to
continue with come from one round trip whatever the number of paths and steps.
"""

from functools import cache

from sqlalchemy import Integer, and_, bindparam, select
from sqlalchemy.orm import joinedload

from learnpath.extensions import db
from learnpath.modules.links import link_options
from learnpath.modules.models import Completion, Module
from learnpath.paths.enrolments import display_order
from learnpath.paths.models import Enrolment, PathStep
from learnpath.paths.progress import Progress, progress_from


@cache
def _statement():
    """Built once a process (building it costs more CPU than running it)."""
    return (
        select(Enrolment, PathStep.id, Module, Completion.id)
        .options(joinedload(Enrolment.path), *link_options())
        .outerjoin(PathStep, and_(PathStep.path_id == Enrolment.path_id,
                                  PathStep.optional.is_(False)))
        .outerjoin(Module, and_(Module.id == PathStep.module_id, Module.status != "archived"))
        .outerjoin(Completion, and_(Completion.module_id == Module.id,
                                    Completion.user_id == Enrolment.user_id))
        .where(Enrolment.user_id == bindparam("user_id", type_=Integer),
               Enrolment.state == "active")
        .order_by(Enrolment.id, PathStep.position))


def active_learning(user, today) -> tuple[list[Enrolment], dict[int, Progress],
                                          dict[int, Module]]:
    """(enrolments in display order, progress by enrolment id, next module by id): the same as
    enrolments_of(user, ("active",)), progress_of and the next modules, in one statement."""
    rows = db.session.execute(_statement(), {"user_id": user.id}).all()
    enrolments: dict[int, Enrolment] = {}
    required: dict[int, list[int]] = {}
    done: dict[int, set[int]] = {}
    modules: dict[int, Module] = {}
    seen: set[int] = set()
    for enrolment, step_id, module, completion_id in rows:
        if enrolment.id not in enrolments:
            enrolments[enrolment.id] = enrolment
            required[enrolment.id], done[enrolment.id] = [], set()
        if module is None or step_id in seen:  # no step, an archived module, a repeat
            continue
        seen.add(step_id)
        modules[module.id] = module
        required[enrolment.id].append(module.id)
        if completion_id is not None:
            done[enrolment.id].add(module.id)
    progress = {i: progress_from(required[i], done[i], e, today) for i, e in enrolments.items()}
    next_modules = {p.next_module_id: modules[p.next_module_id] for p in progress.values()
                    if p.next_module_id}
    return sorted(enrolments.values(), key=display_order), progress, next_modules
