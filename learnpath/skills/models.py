"""Skills with their four levels, and the level a person has reached in a skill."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnpath.extensions import db
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

SKILL_LEVELS = (1, 2, 3, 4)


def skill_level_names() -> dict[int, str]:
    """The names of the four skill levels, in the person's language."""
    return {1: _l("Foundation"), 2: _l("Practising"), 3: _l("Proficient"), 4: _l("Expert")}


class Skill(db.Model):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(40))
    esco_uri: Mapped[str | None] = mapped_column(String(255))

    def name(self, locale: str) -> str:
        return self.name_nl if locale == "nl" else self.name_en


class UserSkill(db.Model):
    """The level a person has reached in a skill (raised by completing paths)."""

    __tablename__ = "user_skills"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"),
                                          primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    skill: Mapped[Skill] = relationship(lazy="joined")
