"""Invitation and password-reset e-mails, in the person's language, through the SMTP mailer."""

import smtplib
import threading
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from flask import current_app
from flask_babel import force_locale, gettext, ngettext

from learnpath.accounts.models import User
from learnpath.mail import Mailer
from learnpath.timeutil import utcnow

MAIL_ERRORS = (smtplib.SMTPException, OSError, ValueError)
_MAIL_KEYS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD")


def locale_of(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def absolute_url(endpoint: str, **values) -> str:
    base = str(current_app.config.get("BASE_URL") or "http://127.0.0.1:5000")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _message(user: User, subject: str, body: str, locale: str, kind: str) -> EmailMessage:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "learnpath@localhost"
    message = EmailMessage()
    message["Subject"] = _one_line(subject)
    message["From"] = sender
    message["To"] = formataddr((_one_line(user.display_name), user.email))
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(kind, domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    message["Content-Language"] = locale  # after set_content, which resets Content-*
    return message


def invitation_message(user: User, secret: str, days: int) -> EmailMessage:
    locale = locale_of(user)
    url = absolute_url("signin.invitation", token=secret)
    with force_locale(locale):
        subject = gettext("You are invited to learnpath")
        body = "\n".join([
            gettext("Hello %(name)s,", name=user.display_name), "",
            gettext("You have been invited to learnpath, where you follow growth paths and "
                    "short learning modules. Choose your password with this link:"), "",
            f"  {url}", "",
            gettext("Your e-mail address for signing in is %(email)s.", email=user.email),
            ngettext("The link works once and expires in %(num)d day. If it has expired, the "
                     "page it opens lets you ask for a new one.",
                     "The link works once and expires in %(num)d days. If it has expired, the "
                     "page it opens lets you ask for a new one.", days), "",
            "-- ",
            gettext("You receive this e-mail because an administrator added you."),
        ]) + "\n"
    return _message(user, subject, body, locale, "invitation")


def reset_message(user: User, secret: str, minutes: int) -> EmailMessage:
    locale = locale_of(user)
    url = absolute_url("signin.reset_password", token=secret)
    with force_locale(locale):
        subject = gettext("Choose a new learnpath password")
        body = "\n".join([
            gettext("Hello %(name)s,", name=user.display_name), "",
            gettext("Someone (hopefully you) asked to choose a new password for %(email)s. "
                    "Choose it with this link:", email=user.email), "",
            f"  {url}", "",
            gettext("The link works once and expires in %(minutes)d minutes. Choosing a new "
                    "password signs you out on every other device.", minutes=minutes), "",
            gettext("If you did not ask for this, ignore this e-mail: your password stays "
                    "as it is."),
        ]) + "\n"
    return _message(user, subject, body, locale, "reset")


def send_now(messages: list[EmailMessage]) -> None:
    """Send over one SMTP connection; raises one of MAIL_ERRORS when the server fails."""
    mailer = Mailer(current_app.config)
    try:
        for message in messages:
            mailer.send(message)
    finally:
        mailer.close()


def send_in_background(message: EmailMessage) -> threading.Thread:
    """Send after the response: a request's duration then does not tell whether mail went out."""
    config = {key: current_app.config.get(key) for key in _MAIL_KEYS}
    logger = current_app.logger

    def run():
        mailer = Mailer(config)
        try:
            mailer.send(message)
        except MAIL_ERRORS as error:
            logger.warning("sign-in e-mail could not be sent: %s: %s",
                           type(error).__name__, error)
        finally:
            mailer.close()

    thread = threading.Thread(target=run, name="learnpath-mail", daemon=True)
    thread.start()
    return thread
