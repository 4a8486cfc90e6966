"""Growth paths with steps and target skill levels, enrolments and certificates."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnpath.extensions import db
from learnpath.skills.models import Skill
from learnpath.timeutil import utcnow


class GrowthPath(db.Model):
    """A route of modules toward skill levels: vertical (next role) or horizontal (broader)."""

    __tablename__ = "growth_paths"
    __table_args__ = (
        CheckConstraint("kind IN ('vertical', 'horizontal')", name="known_kind"),
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(12), default="horizontal")
    status: Mapped[str] = mapped_column(String(12), default="published", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    steps: Mapped[list["PathStep"]] = relationship(
        back_populates="path", order_by="PathStep.position", cascade="all, delete-orphan")
    targets: Mapped[list["PathTarget"]] = relationship(
        back_populates="path", cascade="all, delete-orphan")

    def title(self, locale: str) -> str:
        return self.title_nl if locale == "nl" else self.title_en

    def description(self, locale: str) -> str:
        return self.description_nl if locale == "nl" else self.description_en


class PathTarget(db.Model):
    """A skill level the path leads to (1-4)."""

    __tablename__ = "path_targets"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    path_id: Mapped[int] = mapped_column(ForeignKey("growth_paths.id", ondelete="CASCADE"),
                                         primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"),
                                          primary_key=True)
    level: Mapped[int] = mapped_column(Integer)

    path: Mapped[GrowthPath] = relationship(back_populates="targets")
    skill: Mapped[Skill] = relationship(lazy="joined")


class PathStep(db.Model):
    """One module in a path, in order; optional steps do not count toward completion."""

    __tablename__ = "path_steps"
    __table_args__ = (UniqueConstraint("path_id", "module_id", name="uq_path_steps_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("growth_paths.id", ondelete="CASCADE"),
                                         index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer)
    optional: Mapped[bool] = mapped_column(Boolean, default=False)

    path: Mapped[GrowthPath] = relationship(back_populates="steps")


class Enrolment(db.Model):
    """A person on a path: chosen themselves or assigned by a manager (one row per pair)."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("user_id", "path_id", name="uq_enrolments_user_path"),
        CheckConstraint("source IN ('self', 'assigned')", name="known_source"),
        CheckConstraint("state IN ('active', 'completed', 'withdrawn')", name="known_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("growth_paths.id", ondelete="CASCADE"),
                                         index=True)
    source: Mapped[str] = mapped_column(String(10))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="active", index=True)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    path: Mapped[GrowthPath] = relationship()


class Certificate(db.Model):
    """Proof of a completed path, shareable through an unguessable link."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("growth_paths.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # [{"skill": slug, "name_nl": ..., "name_en": ..., "level": n}] as reached at completion
    skills: Mapped[list] = mapped_column(JSON, default=list)

    path: Mapped[GrowthPath] = relationship()
