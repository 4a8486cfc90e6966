"""Forms for signing in, the profile and the admin of people and teams."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from learnpath.accounts.models import EMAIL_MAX, NAME_MAX
from learnpath.web.forms import MultiCheckboxField, select_choices
from learnpath.web.i18n import lazy_text as _l

PASSWORD_MIN = 10
PASSWORD_MAX = 256


def role_choices():
    return [
        ("employee", _l("Employee")),
        ("manager", _l("Manager")),
        ("author", _l("Author")),
        ("hr", _l("HR")),
        ("admin", _l("Administrator")),
    ]


def locale_choices():
    return select_choices([("", _l("Same as my browser")), ("en", "English"),
                           ("nl", "Nederlands")])


def person_locale_choices():
    """The language choice an administrator makes for someone else."""
    return select_choices([("", _l("Same as their browser")), ("en", "English"),
                           ("nl", "Nederlands")])


class LocaleField(SelectField):
    """The language choice; a person without a setting (None) shows as the empty choice."""

    def process_data(self, value):
        self.data = value or ""


def email_field(label=None, required=None):
    return StringField(
        label or _l("E-mail address"),
        validators=[
            DataRequired(required or _l("Please enter your e-mail address.")),
            Length(max=EMAIL_MAX, message=_l("The e-mail address is too long.")),
            Email(_l("Please enter a valid e-mail address, like name@example.com.")),
        ],
    )


def name_field():
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Please enter a name.")),
            Length(max=NAME_MAX, message=_l("Please use at most %(max)d characters.")),
        ],
    )


def new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Please enter a password.")),
            Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
                   message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")),
                    Length(max=PASSWORD_MAX, message=_l("The password is too long."))],
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ProfileForm(FlaskForm):
    display_name = name_field()
    locale = LocaleField(_l("Language"), choices=locale_choices, default="")
    daily_reviews = IntegerField(
        _l("Review questions a day"), default=5,
        description=_l("Questions you answered in modules come back for a short review, up "
                       "to this many a day. 0 turns reviews off."),
        validators=[NumberRange(0, 50, _l("Choose a number from %(min)s to %(max)s."))])


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password.")),
                    Length(max=PASSWORD_MAX)],
    )
    new_password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", _l("The two new passwords are not the same."))],
    )


def optional_password_field(label, description):
    return PasswordField(
        label, description=description,
        validators=[Optional(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
                                       message=_l("Use between %(min)d and %(max)d characters."))],
    )


class UserForm(FlaskForm):
    """An administrator edits someone who exists."""

    def validate_primary_team(self, field):
        if field.data and field.data not in (self.teams.data or []):
            raise ValidationError(_l("The primary team must be one of the teams the person is "
                                     "a member of."))

    email = email_field(required=_l("Please enter the person's e-mail address."))
    display_name = name_field()
    locale = LocaleField(_l("Language"), choices=person_locale_choices, default="")
    roles = MultiCheckboxField(_l("Roles"), choices=lambda: select_choices(role_choices()))
    teams = MultiCheckboxField(_l("Member of teams"), coerce=int, choices=[])
    primary_team = SelectField(
        _l("Primary team"), coerce=int, choices=[], default=0,
        description=_l("The person's engagement home: engagement figures count them in this "
                       "team only. One of their teams; without a choice, the first they "
                       "joined."))
    password = optional_password_field(_l("Set a new password"),
                                       _l("Leave empty to keep the current password."))


class NewUserForm(UserForm):
    """An administrator adds someone: there is no current password to keep."""

    password = optional_password_field(
        _l("Password"), _l("Optional. Without a password the person cannot sign in until "
                           "you set one here; tell them the password yourself."))


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"),
        validators=[DataRequired(_l("Please enter a team name.")),
                    Length(max=NAME_MAX, message=_l("Please use at most %(max)d characters."))],
    )


class TeamPersonForm(FlaskForm):
    email = email_field(_l("E-mail address of the person"),
                        _l("Please enter the person's e-mail address."))
    kind = SelectField(_l("Add as"), choices=lambda: select_choices(
        [("member", _l("Member")), ("manager", _l("Manager"))]))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Please choose a CSV file.")),
                    FileAllowed(["csv", "txt"], _l("Please choose a .csv file."))],
    )
    invite = BooleanField(
        _l("Invite the people who cannot sign in yet"),
        description=_l("Each gets an e-mail in their language with a link to choose a "
                       "password."))

