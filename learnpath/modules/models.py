"""Modules, their immutable published versions, questions, answers and completions."""

from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnpath.extensions import db
from learnpath.timeutil import utcnow

STATUSES = ("draft", "published", "archived")


class Module(db.Model):
    """A learning module: a slug with a working draft and a history of published versions."""

    __tablename__ = "modules"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="known_status"),
        # "What comes next" on a module page: the newest published modules of a language,
        # read in index order instead of sorting every module of the language (0009_perf).
        Index("ix_modules_language_status_version", "language", "status", "current_version_id"),
        # A module is (source key, language): en/python.md and nl/python.md are two modules
        # of one translation group, never one overwriting the other (0015_module_identity).
        UniqueConstraint("source_key", "language", name="uq_modules_source_key_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # A BCP 47 tag (nl, en, zh-CN, zh-Hant-TW); 35 characters is what RFC 5646 asks to keep.
    language: Mapped[str] = mapped_column(String(35), index=True)
    # The file name's slug ("python" for en/python.md and nl/python.md); the slug itself may
    # carry a language suffix (python-nl) to stay unique.
    source_key: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    # The nl and en variants of one module share a group key.
    translation_group: Mapped[str | None] = mapped_column(String(120), index=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_versions.id", use_alter=True, ondelete="SET NULL")
    )
    # The working text authors edit; publishing turns it into a new immutable version.
    draft_source: Mapped[str | None] = mapped_column(Text)
    draft_title: Mapped[str] = mapped_column(String(200), default="")
    # Optimistic lock: every saved edit increments it, so a stale save becomes a conflict.
    edit_count: Mapped[int] = mapped_column(Integer, default=0)
    # Folder inside the content directory that relative images resolve against.
    asset_dir: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    current_version: Mapped["ModuleVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )

    @property
    def title(self) -> str:
        if self.current_version is not None:
            return self.current_version.title
        return self.draft_title or self.slug  # a draft whose front matter never parsed

    @property
    def has_unpublished_changes(self) -> bool:
        if self.draft_source is None:
            return False
        return self.current_version is None or self.current_version.source != self.draft_source


class ModuleVersion(db.Model):
    """One published state of a module; never changed after it is written."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "number", name="uq_module_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(35))
    duration: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    translation_of: Mapped[str | None] = mapped_column(String(120))
    front_matter: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    toc_html: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # Why the author published a module longer than a micro module (0020_module_assets).
    publish_note: Mapped[str | None] = mapped_column(Text)
    # Derived, not authored: what the module page shows that is the same for everyone (the
    # candidates for "what comes next", the translation links, skill names, quiz options),
    # stamped with the PageStamp it was computed at; recomputed when stale (page_data.py,
    # 0021_version_precompute). The only column of a version that is ever rewritten.
    page_data: Mapped[dict | None] = mapped_column(JSON)

    module: Mapped[Module] = relationship(foreign_keys=[module_id])
    questions: Mapped[list["Question"]] = relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan"
    )


class PageStamp(db.Model):
    """One row: raised whenever something a version's page_data depends on changes (a module
    published, unpublished, archived, its translations linked; a skill renamed)."""

    __tablename__ = "module_page_stamps"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


# A database made with create_all (tests, bench/generate.py) has the stamp row a migrated one
# has (0021_version_precompute), so raising it is always an update.
event.listen(PageStamp.__table__, "after_create",
             DDL("INSERT INTO module_page_stamps (id, value) VALUES (1, 1)"))


class Question(db.Model):
    """A knowledge-check question of one version; options are stored with it."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("version_id", "position", name="uq_questions_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # "single", "multiple" or "fill" (learnpath.modules.quiz.KINDS)
    kind: Mapped[str] = mapped_column(String(8), default="single", server_default="single")
    # A fill question's prompt holds quiz.blank_token(i) where blank i goes.
    prompt_html: Mapped[str] = mapped_column(Text)
    # Choice: [{"html": "...", "correct": true, "feedback_html": "..."}, ...];
    # fill: [{"answer": "Paris"}, ...], one per blank.
    options: Mapped[list] = mapped_column(JSON)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    # The explanation shown after answering (the text after the options).
    feedback_html: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[ModuleVersion] = relationship(back_populates="questions")

    def correct_indexes(self) -> set[int]:
        return {i for i, option in enumerate(self.options) if option.get("correct")}

    def blank_answers(self) -> list[str]:
        return [option.get("answer", "") for option in self.options] if self.kind == "fill" else []


class QuizAttempt(db.Model):
    """One submission of a module's knowledge check by a learner."""

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The learner asked to see the correct answers after this attempt ("Show the answers").
    revealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    answers: Mapped[list["QuizAnswer"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan")


class QuizAnswer(db.Model):
    """The options a learner chose (or, for a fill question, the texts typed) for one
    question in one attempt."""

    __tablename__ = "quiz_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    selected: Mapped[list] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class Completion(db.Model):
    """A learner finished a module: one row per person and module; a repeat is no new row."""

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("user_id", "module_id", name="uq_completions_user_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                   index=True)
    score: Mapped[float | None] = mapped_column(Float)

    version: Mapped[ModuleVersion] = relationship()


class ModuleAsset(db.Model):
    """An image uploaded in the editor: checked, re-encoded without metadata, kept in the
    database so every host serves it (all state lives in the database)."""

    __tablename__ = "module_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
