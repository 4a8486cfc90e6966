"""Skills: import from and export to skills.yml, look-ups for other features, authoring."""

from collections.abc import Callable
from dataclasses import dataclass, field

import yaml
from sqlalchemy import select

from learnpath.extensions import db
from learnpath.signals import skills_changed
from learnpath.skills.models import Skill
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l

SKILL_SLUG_MAX = 80


@dataclass
class SkillImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _text(value, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or value.get("nl") or "").strip()
    return str(value or "").strip()


def import_skills(text: str, filename: str = "skills.yml") -> SkillImportReport:
    """Create or update skills from the YAML list in skills.yml; never deletes."""
    report = SkillImportReport()
    try:
        items = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", error)
        report.errors.append(f"{filename}{where}: invalid YAML ({problem})")
        return report
    if not isinstance(items, list):
        report.errors.append(f"{filename}: expected a list of skills")
        return report
    existing = {s.slug: s for s in db.session.scalars(select(Skill))}
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("slug"):
            report.errors.append(f"{filename}: skill #{index} has no slug")
            continue
        slug = str(item["slug"]).strip().lower()
        values = {
            "name_nl": _text(item.get("name"), "nl")[:120] or slug,
            "name_en": _text(item.get("name"), "en")[:120] or slug,
            "description_nl": _text(item.get("description"), "nl"),
            "description_en": _text(item.get("description"), "en"),
            "category": (str(item["category"]) if item.get("category") else None),
            "esco_uri": (str(item["esco"]) if item.get("esco") else None),
        }
        skill = existing.get(slug)
        if skill is None:
            skill = Skill(slug=slug, **values)
            db.session.add(skill)
            existing[slug] = skill
            report.created += 1
        elif any(getattr(skill, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(skill, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
    skills_changed.send(None)  # module pages keep skill names (modules/page_data.py)
    return report


def export_skills(target) -> int:
    """Write every skill to target/skills.yml in the format import_skills reads."""
    items = []
    for skill in db.session.scalars(select(Skill).order_by(Skill.slug)):
        item = {"slug": skill.slug, "name": {"nl": skill.name_nl, "en": skill.name_en},
                "description": {"nl": skill.description_nl, "en": skill.description_en}}
        if skill.category:
            item["category"] = skill.category
        if skill.esco_uri:
            item["esco"] = skill.esco_uri
        items.append(item)
    if items:
        target.mkdir(parents=True, exist_ok=True)
        (target / "skills.yml").write_text(
            yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(items)


def known_skill_slugs() -> set[str]:
    return set(db.session.scalars(select(Skill.slug)))


def skills_by_slug(slugs) -> dict[str, Skill]:
    slugs = list(slugs)
    if not slugs:
        return {}
    return {s.slug: s for s in db.session.scalars(select(Skill).where(Skill.slug.in_(slugs)))}


# Authoring ----------------------------------------------------------------------------------

SKILL_FIELDS = ("name_en", "name_nl", "description_en", "description_nl", "category",
                "esco_uri")

# How many growth paths lead to each skill ({skill id: count}), for the author's skill list.
# Paths sit above skills (DESIGN.md section 3), so skills cannot ask them: paths plugs its
# counter in at app start (paths/hooks.py).
_path_counter: Callable[[], dict[int, int]] | None = None


def register_path_counter(counter: Callable[[], dict[int, int]]) -> None:
    global _path_counter
    _path_counter = counter


def skill_list() -> list[tuple[Skill, int]]:
    """Skills with the number of paths that lead to them, in two queries."""
    used = _path_counter() if _path_counter is not None else {}
    skills = db.session.scalars(select(Skill).order_by(Skill.category, Skill.slug)).all()
    return [(skill, used.get(skill.id, 0)) for skill in skills]


def get_skill(slug: str) -> Skill | None:
    return db.session.scalar(select(Skill).where(Skill.slug == slug))


def skill_categories() -> list[str]:
    """The categories in use, for the author's suggestions."""
    return sorted({c for c in db.session.scalars(select(Skill.category).distinct()) if c})


def skills_by_name() -> dict[str, Skill]:
    """Every skill by slug, ordered by English name (the path editor's target picker)."""
    return {s.slug: s for s in db.session.scalars(select(Skill).order_by(Skill.name_en))}


class SkillError(ValueError):
    """A refused skill operation, with a message fit to show the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise_slug(slug: str) -> str:
    return slugify(slug or "")[:SKILL_SLUG_MAX]


def taken_message(slug: str):
    return _l("A skill with the address '%(slug)s' already exists.", slug=slug)


def create_skill(slug: str, values: dict) -> Skill:
    """Create a skill at the slugified address; SkillError when it is unusable or taken.

    Two people creating the same slug at the same moment: the unique constraint refuses the
    second at flush or commit (IntegrityError, the caller's to report with taken_message).
    """
    normalised = normalise_slug(slug)
    if not normalised:
        raise SkillError(_l("Use letters, digits and hyphens for the address (slug)."))
    if get_skill(normalised) is not None:
        raise SkillError(taken_message(normalised))
    return save_skill(None, normalised, values)


def save_skill(skill: Skill | None, slug: str, values: dict) -> Skill:
    """Create (skill None) or update a skill; empty optional values are stored as None."""
    values = {**values, "category": values.get("category") or None,
              "esco_uri": values.get("esco_uri") or None}
    if skill is None:
        skill = Skill(slug=slug)
        db.session.add(skill)
    for key in SKILL_FIELDS:
        setattr(skill, key, values[key])
    db.session.flush()
    skills_changed.send(None)  # module pages keep skill names (modules/page_data.py)
    return skill
