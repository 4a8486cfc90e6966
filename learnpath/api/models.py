"""Personal access tokens: the secret is shown once and stored only as a SHA-256 hash."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.timeutil import utcnow

SCOPES = ("read", "read-write")


class PersonalAccessToken(db.Model):
    __tablename__ = "personal_access_tokens"
    __table_args__ = (
        CheckConstraint("scope IN ('read', 'read-write')", name="known_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # sha256 hex of the whole secret; a leaked database does not give usable tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16), default="read")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PersonalAccessToken {self.id} {self.prefix}… {self.scope}>"

    def allows(self, scope: str) -> bool:
        return scope == "read" or self.scope == "read-write"
