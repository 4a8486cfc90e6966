"""Map activity events to xAPI 1.0.3 statements.

`to_statement` is a pure function of one event and a `Lookups` of names; `statements_for` loads
the names for many events with a fixed number of queries (modules, their translations, paths,
questions), whatever the number of events.

Choices (see README, "xAPI and a Learning Record Store"):
- actor: an Agent identified by `account` {homePage: BASE_URL, name: an HMAC of the user id},
  never the e-mail or the name. An event whose person was erased (actor NULL) has no statement.
- statement id: uuid5 of the event id in a namespace derived from BASE_URL, so the same event
  always gives the same id (an LRS then ignores a second POST of it) and two installations
  never collide; the enrolment's registration is derived the same way.
- kudos ("shared") and pulse answers ("responded") are not exported: they are engagement data
  shown only as thresholded team aggregates, never per person to a third party.
"""

import hashlib
import hmac
import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import nh3
from flask import current_app
from sqlalchemy import select, tuple_

from learnpath.engagement.models import VERBS, ActivityEvent
from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion, Question
from learnpath.paths.models import GrowthPath
from learnpath.xapi.models import EXPORTED_TYPES

XAPI_VERSION = "1.0.3"
# Fixed root namespace of learnpath statement ids; the installation's BASE_URL is mixed in.
ROOT_NAMESPACE = uuid.UUID("5b1f7a4e-2c0d-4e57-9a53-6c1b0e9f4d21")
LANG_TAGS = {"nl": "nl-NL", "en": "en-US"}

ACTIVITY_TYPES = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "path": "http://adlnet.gov/expapi/activities/course",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
VERB_DISPLAY = {
    "experienced": ("experienced", "bekeek"),
    "answered": ("answered", "beantwoordde"),
    "completed": ("completed", "voltooide"),
    "passed": ("passed", "slaagde voor"),
    "failed": ("failed", "zakte voor"),
    "registered": ("registered", "schreef zich in voor"),
}


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _namespace() -> uuid.UUID:
    return uuid.uuid5(ROOT_NAMESPACE, base_url())


def statement_id(event_id: int) -> str:
    return str(uuid.uuid5(_namespace(), f"event:{event_id}"))


def registration_id(enrolment_id) -> str:
    return str(uuid.uuid5(_namespace(), f"enrolment:{enrolment_id}"))


def actor_name(user_id: int) -> str:
    """The opaque, stable per-person id in statements (not reversible without the key)."""
    key = current_app.config.get("XAPI_ACTOR_KEY") or current_app.config["SECRET_KEY"]
    return hmac.new(key.encode(), f"xapi-actor:{user_id}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def agent(user_id: int) -> dict:
    return {"objectType": "Agent",
            "account": {"homePage": base_url(), "name": actor_name(user_id)}}


def plain_text(markup: str, limit: int = 500) -> str:
    text = html.unescape(nh3.clean(markup or "", tags=set()))
    return re.sub(r"\s+", " ", text).strip()[:limit]


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they are stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


# Names, loaded in bulk ------------------------------------------------------------------------


@dataclass
class ModuleInfo:
    language: str
    names: dict  # {"nl-NL": title, "en-US": title} for the languages that exist


@dataclass
class QuestionInfo:
    language: str
    prompt: str
    choices: list[str]
    correct: list[int]
    multiple: bool
    blanks: list[str] = field(default_factory=list)  # a fill question's answers, in order


@dataclass
class Lookups:
    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    paths: dict[str, dict] = field(default_factory=dict)
    questions: dict[tuple[str, int, int], QuestionInfo] = field(default_factory=dict)


def _question_key(event: ActivityEvent) -> tuple[str, int, int] | None:
    slug, _, position = event.object_id.rpartition("#")
    version = (event.context or {}).get("version")
    if not slug or not position.isdigit() or not isinstance(version, int):
        return None
    return slug, version, int(position)


def load_lookups(events) -> Lookups:
    """Names of every module, path and question the events refer to: at most four queries."""
    lookups = Lookups()
    module_slugs = {e.object_id for e in events if e.object_type == "module"}
    question_keys = {k for e in events if e.object_type == "question"
                     for k in [_question_key(e)] if k}
    module_slugs |= {k[0] for k in question_keys}
    path_slugs = {e.object_id for e in events if e.object_type == "path"}

    if module_slugs:
        rows = db.session.execute(
            select(Module.slug, Module.language, Module.translation_group, ModuleVersion.title,
                   Module.draft_title)
            .join(ModuleVersion, ModuleVersion.id == Module.current_version_id, isouter=True)
            .where(Module.slug.in_(module_slugs))).all()
        groups = {r.translation_group for r in rows if r.translation_group}
        siblings: dict[str, dict] = {}
        if groups:
            for s in db.session.execute(
                    select(Module.language, Module.translation_group, ModuleVersion.title)
                    .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
                    .where(Module.translation_group.in_(groups))):
                if s.language in LANG_TAGS:
                    siblings.setdefault(s.translation_group, {})[LANG_TAGS[s.language]] = s.title
        for r in rows:
            names = dict(siblings.get(r.translation_group, {}))
            tag = LANG_TAGS.get(r.language, r.language)
            names[tag] = r.title or r.draft_title or r.slug
            lookups.modules[r.slug] = ModuleInfo(r.language, names)

    if path_slugs:
        for p in db.session.execute(
                select(GrowthPath.slug, GrowthPath.title_nl, GrowthPath.title_en)
                .where(GrowthPath.slug.in_(path_slugs))):
            lookups.paths[p.slug] = {"nl-NL": p.title_nl, "en-US": p.title_en}

    if question_keys:
        pairs = {(k[0], k[1]) for k in question_keys}
        for q in db.session.execute(
                select(Module.slug, Module.language, ModuleVersion.number, Question.position,
                       Question.prompt_html, Question.options, Question.multiple,
                       Question.kind)
                .join(ModuleVersion, ModuleVersion.module_id == Module.id)
                .join(Question, Question.version_id == ModuleVersion.id)
                .where(tuple_(Module.slug, ModuleVersion.number).in_(pairs))):
            key = (q.slug, q.number, q.position + 1)
            if key in question_keys:
                lookups.questions[key] = QuestionInfo(
                    q.language, plain_text(q.prompt_html),
                    [plain_text(o.get("html", "")) for o in q.options],
                    [i for i, o in enumerate(q.options) if o.get("correct")], q.multiple,
                    [o.get("answer", "") for o in q.options] if q.kind == "fill" else [])
    return lookups


# The mapping ----------------------------------------------------------------------------------


def exportable(event: ActivityEvent) -> bool:
    return (event.actor_id is not None and event.object_type in EXPORTED_TYPES
            and event.verb in VERB_DISPLAY)


def _activity(event: ActivityEvent, lookups: Lookups) -> tuple[dict, dict]:
    """The statement object and the context additions for one event."""
    base = base_url()
    context: dict = {}
    if event.object_type == "path":
        names = lookups.paths.get(event.object_id) or {"en-US": event.object_id}
        obj = {"objectType": "Activity", "id": f"{base}/paths/{event.object_id}",
               "definition": {"type": ACTIVITY_TYPES["path"], "name": names}}
        return obj, context
    if event.object_type == "module":
        info = lookups.modules.get(event.object_id)
        names = info.names if info else {"en-US": event.object_id}
        language = info.language if info else (event.context or {}).get("language")
        if language in LANG_TAGS:
            context["language"] = LANG_TAGS[language]
        obj = {"objectType": "Activity", "id": f"{base}/modules/{event.object_id}",
               "definition": {"type": ACTIVITY_TYPES["module"], "name": names}}
        return obj, context
    # A knowledge-check question: a cmi.interaction of type choice.
    key = _question_key(event)
    slug, version, position = key if key else (event.object_id.partition("#")[0], 0, 0)
    info = lookups.questions.get(key) if key else None
    module = lookups.modules.get(slug)
    definition: dict = {"type": ACTIVITY_TYPES["question"], "interactionType": "choice"}
    if info:
        tag = LANG_TAGS.get(info.language, "en-US")
        definition["name"] = {tag: info.prompt or f"{slug} #{position}"}
        if info.blanks:  # fill in the blank, compared without regard to case
            definition["interactionType"] = "fill-in"
            definition["correctResponsesPattern"] = [
                "{case_matters=false}" + "[,]".join(info.blanks)]
        else:
            definition["choices"] = [{"id": str(i), "description": {tag: text or str(i + 1)}}
                                     for i, text in enumerate(info.choices)]
            definition["correctResponsesPattern"] = ["[,]".join(str(i) for i in info.correct)]
        context["language"] = tag
    else:
        definition["name"] = {"en-US": event.object_id}
    obj = {"objectType": "Activity",
           "id": f"{base}/modules/{slug}/v{version}/questions/{position}",
           "definition": definition}
    parent = {"objectType": "Activity", "id": f"{base}/modules/{slug}",
              "definition": {"type": ACTIVITY_TYPES["module"],
                             "name": module.names if module else {"en-US": slug}}}
    context["contextActivities"] = {"parent": [parent]}
    return obj, context


def _result(event: ActivityEvent) -> dict:
    result: dict = {}
    if event.result_score is not None:
        result["score"] = {"scaled": round(max(-1.0, min(1.0, float(event.result_score))), 4)}
    if event.result_success is not None:
        result["success"] = bool(event.result_success)
    if event.verb == "completed":
        result["completion"] = True
    if event.result_response is not None:
        response = event.result_response
        if event.object_type == "question" and (event.context or {}).get("kind") != "fill":
            response = "[,]".join(p for p in response.split(",") if p != "")
        result["response"] = response
    return result


def to_statement(event: ActivityEvent, lookups: Lookups) -> dict | None:
    """The xAPI 1.0.3 statement for one event, or None when it is not exported."""
    if not exportable(event):
        return None
    obj, context = _activity(event, lookups)
    en, nl = VERB_DISPLAY[event.verb]
    statement = {
        "id": statement_id(event.id),
        "actor": agent(event.actor_id),
        "verb": {"id": VERBS[event.verb], "display": {"en-US": en, "nl-NL": nl}},
        "object": obj,
        "timestamp": iso(event.timestamp),
        "version": XAPI_VERSION,
    }
    result = _result(event)
    if result:
        statement["result"] = result
    review = (event.context or {}).get("review")
    if isinstance(review, dict):
        # A spaced-review answer (learnpath/reviews): the same "answered", marked as a review.
        context["extensions"] = {f"{base_url()}/xapi/extensions/review": review}
    registration = (event.context or {}).get("registration")
    if registration is not None:
        context["registration"] = registration_id(registration)
    context["platform"] = "learnpath"
    statement["context"] = context
    return statement


def statements_for(events) -> list[tuple[ActivityEvent, dict | None]]:
    """Each event with its statement (None when not exported), names loaded in bulk."""
    events = list(events)
    lookups = load_lookups([e for e in events if exportable(e)])
    return [(e, to_statement(e, lookups)) for e in events]
