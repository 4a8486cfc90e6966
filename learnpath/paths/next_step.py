"""The next step in a person's path when they finish a module (the module page's finish panel).

Registered with modules/finish.py from paths/hooks.py; one query whatever the number of paths.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from learnpath.extensions import db
from learnpath.modules import services as module_services
from learnpath.modules.finish import NextStep
from learnpath.modules.models import Completion, Module
from learnpath.paths.models import Enrolment, GrowthPath, PathStep


@dataclass
class _Path:
    slug: str
    title: str
    state: str
    order: tuple
    steps: list[tuple[int, bool]]  # (module id, optional) in order


def _paths_of(user, locale: str) -> tuple[dict[int, _Path], dict[int, Module]]:
    """The person's paths with their steps, and the step modules still open to them: the
    published ones they have not completed (one query)."""
    rows = db.session.execute(
        select(PathStep.path_id, PathStep.module_id, PathStep.optional, GrowthPath.slug,
               GrowthPath.title_nl, GrowthPath.title_en, Enrolment.state, Enrolment.source,
               Enrolment.due_date, Enrolment.enrolled_at, Module, Completion.id)
        .join(Enrolment, Enrolment.path_id == PathStep.path_id)
        .join(GrowthPath, GrowthPath.id == PathStep.path_id)
        .join(Module, Module.id == PathStep.module_id)
        .outerjoin(Completion, and_(Completion.module_id == PathStep.module_id,
                                    Completion.user_id == user.id))
        .options(*module_services.listing_options(joined=True))
        .where(Enrolment.user_id == user.id, Enrolment.state.in_(("active", "completed")))
        .order_by(PathStep.path_id, PathStep.position))
    paths: dict[int, _Path] = {}
    open_modules: dict[int, Module] = {}
    for (path_id, module_id, optional, slug, title_nl, title_en, state, source, due, at,
         module, completion_id) in rows:
        if path_id not in paths:
            title = title_nl if locale == "nl" else title_en
            order = (state != "active", source != "assigned", due or date.max, at)
            paths[path_id] = _Path(slug, title, state, order, [])
        paths[path_id].steps.append((module_id, optional))
        if (completion_id is None and module.status == "published"
                and module.current_version is not None):
            open_modules[module_id] = module
    return paths, open_modules


def _first_open(path: _Path, open_modules: dict[int, Module], current: int) -> Module | None:
    todo = [(optional, m) for m, optional in path.steps if m in open_modules and m != current]
    return open_modules[min(todo, key=lambda item: item[0])[1]] if todo else None


def next_step_in_path(user, module: Module, locale: str) -> NextStep | None:
    """The next module of a path with this module in it (or that path finished), else the
    next module of the person's most pressing active path; None without a path."""
    paths, open_modules = _paths_of(user, locale)
    if not paths:
        return None
    ordered = sorted(paths.values(), key=lambda p: p.order)
    with_this = [p for p in ordered if any(m == module.id for m, _o in p.steps)]
    for path in with_this:
        if (found := _first_open(path, open_modules, module.id)) is not None:
            return NextStep(found, path.slug, path.title)
    if with_this:
        return NextStep(None, with_this[0].slug, with_this[0].title)
    for path in ordered:
        if path.state == "active" and (found := _first_open(path, open_modules, module.id)):
            return NextStep(found, path.slug, path.title)
    return None
