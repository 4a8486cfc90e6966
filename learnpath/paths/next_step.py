"""The next step in a person's path when they finish a module (the module page's finish panel).

Registered with modules/finish.py from paths/hooks.py; one query whatever the number of paths.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, select

from learnpath.extensions import db
from learnpath.modules.finish import NextStep
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.modules.page_data import ModuleLink
from learnpath.paths.models import Enrolment, GrowthPath, PathStep


@dataclass
class _Path:
    slug: str
    title: str
    state: str
    order: tuple
    steps: list[tuple[int, bool]]  # (module id, optional) in order


# Built once (building it with its options cost as much CPU as running it); bound per request.
# Columns, not entities: the finish panel shows a module's slug, language, title and duration.
_PATHS = (
    select(PathStep.path_id, PathStep.module_id, PathStep.optional, GrowthPath.slug,
           GrowthPath.title_nl, GrowthPath.title_en, Enrolment.state, Enrolment.source,
           Enrolment.due_date, Enrolment.enrolled_at, Module.slug, Module.language,
           Module.status, ModuleVersion.title, ModuleVersion.duration, Completion.id)
    .join(Enrolment, Enrolment.path_id == PathStep.path_id)
    .join(GrowthPath, GrowthPath.id == PathStep.path_id)
    .join(Module, Module.id == PathStep.module_id)
    .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
    .outerjoin(Completion, and_(Completion.module_id == PathStep.module_id,
                                Completion.user_id == bindparam("user_id")))
    .where(Enrolment.user_id == bindparam("user_id"),
           Enrolment.state.in_(("active", "completed")))
    .order_by(PathStep.path_id, PathStep.position))


def _paths_of(user, locale: str) -> tuple[dict[int, _Path], dict[int, ModuleLink]]:
    """The person's paths with their steps, and the step modules still open to them: the
    published ones they have not completed (one query)."""
    paths: dict[int, _Path] = {}
    open_modules: dict[int, ModuleLink] = {}
    for (path_id, module_id, optional, slug, title_nl, title_en, state, source, due, at,
         module_slug, language, status, title, duration, completion_id) in \
            db.session.execute(_PATHS, {"user_id": user.id}):
        if path_id not in paths:
            title_shown = title_nl if locale == "nl" else title_en
            order = (state != "active", source != "assigned", due or date.max, at)
            paths[path_id] = _Path(slug, title_shown, state, order, [])
        paths[path_id].steps.append((module_id, optional))
        if completion_id is None and status == "published" and title is not None:
            open_modules[module_id] = ModuleLink(module_id, module_slug, language, title,
                                                 duration)
    return paths, open_modules


def _first_open(path: _Path, open_modules: dict[int, ModuleLink],
                current: int) -> ModuleLink | None:
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
