"""Forms for planning a check-in (a manager) and asking for one (the person)."""

import secrets

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from learnpath.conversations.kinds import TEMPLATES
from learnpath.web.i18n import lazy_text as _l

ONCE_MESSAGE = _l("This form is out of date. Reload the page and try again.")


def _once():
    return HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[
        DataRequired(ONCE_MESSAGE), Length(max=64, message=ONCE_MESSAGE),
        Regexp(r"^[A-Za-z0-9_-]+$", message=ONCE_MESSAGE)])


class _CheckInForm(FlaskForm):
    # Not checked against the offered choices: whether the two people may hold a check-in is
    # decided by the service (403 when not), the form only checks the shape.
    other = SelectField(validate_choice=False)
    template = SelectField(_l("Kind of check-in"), validate_choice=False,
                           validators=[DataRequired(_l("Choose a kind of check-in."))])
    on = DateField(_l("Date"), format="%Y-%m-%d",
                   validators=[DataRequired(_l("Choose a date (YYYY-MM-DD)."))])
    once = _once()

    def validate_template(self, field):
        if field.data not in TEMPLATES:
            raise ValidationError(_l("Choose a kind of check-in."))

    def validate_other(self, field):
        if not (field.data or "").isascii() or not (field.data or "").isdigit():
            raise ValidationError(self.other_message)


class ScheduleForm(_CheckInForm):
    other_message = _l("Choose a person.")
    other = SelectField(_l("With"), validate_choice=False)


class RequestForm(_CheckInForm):
    other_message = _l("Choose a manager.")
    other = SelectField(_l("Manager"), validate_choice=False)
