"""Forms for enrolling and for managers assigning paths."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from learnpath.forms import FastSelect
from learnpath.i18n import lazy_text as _l

NOTE_MAX = 1000


class AssignForm(FlaskForm):
    path = SelectField(_l("Growth path"), validators=[DataRequired(_l("Choose a path."))],
                       widget=FastSelect())
    target = SelectField(_l("Assign to"), validators=[DataRequired(_l("Choose a person or team."))],
                         widget=FastSelect())
    due_date = DateField(_l("Due date (optional)"), validators=[Optional()],
                         format="%Y-%m-%d")
    note = TextAreaField(_l("A personal note (optional)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Please use at most %(max)d characters."))])
