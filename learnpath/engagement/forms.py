"""Forms for pulse answers and kudos."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from learnpath.engagement.services import KUDOS_MAX
from learnpath.web.i18n import lazy_text as _l


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
