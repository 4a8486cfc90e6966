"""The profile's token form."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from learnpath.api.tokens import NAME_MAX
from learnpath.web.forms import select_choices
from learnpath.web.i18n import lazy_text as _l

EXPIRY_DAYS = ("30", "90", "365", "never")


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)],
                       description=_l("What the token is for, e.g. 'Power BI report'."))
    scope = SelectField(_l("Access"), choices=select_choices([
        ("read", _l("Read only")),
        ("read-write", _l("Read and write (enrol in and leave paths)")),
    ]), default="read")
    expires = SelectField(_l("Expires"), choices=select_choices([
        ("30", _l("In 30 days")), ("90", _l("In 90 days")), ("365", _l("In a year")),
        ("never", _l("Never")),
    ]), default="90")
