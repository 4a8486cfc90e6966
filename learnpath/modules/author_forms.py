"""Forms for the author pages: a new module, the editor, the upload and plain action buttons."""

import json

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from learnpath.modules.parsing import MAX_FILE_BYTES
from learnpath.modules.services import SLUG_MAX
from learnpath.web.forms import select_choices
from learnpath.web.i18n import LANGUAGE_NAMES
from learnpath.web.i18n import lazy_text as _l


def normalise_newlines(value):
    """Browsers send textarea lines with CRLF; store and compare the text with LF only."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def language_choices():
    return select_choices((code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"])


def default_language() -> str:
    locale = str(get_locale() or "")
    return locale if locale in current_app.config["LANGUAGES"] else "en"


def _yaml(text: str) -> str:
    # A JSON string is a valid YAML scalar, whatever a translation puts in it.
    return json.dumps(text, ensure_ascii=False)


def starter_text() -> str:
    """A small valid module to start from, in the author's interface language."""
    return (
        "---\n"
        f"title: {_yaml(_('A new module'))}\n"
        f"summary: {_yaml(_('What the learner can do after these few minutes.'))}\n"
        "duration: 5\n"
        "level: beginner\n"
        "skills: []\n"
        "tags: []\n"
        "---\n"
        "\n"
        f"# {_('A new module')}\n"
        "\n"
        f"{_('Start with why this matters, then give one idea the learner can use today.')}\n"
        "\n"
        f"## {_('Try it')}\n"
        "\n"
        f"- {_('A first concrete step')}\n"
        f"- {_('A second concrete step')}\n"
        "\n"
        "<quiz>\n"
        f"{_('What is the first step?')}\n"
        f"- [x] {_('A first concrete step')}\n"
        f"- [ ] {_('Something else')}\n"
        "\n"
        f"{_('Feedback shown after answering: explain why.')}\n"
        "</quiz>\n"
    )


def source_field():
    return TextAreaField(
        _l("Text (Markdown)"),
        filters=[normalise_newlines],
        validators=[DataRequired(_l("Please write the text of the module.")),
                    Length(max=MAX_FILE_BYTES, message=_l(
                        "The text is too long: use at most %(max)d characters."))],
    )


class NewModuleForm(FlaskForm):
    slug = StringField(
        _l("Address (slug)"),
        description=_l("Letters, digits and hyphens, like giving-feedback; learners find the "
                       "module at /modules/giving-feedback."),
        validators=[DataRequired(_l("Please enter an address (slug).")),
                    Length(max=SLUG_MAX, message=_l("Please use at most %(max)d characters."))],
    )
    language = SelectField(_l("Language"), choices=language_choices, default=default_language)
    source = source_field()


class EditorForm(FlaskForm):
    source = source_field()
    # The module.edit_count the editor loaded: a save based on an older one is a conflict.
    edit_count = HiddenField()


class UploadForm(FlaskForm):
    file = FileField(
        _l("Markdown file or .zip"),
        description=_l("A .md file, or a .zip with several. A file with the address of an "
                       "existing module publishes a new version of it."),
        validators=[FileRequired(_l("Please choose a file.")),
                    FileAllowed(["md", "markdown", "zip"],
                                _l("Please choose a .md or .zip file."))],
    )
    language = SelectField(
        _l("Language of files that do not say"), choices=language_choices,
        default=default_language)


class ActionForm(FlaskForm):
    """An empty form: a POST button with a CSRF token."""
