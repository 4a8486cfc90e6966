"""Forms for authors: a growth path with its targets and ordered steps."""

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
from wtforms.validators import Length, Optional

from learnpath.paths.authoring import MAX_STEPS, PATH_SLUG_MAX
from learnpath.skills.models import SKILL_LEVELS, skill_level_names
from learnpath.web.forms import select_choices
from learnpath.web.i18n import lazy_text as _l

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
MAX_TARGETS = 20

TOO_LONG = _l("Please use at most %(max)d characters.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def kind_choices():
    return select_choices([("horizontal", _l("Horizontal: broaden what you can do")),
                           ("vertical", _l("Vertical: toward a next role"))])


def level_choices():
    names = skill_level_names()
    return select_choices(
        (str(level), _l("Level %(level)d: %(name)s", level=level, name=names[level]))
        for level in SKILL_LEVELS)


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

    def set_skill_choices(self, pairs) -> None:
        """Offer these (slug, name) pairs in every target row."""
        choices = select_choices(pairs)
        for entry in self.targets:
            entry.form.skill.choices = choices

    def check_targets(self) -> bool:
        """Mark a skill chosen twice; True when the targets are fine."""
        seen = set()
        ok = True
        for entry in self.targets:
            skill = entry.form.skill.data
            if skill and skill in seen:
                entry.form.skill.errors = [*entry.form.skill.errors,
                                           _l("This skill is already a target of the path.")]
                ok = False
            seen.add(skill)
        return ok

    def validate_title_en(self, field):
        if not field.data and not self.title_nl.data:
            raise ValidationError(_l("Please give the path a title."))


class ActionForm(FlaskForm):
    """An empty form: a POST button with a CSRF token."""
