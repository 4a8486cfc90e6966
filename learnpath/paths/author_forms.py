"""Forms for authors: a growth path with its targets and ordered steps, and a skill."""

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from learnpath.paths.models import SKILL_LEVELS, skill_level_names
from learnpath.web.i18n import lazy_text as _l

PATH_SLUG_MAX = 120
SKILL_SLUG_MAX = 80
TITLE_MAX = 200
NAME_MAX = 120
DESCRIPTION_MAX = 5000
CATEGORY_MAX = 40
URI_MAX = 255
MAX_STEPS = 100
MAX_TARGETS = 20

TOO_LONG = _l("Please use at most %(max)d characters.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def kind_choices():
    return [("horizontal", _l("Horizontal: broaden what you can do")),
            ("vertical", _l("Vertical: toward a next role"))]


def level_choices():
    names = skill_level_names()
    return [(str(level), _l("Level %(level)d: %(name)s", level=level, name=names[level]))
            for level in SKILL_LEVELS]


class TargetForm(Form):
    """One skill level the path leads to; a row without a skill is ignored."""

    skill = SelectField(_l("Skill"), choices=[])
    level = SelectField(_l("Level"), choices=level_choices, default="2")


class StepForm(Form):
    """One step: the module's slug (shown, not typed) and whether it is optional."""

    module = HiddenField()
    optional = BooleanField(_l("Optional"))


class PathForm(FlaskForm):
    slug = StringField(
        _l("Address (slug)"), filters=[strip],
        description=_l("Letters, digits and hyphens, like first-time-manager; learners find the "
                       "path at /paths/first-time-manager. It cannot be changed later."),
        validators=[Optional(), Length(max=PATH_SLUG_MAX, message=TOO_LONG)])
    title_en = StringField(_l("Title (English)"), filters=[strip],
                           validators=[Length(max=TITLE_MAX, message=TOO_LONG)])
    title_nl = StringField(_l("Title (Dutch)"), filters=[strip],
                           validators=[Length(max=TITLE_MAX, message=TOO_LONG)])
    description_en = TextAreaField(_l("Description (English)"), filters=[strip],
                                   validators=[Length(max=DESCRIPTION_MAX, message=TOO_LONG)])
    description_nl = TextAreaField(_l("Description (Dutch)"), filters=[strip],
                                   validators=[Length(max=DESCRIPTION_MAX, message=TOO_LONG)])
    kind = SelectField(_l("Kind"), choices=kind_choices, default="horizontal")
    targets = FieldList(FormField(TargetForm), max_entries=MAX_TARGETS)
    steps = FieldList(FormField(StepForm), max_entries=MAX_STEPS)
    new_step = StringField(
        _l("Add a module"), filters=[strip],
        description=_l("The module's address (slug), for example giving-feedback."),
        validators=[Length(max=PATH_SLUG_MAX, message=TOO_LONG)])
    # When the editor loaded the path: a save based on an older state is a conflict.
    loaded_at = HiddenField()

    def set_skill_choices(self, choices) -> None:
        for entry in self.targets:
            entry.form.skill.choices = choices

    def validate_title_en(self, field):
        if not field.data and not self.title_nl.data:
            raise ValidationError(_l("Please give the path a title."))


def http_url(_form, field):
    """Accept only an absolute http(s) address without spaces."""
    value = field.data or ""
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.netloc
            or any(ch.isspace() for ch in value)):
        raise ValidationError(_l("Please enter a web address starting with http:// or "
                                 "https://."))


class SkillForm(FlaskForm):
    name_en = StringField(_l("Name (English)"), filters=[strip], validators=[
        DataRequired(_l("Please enter a name.")), Length(max=NAME_MAX, message=TOO_LONG)])
    name_nl = StringField(_l("Name (Dutch)"), filters=[strip], validators=[
        DataRequired(_l("Please enter a name.")), Length(max=NAME_MAX, message=TOO_LONG)])
    description_en = TextAreaField(_l("Description (English)"), filters=[strip],
                                   validators=[Length(max=DESCRIPTION_MAX, message=TOO_LONG)])
    description_nl = TextAreaField(_l("Description (Dutch)"), filters=[strip],
                                   validators=[Length(max=DESCRIPTION_MAX, message=TOO_LONG)])
    category = StringField(_l("Category (optional)"), filters=[strip], validators=[
        Optional(), Length(max=CATEGORY_MAX, message=TOO_LONG)])
    esco_uri = StringField(
        _l("ESCO concept URI (optional)"), filters=[strip],
        description=_l("Only a URI you checked on the ESCO portal, for example "
                       "http://data.europa.eu/esco/skill/..."),
        validators=[Optional(), Length(max=URI_MAX, message=TOO_LONG), http_url])


class NewSkillForm(SkillForm):
    slug = StringField(
        _l("Address (slug)"), filters=[strip],
        description=_l("Letters, digits and hyphens, like giving-feedback; modules and paths "
                       "refer to the skill by it. It cannot be changed later."),
        validators=[DataRequired(_l("Please enter an address (slug).")),
                    Length(max=SKILL_SLUG_MAX, message=TOO_LONG)])


class ActionForm(FlaskForm):
    """An empty form: a POST button with a CSRF token."""
