"""SCIM 2.0 provisioning (RFC 7643/7644) at /scim/v2, served by scim2-server.

scim2-server does the protocol (discovery, filters, sorting, paging, PATCH, ETags, errors
with their scimType) on scim2-models; this module gives it a storage. Each resource is kept
as its SCIM JSON in `scim_resources` (so a client reads back what it wrote) and every write
is carried over to the people and teams of learnpath in the same transaction:

- a User is a person: userName (when it is an e-mail address, else the primary or first
  e-mail, else the bare userName) is the sign-in e-mail address, displayName or
  name the name, active false deactivates the person (every session ends at once),
  preferredLanguage the language; the enterprise extension's manager must be a provisioned
  User, and becomes a manager of the person's team: their primary team, named by the
  attribute in LEARNPATH_SCIM_TEAM_ATTRIBUTE (default `department`);
- a Group is a team with exactly its members;
- deleting a User deactivates the person (their history stays); deleting a Group unlinks
  the team (it stays, with its people).

Clients authenticate with bearer tokens an admin creates; only their SHA-256 is stored.
"""

import hashlib
import secrets
import uuid
from datetime import datetime
from functools import cache
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from scim2_models import (
    InvalidValueException,
    NotFoundException,
    ScimProvider,
    UnauthorizedException,
    UniquenessException,
)
from scim2_server.applications.wsgi import WSGIApplication
from scim2_server.memory import InMemoryStorage
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME
from scim2_server.utils import (
    load_default_resource_types,
    load_default_schemas,
    load_default_service_provider_config,
)
from sqlalchemy import JSON, DateTime, ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from learnpath.accounts import services
from learnpath.accounts.models import NAME_MAX, Team, User
from learnpath.extensions import db
from learnpath.personal_data import register_personal_data
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
TOKEN_PREFIX = "lpscim_"


class ScimToken(db.Model):
    """A bearer token for a provisioning client (scope: SCIM only)."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScimResource(db.Model):
    """One provisioned SCIM resource, as the client wrote it, and what it maps to."""

    __tablename__ = "scim_resources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource_type: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    data: Mapped[dict] = mapped_column(JSON)


# Tokens --------------------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(name: str, actor: User | None) -> tuple[ScimToken, str]:
    """A new token and its secret (shown once). Flushes."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken(name=name.strip()[:80] or "SCIM", token_hash=_hash(secret),
                      prefix=secret[:12], created_by_id=actor.id if actor else None,
                      created_at=utcnow())
    db.session.add(token)
    db.session.flush()
    services.report_event("scim_token_created", actor=actor, label="web" if actor else "cli",
                details={"token": token.prefix, "name": token.name})
    return token, secret


def revoke_token(token: ScimToken, actor: User | None) -> None:
    token.revoked_at = token.revoked_at or utcnow()
    services.report_event("scim_token_revoked", actor=actor, details={"token": token.prefix})
    db.session.flush()


def list_tokens() -> list[ScimToken]:
    return db.session.scalars(select(ScimToken).order_by(ScimToken.id.desc())).all()


def token_for(secret: str) -> ScimToken | None:
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(select(ScimToken).where(
        ScimToken.token_hash == _hash(secret), ScimToken.revoked_at.is_(None)))


# The provider and the storage --------------------------------------------------------------


@cache
def provider() -> ScimProvider:
    config = load_default_service_provider_config()
    config.bulk.supported = False  # not announced: each request is one operation
    config.change_password.supported = False  # passwords are not provisioned
    config.authentication_schemes = [BEARER_TOKEN_SCHEME]
    return ScimProvider.from_discovery(load_default_schemas().values(),
                                       load_default_resource_types().values(), config=config)


@cache
def service() -> ScimService:
    return ScimService(provider(), secret=None)


def _email_of(data: dict) -> str | None:
    candidates = [data.get("userName")]
    emails = data.get("emails") or []
    candidates += [e.get("value") for e in emails if e.get("primary")]
    candidates += [e.get("value") for e in emails]
    for value in candidates:
        if not value:
            continue
        try:
            validate_email(str(value), check_deliverability=False)
        except EmailNotValidError:
            continue
        return services.normalise_email(str(value))
    # No e-mail address anywhere: the userName is the sign-in name (single sign-on and
    # e-mails then need an address, which a later update can bring).
    user_name = services.normalise_email(str(data.get("userName") or ""))
    return user_name[:254] or None


def _name_of(data: dict, email: str) -> str:
    name = data.get("name") or {}
    parts = " ".join(p for p in (name.get("givenName"), name.get("familyName")) if p)
    value = data.get("displayName") or name.get("formatted") or parts or email.partition("@")[0]
    return " ".join(str(value).split())[:NAME_MAX] or email


class DatabaseStorage(InMemoryStorage):
    """scim2-server's in-memory engine (filters, sorting, paging) over the stored resources,
    writing every change through to the database and to learnpath's people and teams."""

    def __init__(self):
        super().__init__(clock=utcnow)
        rows = db.session.scalars(select(ScimResource)).all()
        models = {rt.name: service().get_model(rt)
                  for rt in load_default_resource_types().values()}
        self.resources = [models[row.resource_type].model_validate(row.data) for row in rows]

    def generate_id(self, resource_type, resource) -> str:
        return uuid.uuid4().hex

    def next_version(self) -> str:
        return f'W/"{uuid.uuid4().hex[:16]}"'

    def create(self, resource_type, resource):
        stored = super().create(resource_type, resource)
        self._write(resource_type.name, stored, new=True)
        return stored

    def update(self, resource_type, resource, *, expected_version=None):
        stored = super().update(resource_type, resource, expected_version=expected_version)
        self._write(resource_type.name, stored, new=False)
        return stored

    def delete(self, resource_type, resource_id, *, expected_version=None):
        super().delete(resource_type, resource_id, expected_version=expected_version)
        row = db.session.get(ScimResource, resource_id)
        if row is None:
            raise NotFoundException
        if row.user_id is not None:
            user = db.session.get(User, row.user_id)
            if user.active:
                services.set_active(user, False)
            services.report_event("scim_user_deleted", label="scim", target=user)
        db.session.delete(row)
        db.session.flush()

    def _write(self, kind: str, resource, new: bool) -> None:
        data = resource.model_dump(mode="json", scim_ctx=None, by_alias=True, exclude_none=True)
        row = None if new else db.session.get(ScimResource, resource.id)
        if row is None:
            row = ScimResource(id=resource.id, resource_type=kind, data=data)
            db.session.add(row)
        row.data = data
        if kind == "User":
            _sync_user(row, data, new)
        elif kind == "Group":
            _sync_group(row, data)
        db.session.flush()


def _user_of_reference(value: Any, what: str) -> User:
    row = db.session.get(ScimResource, str(value or ""))
    if row is None or row.resource_type != "User" or row.user_id is None:
        raise InvalidValueException(detail=f"{what} {value!r} is not a provisioned User")
    return db.session.get(User, row.user_id)


def _sync_user(row: ScimResource, data: dict, new: bool) -> None:
    email = _email_of(data)
    if email is None:
        raise InvalidValueException(detail="userName is required")
    other = services.get_user_by_email(email)
    if row.user_id is None:
        if other is not None:
            taken = db.session.scalar(select(ScimResource.id).where(
                ScimResource.user_id == other.id))
            if taken:
                raise UniquenessException(detail=f"{email} is already provisioned")
            user = other  # someone imported before: provisioning takes them over
        else:
            user = services.create_user(email, _name_of(data, email))
        row.user_id = user.id
        action = "scim_user_created"
    else:
        user = db.session.get(User, row.user_id)
        if other is not None and other.id != user.id:
            raise UniquenessException(detail=f"{email} is already used by another person")
        action = "scim_user_updated"
    user.email = email
    user.display_name = _name_of(data, email)
    language = str(data.get("preferredLanguage") or data.get("locale") or "")[:2].lower()
    if language in current_app.config["LANGUAGES"]:
        user.locale = language
    active = data.get("active") is not False
    if active != user.active:
        services.set_active(user, active)  # deactivation ends every session at once
        action = "scim_user_deactivated" if not active else "scim_user_reactivated"
    enterprise = data.get(ENTERPRISE) or {}
    manager_ref = (enterprise.get("manager") or {}).get("value")
    manager = _user_of_reference(manager_ref, "manager") if manager_ref else None
    if manager is not None and manager.id == user.id:
        raise InvalidValueException(detail="a person cannot be their own manager")
    attribute = current_app.config.get("SCIM_TEAM_ATTRIBUTE") or "department"
    team_name = " ".join(str(enterprise.get(attribute) or data.get(attribute) or "").split())
    if team_name:
        team = services.get_team_by_name(team_name) or services.create_team(team_name[:NAME_MAX])
        services.set_primary_team(user, team)  # their engagement home (users.primary_team_id)
        if manager is not None:
            services.add_to_team(team, manager, "manager")
    db.session.flush()
    services.report_event(action, label="scim", target=user,
                details={"id": row.id} if new else {"id": row.id, "fields": "replaced"})


def _sync_group(row: ScimResource, data: dict) -> None:
    name = " ".join(str(data.get("displayName") or "").split())[:NAME_MAX]
    if not name:
        raise InvalidValueException(detail="displayName is required")
    team = db.session.get(Team, row.team_id) if row.team_id else None
    other = services.get_team_by_name(name)
    if team is None:
        if other is not None and db.session.scalar(select(ScimResource.id).where(
                ScimResource.team_id == other.id, ScimResource.id != row.id)):
            raise UniquenessException(detail=f"the team {name!r} is already provisioned")
        team = other or services.create_team(name)
        row.team_id = team.id
    elif other is not None and other.id != team.id:
        raise UniquenessException(detail=f"a team named {name!r} already exists")
    team.name = name
    members = [_user_of_reference(m.get("value"), "member")
               for m in data.get("members") or [] if m.get("type", "User") == "User"]
    services.set_team_people(team, "member", members)
    services.report_event("scim_group_changed", label="scim", details={"id": row.id, "team": name})


class LearnpathScim(WSGIApplication):
    def check_auth(self, request) -> None:
        scheme, _, secret = (request.header("Authorization") or "").partition(" ")
        token = token_for(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise UnauthorizedException
        db.session.execute(update(ScimToken).where(ScimToken.id == token.id)
                           .values(last_used_at=utcnow()))


def application() -> LearnpathScim:
    return LearnpathScim(DatabaseStorage(), provider(), service())


# Personal data -------------------------------------------------------------------------------


def _export_resources(user) -> list[dict]:
    rows = db.session.scalars(select(ScimResource).where(ScimResource.user_id == user.id))
    return [{"id": r.id, "resource_type": r.resource_type, "data": r.data} for r in rows]


def _erase_resources(user) -> None:
    for row in db.session.scalars(select(ScimResource).where(ScimResource.user_id == user.id)):
        db.session.delete(row)


def _export_tokens(user) -> list[dict]:
    rows = db.session.scalars(select(ScimToken).where(ScimToken.created_by_id == user.id))
    return [{"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None} for t in rows]


def _erase_tokens(user) -> None:
    db.session.execute(update(ScimToken).where(ScimToken.created_by_id == user.id)
                       .values(created_by_id=None))


def register() -> None:
    """Declare this module's personal data (called from accounts' personal_data)."""
    register_personal_data(
        ScimResource, export=_export_resources, erase=_erase_resources, section="scim",
        retention=_l("Provisioning data from your organisation's HR system (SCIM): kept while you "
                     "have an account."))
    register_personal_data(
        ScimToken, export=_export_tokens, erase=_erase_tokens, section="scim_tokens",
        retention=_l("Provisioning tokens you created: kept until revoked and deleted; erasure "
                     "removes your name from them."))
