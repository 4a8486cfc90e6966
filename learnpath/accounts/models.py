"""User, role and team tables."""

import secrets
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from learnpath.extensions import db
from learnpath.timeutil import utcnow

EMAIL_MAX = 254
NAME_MAX = 120


DEFAULT_PASSWORD_HASH_METHOD = "scrypt"


def password_hash_method() -> str:
    """The werkzeug method for new password hashes: the app's PASSWORD_HASH_METHOD, or scrypt."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_PASSWORD_HASH_METHOD
    return DEFAULT_PASSWORD_HASH_METHOD


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def new_pseudonym() -> str:
    """A random handle for a person (audit log, erased accounts); never derived from them."""
    return "p-" + secrets.token_hex(8)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the services, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    # Spaced review: questions a day at most (0 turns reviews off); learnpath/reviews.
    daily_reviews: Mapped[int] = mapped_column(SmallInteger, default=5, server_default="5")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login session id: rotating it ends every session and remember-me cookie.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Random, so audit entries name a person without their name; see learnpath/privacy.
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True, default=new_pseudonym)
    # Set when the person was erased: name and e-mail are then pseudonyms, the row a tombstone.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The person's engagement home (DESIGN.md section 6): one of their member teams. Figures
    # exist only for primary teams; other teams serve assignments and progress.
    primary_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL", use_alter=True,
                   name="fk_users_primary_team_id_teams"), index=True)
    # Shown on the admin people list: when the last invitation went out, the last sign-in.
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the last e-mail digest went out: at most one a day (paths.reminders).
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list["TeamMembership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint(
            "role IN ('employee', 'manager', 'author', 'hr', 'admin')", name="known_role"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list["TeamMembership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Team {self.id} {self.name}>"


class TeamMembership(db.Model):
    """A person's place in a team: as a member or as one of its managers."""

    __tablename__ = "team_memberships"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "kind", name="uq_team_memberships_team_user_kind"),
        CheckConstraint("kind IN ('member', 'manager')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    # When the person joined the team (NULL for memberships older than this column): the
    # 30-day conversation is suggested 30 days after it.
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")
