"""Forms for planning a check-in (a manager) and asking for one (the person)."""

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from learnpath.conversations.services import TEXT_MAX
from learnpath.conversations.templates import template_exists
from learnpath.web.dates import LocalDateField
from learnpath.web.forms import select_choices
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
    on = LocalDateField(_l("Date"), validators=[DataRequired(_l("Choose a date."))])
    once = _once()

    def validate_template(self, field):
        if not template_exists(field.data):
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


class NoteForm(FlaskForm):
    """A topic for the agenda, a shared note or a private note."""

    kind = SelectField(_l("Add as"), validate_choice=False, choices=select_choices([
        ("topic", _l("A topic for the agenda")), ("shared", _l("A shared note (both see it)")),
        ("private", _l("A private note (only you see it)"))]))
    text = TextAreaField(_l("Text"), validators=[
        DataRequired(_l("Write a few words.")),
        Length(max=TEXT_MAX, message=_l("Keep it under %(max)d characters."))])
    once = _once()

    def validate_kind(self, field):
        if field.data not in ("topic", "shared", "private"):
            raise ValidationError(_l("Choose what to add."))


class EditForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[
        DataRequired(_l("Write a few words.")),
        Length(max=TEXT_MAX, message=_l("Keep it under %(max)d characters."))])


class ActionForm(FlaskForm):
    """An agreed action: who does what by when; optionally a path enrolment."""

    text = TextAreaField(_l("What"), validators=[
        DataRequired(_l("Write a few words.")),
        Length(max=TEXT_MAX, message=_l("Keep it under %(max)d characters."))])
    owner = SelectField(_l("Who"), validate_choice=False, choices=select_choices([
        ("person", _l("The person")), ("manager", _l("The manager"))]))
    due_on = LocalDateField(_l("By"), validators=[DataRequired(_l("Choose a date."))])
    path_action = SelectField(
        _l("Growth path (optional)"), validate_choice=False, choices=select_choices([
        ("", _l("No path")), ("enrol", _l("Enrol in a path")),
        ("assign", _l("Assign a path, due on the date above"))]))
    path = SelectField(_l("Path"), validate_choice=False)
    once = _once()

    def validate_owner(self, field):
        if field.data not in ("person", "manager"):
            raise ValidationError(_l("Choose who does it."))

    def validate_path_action(self, field):
        if field.data not in ("", "enrol", "assign"):
            raise ValidationError(_l("Choose a growth path."))
        if field.data and not self.path.data:
            raise ValidationError(_l("Choose a growth path."))


class TemplateForm(FlaskForm):
    """An author's check-in template: title and questions in English and Dutch."""

    title_en = StringField(_l("Title (English)"))
    title_nl = StringField(_l("Title (Dutch)"))
    questions_en = TextAreaField(_l("Questions (English), one per line"),
                                 render_kw={"rows": 8})
    questions_nl = TextAreaField(_l("Questions (Dutch), one per line"),
                                 render_kw={"rows": 8})
    module_en = SelectField(_l("Module the questions come from (English)"),
                            validate_choice=False)
    module_nl = SelectField(_l("Module the questions come from (Dutch)"),
                            validate_choice=False)
    once = HiddenField(default=lambda: secrets.token_urlsafe(16))
