"""OpenID Connect single sign-on through Authlib: identities linked by (issuer, subject).

Configured by LEARNPATH_OIDC_ISSUER (discovery), LEARNPATH_OIDC_CLIENT_ID and
LEARNPATH_OIDC_CLIENT_SECRET. The code flow uses PKCE (S256), state and nonce (Authlib keeps
them in the session); the provider's discovery document must name exactly the configured
issuer. On first use an identity is matched to a person by verified e-mail address, or, for
an allowed domain (LEARNPATH_OIDC_JIT_DOMAINS), a person is created.
"""

from datetime import datetime

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnpath.accounts import services
from learnpath.accounts.models import EMAIL_MAX, User
from learnpath.extensions import db
from learnpath.personal_data import register_personal_data
from learnpath.timeutil import utcnow
from learnpath.web.i18n import lazy_text as _l

# What a failed exchange with the provider can raise, besides SsoError.
PROVIDER_ERRORS = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError)


class SsoIdentity(db.Model):
    """A person's account at an OpenID provider, as (issuer, subject)."""

    __tablename__ = "sso_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    # The e-mail address the provider gave when the identity was linked.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class SsoError(Exception):
    """A refused single sign-on, with a message fit to show and an HTTP status."""

    def __init__(self, message, status: int = 403):
        super().__init__(str(message))
        self.message = message
        self.status = status


def _split(value) -> list[str]:
    if isinstance(value, list | tuple | set):
        return [str(v).strip().lower() for v in value if str(v).strip()]
    return [v.strip().lower() for v in str(value or "").split(",") if v.strip()]


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def issuer() -> str:
    return str(current_app.config["OIDC_ISSUER"]).rstrip("/")


def sso_only() -> bool:
    return enabled() and bool(current_app.config.get("OIDC_SSO_ONLY"))


def is_break_glass(email: str) -> bool:
    return services.normalise_email(email) in _split(current_app.config.get(
        "OIDC_BREAK_GLASS_EMAILS"))


def client():
    """The Authlib client for the configured provider (one per app and configuration)."""
    config = current_app.config
    cache = current_app.extensions.setdefault("learnpath_oidc", {})
    key = (issuer(), config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET"))
    if key not in cache:
        oauth = OAuth(current_app)
        cache[key] = oauth.register(
            "oidc", client_id=config["OIDC_CLIENT_ID"],
            client_secret=config.get("OIDC_CLIENT_SECRET"),
            server_metadata_url=issuer() + "/.well-known/openid-configuration",
            client_kwargs={"scope": config.get("OIDC_SCOPES") or "openid email profile",
                           "code_challenge_method": "S256", "timeout": 10},
        )
    return cache[key]


def metadata() -> dict:
    """The provider's discovery document; refuses one that names another issuer."""
    try:
        found = client().load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("OpenID discovery failed: %s", error)
        raise SsoError(_l("The single sign-on provider cannot be reached. Please try again "
                          "later or sign in with your password."), 502) from None
    if str(found.get("issuer", "")).rstrip("/") != issuer():
        raise SsoError(_l("The single sign-on provider answered as an unknown issuer, so "
                          "nobody was signed in."), 502)
    return found


def check_callback_issuer(value: str | None) -> None:
    """RFC 9207: a callback naming another issuer comes from a provider we do not trust."""
    if value is not None and value.rstrip("/") != issuer():
        raise SsoError(_l("This sign-in response came from an unknown issuer, so nobody was "
                          "signed in."), 400)


def claims_of(token: dict) -> dict:
    """The ID token's claims (checked by Authlib: signature, issuer, audience, nonce), with
    the userinfo endpoint's answer for claims the ID token left out."""
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):  # no ID token or no nonce: Authlib did not check one
        raise SsoError(_l("The single sign-on provider sent no valid ID token."), 400)
    if "email" not in claims or "email_verified" not in claims:
        extra = client().userinfo(token=token)
        if extra.get("sub") != claims["sub"]:
            raise SsoError(_l("The single sign-on provider sent no valid ID token."), 400)
        for key, value in extra.items():
            claims.setdefault(key, value)
    return claims


def _verified(claims: dict) -> bool:
    """email_verified: true; or Microsoft Entra ID's xms_edov: true (the e-mail domain is
    verified by the tenant that owns it), since Entra ID sends no email_verified."""
    for key in ("email_verified", "xms_edov"):
        value = claims.get(key)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


def sign_in(claims: dict) -> User:
    """The person for these claims: by linked identity, else by verified e-mail (linking
    it), else created for an allowed domain. Flushes; the caller commits."""
    subject = str(claims["sub"])
    identity = db.session.scalar(select(SsoIdentity).where(
        SsoIdentity.issuer == issuer(), SsoIdentity.subject == subject))
    if identity is not None:
        user = identity.user
    else:
        email = services.normalise_email(claims.get("email") or "")
        if not email or not _verified(claims):
            raise SsoError(_l("Your organisation account has no verified e-mail address, so "
                              "it cannot be matched to a learnpath account."))
        user = services.get_user_by_email(email)
        created = False
        if user is None:
            domain = email.rpartition("@")[2]
            if domain not in _split(current_app.config.get("OIDC_JIT_DOMAINS")):
                raise SsoError(_l("There is no learnpath account for %(email)s, and accounts "
                                  "for %(domain)s are not created on sign-in. Please ask your "
                                  "administrator.", email=email, domain=domain))
            name = str(claims.get("name") or email.partition("@")[0])[:120]
            user = services.create_user(email, name)
            created = True
        if user.active and user.erased_at is None:
            identity = SsoIdentity(user=user, issuer=issuer(), subject=subject, email=email)
            db.session.add(identity)
            services.report_event("sso_linked", actor=user, target=user,
                        details={"issuer": issuer(), "created": created})
    if not user.active or user.erased_at is not None:
        raise SsoError(_l("This account has been deactivated. Please contact your "
                          "administrator."))
    identity.last_used_at = utcnow()
    services.record_sign_in(user)
    return user


def logout_url(id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL when it has one, else None (local sign-out only)."""
    if not enabled() or not id_token:
        return None
    try:
        if not metadata().get("end_session_endpoint"):
            return None
        return client().create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token,
            client_id=current_app.config["OIDC_CLIENT_ID"])["url"]
    except (SsoError, *PROVIDER_ERRORS):
        return None


def _export(user) -> list[dict]:
    rows = db.session.scalars(select(SsoIdentity).where(SsoIdentity.user_id == user.id)
                              .order_by(SsoIdentity.id))
    return [{"issuer": r.issuer, "subject": r.subject, "email": r.email,
             "created_at": r.created_at.isoformat() if r.created_at else None,
             "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None}
            for r in rows]


def _erase(user) -> None:
    db.session.execute(delete(SsoIdentity).where(SsoIdentity.user_id == user.id))


def register() -> None:
    """Declare this module's personal data (called from accounts' personal_data)."""
    register_personal_data(
        SsoIdentity, export=_export, erase=_erase, section="sso_identities",
        retention=_l("Single sign-on identities: kept while you have an account, so your "
                     "organisation account keeps signing you in."),
    )
