"""The author's form for a skill: names, descriptions, category and ESCO concept."""

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from learnpath.skills.services import SKILL_SLUG_MAX
from learnpath.web.i18n import lazy_text as _l

NAME_MAX = 120
DESCRIPTION_MAX = 5000
CATEGORY_MAX = 40
URI_MAX = 255

TOO_LONG = _l("Please use at most %(max)d characters.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


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
