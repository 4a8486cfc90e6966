"""Growth path authoring: the author's list, the editor's data, its step changes, saving.

Plain functions on plain values and model objects; they flush, the caller commits. The
editor works on a plain dict (editor_data): title and description per language, kind,
targets [{"skill": slug, "level": "2"}], steps [{"module": slug, "optional": bool}], the
module to add (new_step) and loaded_at, the path's updated_at when the editor loaded it.
Saving turns that dict into the YAML a path file holds and runs the import's own validation
(catalog.parse_path) and storage (catalog.save_path), so the browser and `learnpath content
import` apply the same rules.
"""

from dataclasses import dataclass, field

import yaml
from sqlalchemy import case, func, select

from learnpath.extensions import db
from learnpath.modules import services as modules
from learnpath.modules.models import Module, ModuleVersion
from learnpath.paths import catalog
from learnpath.paths.models import Enrolment, GrowthPath, PathStep, PathTarget
from learnpath.skills.models import Skill
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l

PATH_STATUSES = ("draft", "published", "archived")
PATH_SLUG_MAX = 120
MAX_STEPS = 100
STEP_ACTIONS = ("up", "down", "remove")


class PathError(ValueError):
    """A refused authoring operation, with a message fit to show the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# The author's list and the editor's look-ups ------------------------------------------------


def path_list(locale: str) -> list[dict]:
    """Every path with its step, warning and enrolment counts, in three queries."""
    paths = sorted(db.session.scalars(select(GrowthPath)),
                   key=lambda p: (p.title(locale) or p.slug).lower())
    steps = {row.path_id: row for row in db.session.execute(
        select(PathStep.path_id, func.count(PathStep.id).label("steps"),
               func.sum(case((Module.status != "published", 1), else_=0))
               .label("unavailable"))
        .join(Module, Module.id == PathStep.module_id)
        .group_by(PathStep.path_id))}
    people = {row.path_id: row for row in db.session.execute(
        select(Enrolment.path_id,
               func.sum(case((Enrolment.state == "active", 1), else_=0)).label("active"),
               func.sum(case((Enrolment.state == "completed", 1), else_=0)).label("completed"))
        .group_by(Enrolment.path_id))}
    rows = []
    for path in paths:
        step_row, people_row = steps.get(path.id), people.get(path.id)
        rows.append({
            "path": path,
            "steps": step_row.steps if step_row else 0,
            "unavailable": int(step_row.unavailable or 0) if step_row else 0,
            "active": int(people_row.active or 0) if people_row else 0,
            "completed": int(people_row.completed or 0) if people_row else 0,
        })
    return rows


def paths_per_skill() -> dict[int, int]:
    """{skill id: number of paths leading to it}, for the author's skill list."""
    return dict(db.session.execute(
        select(PathTarget.skill_id, func.count(PathTarget.path_id))
        .group_by(PathTarget.skill_id)).all())



def get_path(slug: str) -> GrowthPath | None:
    return db.session.scalar(select(GrowthPath).where(GrowthPath.slug == slug))


def stamp(path: GrowthPath) -> str:
    """The version of a path an editor loaded: a save based on an older one is a conflict."""
    return path.updated_at.isoformat() if path.updated_at else ""


def new_editor_data() -> dict:
    return {"slug": "", "title_en": "", "title_nl": "", "description_en": "",
            "description_nl": "", "kind": "horizontal", "loaded_at": "", "new_step": "",
            "targets": [], "steps": []}


def editor_data(path: GrowthPath) -> dict:
    """The editor's data for a saved path: targets by skill slug, steps by module slug."""
    slugs = dict(db.session.execute(
        select(Module.id, Module.slug)
        .join(PathStep, PathStep.module_id == Module.id)
        .where(PathStep.path_id == path.id)).all())
    return {
        "title_en": path.title_en, "title_nl": path.title_nl,
        "description_en": path.description_en, "description_nl": path.description_nl,
        "kind": path.kind, "loaded_at": stamp(path), "new_step": "",
        "targets": [{"skill": t.skill.slug, "level": str(t.level)} for t in path.targets],
        "steps": [{"module": slugs[s.module_id], "optional": s.optional} for s in path.steps],
    }


def modules_by_slug(slugs) -> dict[str, Module]:
    """Modules with their current version, in two queries."""
    slugs = [s for s in set(slugs) if s]
    if not slugs:
        return {}
    return {m.slug: m for m in db.session.scalars(
        select(Module).options(db.selectinload(Module.current_version))
        .where(Module.slug.in_(slugs)))}


def module_options() -> list[tuple[str, str]]:
    """(slug, title) of every module that is not archived, for the step picker."""
    title = func.coalesce(ModuleVersion.title, Module.draft_title)
    return db.session.execute(
        select(Module.slug, title)
        .outerjoin(ModuleVersion,
                   ModuleVersion.id == Module.current_version_id)
        .where(Module.status != "archived").order_by(Module.slug)).all()


def followers(path: GrowthPath) -> int:
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.path_id == path.id, Enrolment.state == "active")) or 0


# Changing the steps in the editor (nothing is stored until Save) -----------------------------


def add_step(data: dict):
    """Append the module named in new_step; return an error message or None."""
    slug = slugify(data["new_step"])[:PATH_SLUG_MAX]
    module = modules.get_module(slug) if slug else None
    if module is None:
        return _l("Unknown module '%(slug)s'.", slug=data["new_step"])
    taken = [s["module"] for s in data["steps"]]
    if module.slug in taken:
        return _l("The module '%(slug)s' is already step %(n)d.", slug=module.slug,
                  n=taken.index(module.slug) + 1)
    if len(taken) >= MAX_STEPS:
        return _l("A path can have at most %(max)d steps.", max=MAX_STEPS)
    data["steps"].append({"module": module.slug, "optional": False})
    data["new_step"] = ""
    return None


def change_steps(data: dict, action: str, index: int) -> bool:
    """Move step `index` up or down, or remove it; False when there is no such step."""
    steps = data["steps"]
    if action not in STEP_ACTIONS or not 0 <= index < len(steps):
        return False
    if action == "remove":
        del steps[index]
    else:
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
    return True


@dataclass
class Preview:
    """What a learner would see: the path in the author's language and the steps."""

    title: str
    description: str
    other_title: str
    other_description: str
    kind: str
    targets: list[tuple[Skill, int]]
    steps: list[tuple[dict, Module | None]]


def preview(data: dict, step_modules: dict, known_skills: dict[str, Skill],
            locale: str) -> Preview:
    own, other = ("nl", "en") if locale == "nl" else ("en", "nl")

    def text(key, language):
        return data[f"{key}_{language}"] or data[f"{key}_{'en' if language == 'nl' else 'nl'}"]

    targets = [(known_skills[t["skill"]], t["level"]) for t in data["targets"]
               if t["skill"] in known_skills]
    return Preview(text("title", own), text("description", own), text("title", other),
                   text("description", other), data["kind"], targets,
                   [(step, step_modules.get(step["module"])) for step in data["steps"]])


# Saving --------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) < 4


def yaml_text(data: dict, slug: str) -> str:
    """The path as the YAML file `learnpath content export` would write."""
    document = {
        "slug": slug,
        "title": {"nl": data["title_nl"], "en": data["title_en"]},
        "description": {"nl": data["description_nl"], "en": data["description_en"]},
        "kind": data["kind"],
        "targets": [{"skill": t["skill"],
                     "level": int(t["level"]) if _is_number(t["level"]) else t["level"]}
                    for t in data["targets"] if t["skill"]],
        "steps": [{"module": s["module"], **({"optional": True} if s["optional"] else {})}
                  for s in data["steps"]],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def taken_message(slug: str):
    return _l("A path with the address '%(slug)s' already exists.", slug=slug)


def new_path_slug(value: str) -> str:
    """The slug for a new path; PathError when it is unusable or taken."""
    slug = slugify(value or "")
    if not slug:
        raise PathError(_l("Use letters, digits and hyphens for the address (slug)."))
    if get_path(slug) is not None:
        raise PathError(taken_message(slug))
    return slug


def create_path(data: catalog.PathData) -> GrowthPath:
    """Create a path as a draft from validated data; a taken slug raises IntegrityError."""
    path = GrowthPath(slug=data.slug, title_nl=data.title_nl, title_en=data.title_en,
                      kind=data.kind, status="draft")
    db.session.add(path)
    db.session.flush()
    catalog.save_path(data, path)
    return path


@dataclass
class SaveResult:
    """What saving the editor's data did: created, updated, unchanged (all stored), invalid
    (problems, nothing stored) or conflict (someone saved the path since it was loaded)."""

    outcome: str
    path: GrowthPath | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return self.outcome in ("created", "updated", "unchanged")


def save_editor_data(data: dict, slug: str, path: GrowthPath | None) -> SaveResult:
    """Validate the editor's data like the YAML import and store it (path None: create it).

    Two people creating the same slug at the same moment: the unique constraint refuses the
    second (IntegrityError at flush or commit, the caller's to report with taken_message).
    """
    result = catalog.PathFileResult(f"{slug}.yml", slug, "invalid")
    parsed = catalog.parse_path(yaml_text(data, slug), f"{slug}.yml", result)
    if parsed is None:
        return SaveResult("invalid", path, [p.message for p in result.errors])
    if path is not None and data["loaded_at"] != stamp(path):
        return SaveResult("conflict", path)
    if path is None:
        return SaveResult("created", create_path(parsed))
    path, outcome = catalog.save_path(parsed, path)
    return SaveResult(outcome, path)


def set_path_status(path: GrowthPath, status: str) -> None:
    if status not in PATH_STATUSES:
        raise ValueError(status)
    path.status = status
    db.session.flush()
