"""Build the OpenBadgeCredential (Open Badges 3.0) of a path certificate.

The credential is served at its own `id` URL (hosted verification: whoever holds the JSON
fetches the id and compares). It is not signed with a proof: learnpath keeps no signing keys.
The recipient is identified by a salted SHA-256 hash of their e-mail address (OB 3.0
IdentityObject), never by the address itself: someone who knows the address can check it.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app, url_for
from sqlalchemy import select

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion
from learnpath.paths.models import Certificate, PathStep, PathTarget
from learnpath.skills.models import Skill

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TEXT = {
    "en": {"criteria": "Complete every required module of the growth path \"{title}\":",
           "no_steps": "Complete the growth path \"{title}\".",
           "level": "{name}, level {level} of 4",
           "description": "Completed the growth path \"{title}\"."},
    "nl": {"criteria": "Rond elke verplichte module van het groeipad \"{title}\" af:",
           "no_steps": "Rond het groeipad \"{title}\" af.",
           "level": "{name}, niveau {level} van 4",
           "description": "Heeft het groeipad \"{title}\" afgerond."},
}


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _external(endpoint: str, **values) -> str:
    return _base() + url_for(endpoint, **values)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict:
    """The organisation as an Open Badges issuer Profile."""
    return {
        "id": _external("badges.issuer"),
        "type": ["Profile"],
        "name": current_app.config.get("ORGANISATION_NAME") or "learnpath",
        "url": current_app.config.get("ORGANISATION_URL") or _base() + "/",
    }


def credential_id(cert: Certificate) -> str:
    return _external("badges.credential", token=cert.token)


def identity_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _salt(cert: Certificate) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"badge-salt:{cert.token}".encode(), hashlib.sha256).hexdigest()[:16]


def _language(user: User | None) -> str:
    locale = (getattr(user, "locale", None) or current_app.config.get("BABEL_DEFAULT_LOCALE")
              or "en")
    return "nl" if locale.startswith("nl") else "en"


def credential(cert: Certificate) -> dict:
    """The OpenBadgeCredential of one certificate (three queries: person, steps, skills)."""
    path = cert.path
    user = db.session.get(User, cert.user_id)
    lang = _language(user)
    text = TEXT[lang]
    title = path.title(lang)

    steps = db.session.execute(
        select(ModuleVersion.title, Module.slug)
        .select_from(PathStep).join(Module, Module.id == PathStep.module_id)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id, isouter=True)
        .where(PathStep.path_id == path.id, PathStep.optional.is_(False))
        .order_by(PathStep.position)).all()
    if steps:
        narrative = text["criteria"].format(title=title) + "\n\n" + "\n".join(
            f"{n}. {step.title or step.slug}" for n, step in enumerate(steps, 1))
    else:
        narrative = text["no_steps"].format(title=title)

    # The levels reached at completion (kept on the certificate), else the path's targets now.
    reached = list(cert.skills or [])
    if not reached:
        reached = [{"skill": t.skill.slug, "name_nl": t.skill.name_nl,
                    "name_en": t.skill.name_en, "level": t.level}
                   for t in db.session.scalars(select(PathTarget)
                                               .where(PathTarget.path_id == path.id))]
    slugs = [s["skill"] for s in reached]
    skills = {s.slug: s for s in db.session.scalars(select(Skill).where(Skill.slug.in_(slugs)))}
    alignment = []
    for item in reached:
        skill = skills.get(item["skill"])
        name = item.get(f"name_{lang}") or item["skill"]
        entry = {"type": ["Alignment"], "targetName": name,
                 "targetDescription": text["level"].format(name=name, level=item["level"]),
                 "targetCode": item["skill"]}
        if skill is not None and skill.esco_uri:
            entry.update(targetUrl=skill.esco_uri, targetFramework="ESCO",
                         targetType="ext:ESCOSkill")
        else:
            entry.update(targetUrl=_base() + url_for("paths.my_skills") + f"#{item['skill']}",
                         targetFramework=issuer_profile()["name"])
        alignment.append(entry)

    achievement = {
        "id": _base() + url_for("paths.show", slug=path.slug),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": title,
        "description": path.description(lang) or text["description"].format(title=title),
        "criteria": {"narrative": narrative},
        "inLanguage": lang,
        "creator": issuer_profile(),
    }
    if alignment:
        achievement["alignment"] = alignment
    salt = _salt(cert)
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                        "hashed": True, "identityHash": identity_hash(user.email, salt),
                        "salt": salt}],
        "achievement": achievement,
    }
    return {
        "@context": CONTEXT,
        "id": credential_id(cert),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "description": text["description"].format(title=title),
        "issuer": issuer_profile(),
        "validFrom": _iso(cert.issued_at),
        "awardedDate": _iso(cert.issued_at),
        "credentialSubject": subject,
    }
