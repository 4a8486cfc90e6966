"""Forms of the privacy pages: the erasure confirmation and the privacy contact setting."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from learnpath.accounts.models import EMAIL_MAX
from learnpath.web.i18n import lazy_text as _l

CONTACT_MAX = 1000


class EraseForm(FlaskForm):
    """Erasing cannot be undone: the admin types the person's e-mail address to confirm."""

    confirm_email = StringField(
        _l("Type the person's e-mail address to confirm"),
        validators=[DataRequired(_l("Please type the e-mail address to confirm.")),
                    Length(max=EMAIL_MAX, message=_l("The e-mail address is too long."))],
    )


class SettingsForm(FlaskForm):
    privacy_contact = TextAreaField(
        _l("Contact for privacy questions"),
        description=_l("Who employees and the works council can ask about their data, e.g. "
                       "the data protection officer's name and e-mail address. Shown on the "
                       "Privacy page."),
        validators=[Length(max=CONTACT_MAX,
                           message=_l("Please use at most %(max)d characters."))],
    )
