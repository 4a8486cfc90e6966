"""Growth paths as YAML files (content/paths/*.yml): import with located errors, export."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select

from learnpath.extensions import db
from learnpath.modules import services as modules
from learnpath.modules.problems import Problem
from learnpath.paths.enrolments import recheck_path
from learnpath.paths.models import GrowthPath, PathStep, PathTarget
from learnpath.skills.models import Skill
from learnpath.slugs import slugify
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

KINDS = ("vertical", "horizontal")
STATUSES = ("draft", "published", "archived")


@dataclass
class PathFileResult:
    name: str
    slug: str
    status: str  # created, updated, unchanged or invalid
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _line(node) -> int | None:
    return node.start_mark.line + 1 if node is not None and node.start_mark else None


def _child(node, key):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node
    return None


def _texts(value) -> tuple[str, str]:
    if isinstance(value, dict):
        nl = str(value.get("nl") or value.get("en") or "").strip()
        en = str(value.get("en") or value.get("nl") or "").strip()
        return nl, en
    text = str(value or "").strip()
    return text, text


@dataclass
class PathData:
    slug: str
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    kind: str
    targets: list[tuple[int, int]]  # (skill id, level)
    steps: list[tuple[int, bool]]  # (module id, optional)
    status: str | None = None  # draft, published or archived; None: keep (new paths: published)


def _load(text: str, result: PathFileResult):
    """(readable, YAML node tree, data) of a path file; not readable: the error is noted."""
    try:
        return True, yaml.compose(text), yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        result.errors.append(Problem(_l("Invalid YAML: %(problem)s",
                                        problem=getattr(error, "problem", None) or str(error)),
                                     mark.line + 1 if mark else None,
                                     mark.column + 1 if mark else None))
        return False, None, None


def _status(data: dict, root, result: PathFileResult) -> str | None:
    status = data.get("status")
    if status is None:
        return None
    status = str(status).strip().lower()
    if status not in STATUSES:
        result.errors.append(Problem(_l("status must be draft, published or archived."),
                                     _line(_child(root, "status"))))
    return status


def _targets(data: dict, root, result: PathFileResult) -> list[tuple[int, int]]:
    """(skill id, level) of each valid target; the others become located errors."""
    skills = {s.slug: s.id for s in db.session.scalars(select(Skill))}
    targets = []
    targets_node = _child(root, "targets")
    for index, item in enumerate(data.get("targets") or []):
        node = targets_node.value[index] if isinstance(targets_node, yaml.SequenceNode) else None
        skill = str((item or {}).get("skill", "")) if isinstance(item, dict) else ""
        level = item.get("level") if isinstance(item, dict) else None
        if skill not in skills:
            result.errors.append(Problem(_l("Unknown skill '%(skill)s'.", skill=skill),
                                         _line(node)))
        elif not isinstance(level, int) or not 1 <= level <= 4:
            result.errors.append(Problem(_l("A skill level must be a whole number from 1 to 4."),
                                         _line(node)))
        elif any(skill_id == skills[skill] for skill_id, _level in targets):
            result.errors.append(Problem(_l("The skill '%(skill)s' is already a target.",
                                            skill=skill), _line(node)))
        else:
            targets.append((skills[skill], level))
    return targets


def _step(item, line, seen: dict, result: PathFileResult):
    """The module of one step, or None with the error noted; archived ones get a warning."""
    if isinstance(item, str):
        item = {"module": item}
    if not isinstance(item, dict) or not item.get("module"):
        result.errors.append(Problem(_l("A step needs a module slug."), line))
        return None, False
    module_slug = str(item["module"]).strip()
    module = modules.get_module(module_slug)
    if module is None:
        result.errors.append(Problem(_l("Unknown module '%(slug)s'.", slug=module_slug), line))
        return None, False
    if module.id in seen:
        result.errors.append(Problem(_l("The module '%(slug)s' is already step %(n)d.",
                                        slug=module_slug, n=seen[module.id]), line))
        return None, False
    if module.status == "archived":
        result.warnings.append(Problem(
            _l("The module '%(slug)s' is archived; the path can be completed without it.",
               slug=module_slug), line))
    return module, bool(item.get("optional", False))


def _steps(data: dict, root, result: PathFileResult) -> list[tuple[int, bool]]:
    """(module id, optional) of each valid step; the others become located errors."""
    steps_node = _child(root, "steps")
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list) or not raw_steps:
        result.errors.append(Problem(_l("The path has no steps."),
                                     _line(steps_node) or _line(root)))
        raw_steps = []
    steps, seen = [], {}
    for index, item in enumerate(raw_steps):
        node = steps_node.value[index] if isinstance(steps_node, yaml.SequenceNode) else None
        module, optional = _step(item, _line(node), seen, result)
        if module is not None:
            seen[module.id] = len(steps) + 1
            steps.append((module.id, optional))
    if steps and all(optional for _, optional in steps):
        result.errors.append(Problem(_l("At least one step must be required."),
                                     _line(steps_node)))
    return steps


def parse_path(text: str, filename: str, result: PathFileResult) -> PathData | None:
    """Validate one path file; errors carry the file line."""
    readable, root, data = _load(text, result)
    if not readable:
        return None
    if not isinstance(data, dict):
        result.errors.append(Problem(_l("A path file must be a mapping of keys to values."), 1))
        return None
    slug = slugify(str(data.get("slug") or Path(filename).stem))
    result.slug = slug
    title_nl, title_en = _texts(data.get("title"))
    if not title_en:
        result.errors.append(Problem(_l("The path has no title."), _line(root)))
    description_nl, description_en = _texts(data.get("description"))
    kind = str(data.get("kind") or "horizontal").strip().lower()
    if kind not in KINDS:
        result.errors.append(Problem(_l("kind must be vertical or horizontal."),
                                     _line(_child(root, "kind"))))
    status = _status(data, root, result)
    targets = _targets(data, root, result)
    steps = _steps(data, root, result)
    if result.errors:
        return None
    return PathData(slug, title_nl[:200], title_en[:200], description_nl, description_en,
                     kind, targets, steps, status)


def _current(path: GrowthPath) -> PathData:
    return PathData(path.slug, path.title_nl, path.title_en, path.description_nl,
                     path.description_en, path.kind,
                     sorted((t.skill_id, t.level) for t in path.targets),
                     [(s.module_id, s.optional) for s in path.steps], path.status)


def save_path(data: PathData, path: GrowthPath | None = None) -> tuple[GrowthPath, str]:
    """Create or update a path from validated data; steps are replaced, progress recomputes."""
    status = "created"
    if path is None:
        path = db.session.scalar(select(GrowthPath).where(GrowthPath.slug == data.slug))
    if path is not None:
        wanted = PathData(**{**data.__dict__, "targets": sorted(data.targets),
                              "status": data.status or path.status})
        if _current(path) == wanted:
            return path, "unchanged"
        status = "updated"
    else:
        path = GrowthPath(slug=data.slug, status="published")
        db.session.add(path)
    for key in ("title_nl", "title_en", "description_nl", "description_en", "kind"):
        setattr(path, key, getattr(data, key))
    if data.status:
        path.status = data.status
    path.updated_at = utcnow()
    path.targets.clear()
    path.steps.clear()
    db.session.flush()
    for skill_id, level in data.targets:
        path.targets.append(PathTarget(skill_id=skill_id, level=level))
    for position, (module_id, optional) in enumerate(data.steps):
        path.steps.append(PathStep(module_id=module_id, position=position, optional=optional))
    db.session.flush()
    recheck_path(path)
    return path, status


def import_path_text(text: str, name: str) -> PathFileResult:
    result = PathFileResult(name, slugify(Path(name).stem), "invalid")
    data = parse_path(text, name, result)
    if data is not None:
        with db.session.begin_nested():
            _path, result.status = save_path(data)
    return result


def export_paths(target: Path) -> int:
    """Write every path as YAML into target/paths/<slug>.yml."""
    folder = target / "paths"
    count = 0
    for path in db.session.scalars(select(GrowthPath).order_by(GrowthPath.slug)):
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "slug": path.slug,
            "title": {"nl": path.title_nl, "en": path.title_en},
            "description": {"nl": path.description_nl, "en": path.description_en},
            "kind": path.kind,
            "status": path.status,
            "targets": [{"skill": t.skill.slug, "level": t.level} for t in path.targets],
            "steps": [{"module": modules.get_module_by_id(s.module_id).slug,
                       **({"optional": True} if s.optional else {})} for s in path.steps],
        }
        (folder / f"{path.slug}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        count += 1
    return count

