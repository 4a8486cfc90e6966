"""Skill operations: import from skills.yml and look-ups for other features."""

from dataclasses import dataclass, field

import yaml
from sqlalchemy import select

from learnpath.extensions import db
from learnpath.paths.models import Skill


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
