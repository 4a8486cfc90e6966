"""Forms for pulse answers and kudos."""

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from learnpath.engagement.services import KUDOS_MAX
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
