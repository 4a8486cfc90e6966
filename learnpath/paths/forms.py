"""Forms for enrolling and for managers assigning paths."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from learnpath.web.dates import LocalDateField
from learnpath.web.forms import FastSelect
from learnpath.web.i18n import lazy_text as _l

NOTE_MAX = 1000


class AssignForm(FlaskForm):
    path = SelectField(_l("Growth path"), validators=[DataRequired(_l("Choose a path."))],
                       widget=FastSelect())
    # Not checked against the offered choices: whether the manager may assign to this person
    # or team is decided by the service (403 when not theirs), the form only checks the shape.
    target = SelectField(_l("Assign to"), validators=[DataRequired(_l("Choose a person or team."))],
                         widget=FastSelect(), validate_choice=False)
    due_date = LocalDateField(_l("Due date (optional)"), validators=[Optional()])
    note = TextAreaField(_l("A personal note (optional)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Please use at most %(max)d characters."))])

    def validate_target(self, field):
        kind, _sep, raw_id = (field.data or "").partition(":")
        if kind not in ("team", "person") or not (raw_id.isascii() and raw_id.isdigit()):
            raise ValidationError(_l("Choose a person or team."))
