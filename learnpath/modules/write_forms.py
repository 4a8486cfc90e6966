"""Forms of the form editor: a new module from a starter, and the module's fields.

The question builder's fields are repeated per question (q-0-prompt, q-0-opt-1-text, ...) and
read by quiz_builder.from_form; QuestionFields only declares which of them are multi-line.
"""

from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from learnpath.modules.author_forms import default_language, language_choices, normalise_newlines
from learnpath.modules.frontmatter import LEVELS
from learnpath.modules.parsing import MAX_FILE_BYTES, MAX_SUMMARY, MAX_TITLE
from learnpath.modules.services import SLUG_MAX
from learnpath.modules.starters import STARTER_NAMES
from learnpath.skills import services as skills
from learnpath.web.forms import MultiCheckboxField, select_choices
from learnpath.web.i18n import lazy_text as _l

LEVEL_NAMES = {"beginner": _l("Beginner"), "intermediate": _l("Intermediate"),
               "advanced": _l("Advanced")}
TITLE_REQUIRED = _l("Please give the module a title.")


SLUG_HELP = _l("Letters, digits and hyphens; learners find the module at /modules/<address>. "
               "It can change until the first publish.")
NEW_SLUG_HELP = _l("Leave empty to make one from the title. Letters, digits and hyphens; it "
                   "can change until the first publish.")


def _slug_field(description=SLUG_HELP):
    return StringField(
        _l("Address (slug)"), description=description,
        validators=[Optional(), Length(max=SLUG_MAX, message=_l(
            "Please use at most %(max)d characters."))])


class NewWriteForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(TITLE_REQUIRED),
        Length(max=MAX_TITLE, message=_l("Please use at most %(max)d characters."))])
    slug = _slug_field(NEW_SLUG_HELP)
    language = SelectField(_l("Language of the module"), choices=language_choices,
                           default=default_language)
    starter = RadioField(
        _l("Start from"), default="concept",
        choices=select_choices((key, names[0]) for key, names in STARTER_NAMES.items()),
        validators=[DataRequired(_l("Please choose a starting point."))])


def skill_choices():
    locale = str(get_locale() or "en")
    return select_choices((slug, skill.name(locale))
                          for slug, skill in skills.skills_by_name().items())


def level_choices():
    return select_choices((level, LEVEL_NAMES[level]) for level in LEVELS)


class WriteForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        Length(max=MAX_TITLE, message=_l("Please use at most %(max)d characters."))])
    summary = TextAreaField(
        _l("Summary"), description=_l("One or two sentences: what the learner can do after."),
        filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v],
        validators=[Length(max=MAX_SUMMARY, message=_l(
            "Please use at most %(max)d characters."))])
    language = SelectField(_l("Language of the module"), choices=language_choices,
                           validate_choice=False)  # any BCP 47 tag; the parse checks it
    level = SelectField(_l("Level"), choices=level_choices)
    duration = StringField(
        _l("Duration in minutes"),
        description=_l("Leave empty to use the estimate."),
        validators=[Length(max=10)])
    skills = MultiCheckboxField(_l("Skills"), choices=skill_choices, validate_choice=False)
    tags = StringField(_l("Tags"), description=_l("Separated by commas."),
                       validators=[Length(max=500)])
    translation_of = StringField(
        _l("Translation of"),
        description=_l("The address of the same module in another language, if there is one."),
        validators=[Length(max=SLUG_MAX)])
    slug = _slug_field()
    body = TextAreaField(
        _l("Text"), filters=[normalise_newlines],
        validators=[Length(max=MAX_FILE_BYTES, message=_l(
            "The text is too long: use at most %(max)d characters."))])
    edit_count = HiddenField()
    image = FileField(_l("Image file"), description=_l("PNG, JPEG, GIF or WebP, at most 2 MB."))
    image_alt = StringField(_l("Describe the image (for people who cannot see it)"),
                            validators=[Length(max=200)])
    publish_note = TextAreaField(_l("Why publish it as it is?"),
                                 validators=[Length(max=1000)])


class QuestionFields(FlaskForm):
    """Declares the builder's multi-line fields (q-0-prompt, q-0-opt-1-feedback, ...)."""

    prompt = TextAreaField()
    feedback = TextAreaField()


def configured_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])
