"""Forms for kudos and action plans."""

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from learnpath.engagement.plans import ACTION_MAX
from learnpath.engagement.services import KUDOS_MAX
from learnpath.web.forms import MultiCheckboxField
from learnpath.web.i18n import lazy_text as _l

ONCE_MESSAGE = _l("This form is out of date. Reload the page and send your kudos again.")


class KudosForm(FlaskForm):
    to = SelectField(_l("Colleague"), coerce=str,
                     validators=[DataRequired(_l("Choose a colleague."))])
    message = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write a short message with your kudos.")),
        Length(max=KUDOS_MAX, message=_l("Keep the message under %(max)d characters."))])
    about = SelectField(_l("About (optional)"), coerce=str, validators=[Optional()],
                        validate_choice=True,
                        description=_l("Any growth path, or a module you finished yourself. "
                                       "What your colleague finished is not listed: that "
                                       "stays private."))
    # New with every form shown; sending the same form twice stores one kudos.
    once = HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[
        DataRequired(ONCE_MESSAGE), Length(max=64, message=ONCE_MESSAGE),
        Regexp(r"^[A-Za-z0-9_-]+$", message=ONCE_MESSAGE)])


PLAN_ONCE_MESSAGE = _l("This form is out of date. Reload the page and make the plan again.")


class PlanForm(FlaskForm):
    """An action plan: the month it answers, a focus, suggestions and up to two own actions.

    Counts and choices are checked by plans.checked_actions (one rule for every caller);
    lengths here too, so each error sits beside its field.
    """

    month = HiddenField(validators=[DataRequired(PLAN_ONCE_MESSAGE),
                                    Regexp(r"^\d{4}-\d{2}$", message=PLAN_ONCE_MESSAGE)])
    focus = HiddenField(validators=[DataRequired(_l("Choose what the plan focuses on."))])
    suggestions = MultiCheckboxField(_l("Suggested actions"), coerce=str,
                                     validate_choice=False)
    own_1 = StringField(_l("Your own action"), validators=[Length(
        max=ACTION_MAX, message=_l("Keep an action under %(max)d characters."))])
    own_2 = StringField(_l("A second action of your own (optional)"), validators=[Length(
        max=ACTION_MAX, message=_l("Keep an action under %(max)d characters."))])
    once = HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[
        DataRequired(PLAN_ONCE_MESSAGE), Length(max=64, message=PLAN_ONCE_MESSAGE),
        Regexp(r"^[A-Za-z0-9_-]+$", message=PLAN_ONCE_MESSAGE)])
