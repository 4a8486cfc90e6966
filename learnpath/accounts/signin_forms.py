"""Forms of the invitation and password-reset pages."""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo

from learnpath.accounts.forms import email_field, new_password_field
from learnpath.web.i18n import lazy_text as _l


class ChoosePasswordForm(FlaskForm):
    new_password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", _l("The two new passwords are not the same."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()
