"""Check-in templates authors edit and add. Plain functions that flush; the caller commits.

A template is a row of check_in_templates; while a starter (kinds.TEMPLATES) has no row yet (a
database made without migration 0017's seed), the starter stands in, and saving it creates the
row. Check-ins refer to a template by its key, which never changes.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learnpath.conversations.kinds import LANGUAGES, TEMPLATES, CheckInTemplate
from learnpath.conversations.models import CheckInTemplateRow
from learnpath.extensions import db
from learnpath.modules.models import Module, ModuleVersion
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l

TITLE_MAX = 120
QUESTION_MAX = 300
QUESTIONS_MAX = 12


class TemplateError(ValueError):
    """Bad input an author can correct; `field` names the form field."""

    def __init__(self, message, field: str):
        super().__init__(str(message))
        self.field = field


def from_row(row: CheckInTemplateRow) -> CheckInTemplate:
    return CheckInTemplate(
        key=row.key, titles={"en": row.title_en, "nl": row.title_nl},
        module_slugs={lang: slug for lang, slug in (("en", row.module_en), ("nl", row.module_nl))
                      if slug},
        questions={"en": split_questions(row.questions_en),
                   "nl": split_questions(row.questions_nl)})


def split_questions(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def all_templates() -> dict[str, CheckInTemplate]:
    """Every template by key: the starters first, then the authors' own by English title."""
    rows = {row.key: row for row in db.session.scalars(select(CheckInTemplateRow))}
    found = {key: from_row(rows.pop(key)) if key in rows else starter
             for key, starter in TEMPLATES.items()}
    for row in sorted(rows.values(), key=lambda r: r.title_en.lower()):
        found[row.key] = from_row(row)
    return found


def get_template(key: str) -> CheckInTemplate | None:
    row = db.session.scalar(select(CheckInTemplateRow).where(CheckInTemplateRow.key == key))
    return from_row(row) if row else TEMPLATES.get(key)


def template_exists(key: str | None) -> bool:
    return bool(key) and get_template(key) is not None


def module_for(template: CheckInTemplate | None, language: str) -> tuple[str, str] | None:
    """(slug, title) of the published module this template's questions come from, in the
    reader's language if there is one, else in the other language."""
    if template is None:
        return None
    slugs = [s for s in (template.module_slugs.get(language),
                         *template.module_slugs.values()) if s]
    if not slugs:
        return None
    found = dict(db.session.execute(
        select(Module.slug, ModuleVersion.title)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Module.slug.in_(slugs), Module.status == "published")).all())
    return next(((slug, found[slug]) for slug in slugs if slug in found), None)


def module_choices(language: str) -> list[tuple[str, str]]:
    """(slug, title) of the published modules in this language, to draw questions from."""
    rows = db.session.execute(
        select(Module.slug, ModuleVersion.title, Module.language)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Module.status == "published").order_by(ModuleVersion.title))
    return [(slug, title) for slug, title, lang in rows
            if (lang or "").split("-")[0].lower() == language]


def _clean_title(value: str | None, field: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise TemplateError(_l("Give the template a title."), field)
    if len(value) > TITLE_MAX:
        raise TemplateError(_l("Keep the title under %(max)d characters.", max=TITLE_MAX),
                            field)
    return value


def _clean_questions(value: str | None, field: str) -> str:
    questions = split_questions(value)
    if not questions:
        raise TemplateError(_l("Write at least one question, one per line."), field)
    if len(questions) > QUESTIONS_MAX:
        raise TemplateError(_l("Keep it to %(max)d questions at most.", max=QUESTIONS_MAX),
                            field)
    if any(len(q) > QUESTION_MAX for q in questions):
        raise TemplateError(_l("Keep each question under %(max)d characters.",
                               max=QUESTION_MAX), field)
    return "\n".join(questions)


def _clean_module(value: str | None, language: str, field: str) -> str | None:
    if not value:
        return None
    if value not in {slug for slug, _title in module_choices(language)}:
        raise TemplateError(_l("Choose a published module in this language."), field)
    return value


def _new_key(title_en: str) -> str:
    base = (slugify(title_en) or "check-in")[:24].strip("-") or "check-in"
    taken = set(all_templates())
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _sent(token: str | None) -> CheckInTemplateRow | None:
    if not token:
        return None
    return db.session.scalar(select(CheckInTemplateRow)
                             .where(CheckInTemplateRow.submit_token == token))


def save_template(key: str | None, data: dict, token: str | None = None) -> CheckInTemplateRow:
    """Create (key None) or update a template from the editor's fields:
    title_en, title_nl, questions_en, questions_nl, module_en, module_nl. A new template's
    form token makes a second send of the same form return the first one's template."""
    token = (token or "")[:64] or None
    if key is None and (sent := _sent(token)) is not None:
        return sent
    values = {f"title_{lang}": _clean_title(data.get(f"title_{lang}"), f"title_{lang}")
              for lang in LANGUAGES}
    for lang in LANGUAGES:
        values[f"questions_{lang}"] = _clean_questions(data.get(f"questions_{lang}"),
                                                       f"questions_{lang}")
        values[f"module_{lang}"] = _clean_module(data.get(f"module_{lang}"), lang,
                                                 f"module_{lang}")
    row = None
    if key is not None:
        row = db.session.scalar(select(CheckInTemplateRow).where(CheckInTemplateRow.key == key))
        if row is None and key not in TEMPLATES:
            raise LookupError(key)
    if row is None:
        row = CheckInTemplateRow(key=key or _new_key(values["title_en"]),
                                 submit_token=token if key is None else None)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same new-template form sent twice at once
        sent = _sent(token)
        if sent is None:
            raise
        return sent
    return row


def editor_data(template: CheckInTemplate) -> dict:
    """The editor's fields for an existing template."""
    data = {}
    for lang in LANGUAGES:
        data[f"title_{lang}"] = template.titles.get(lang, "")
        data[f"questions_{lang}"] = "\n".join(template.questions.get(lang, ()))
        data[f"module_{lang}"] = template.module_slugs.get(lang, "")
    return data
