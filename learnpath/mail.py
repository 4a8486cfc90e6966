"""Outgoing e-mail over SMTP (LEARNPATH_MAIL_*): a foundation that reminders and the
sign-in e-mails (invitations, password resets) share; it imports no feature."""

import smtplib
import ssl
from email.message import EmailMessage

SMTP_TIMEOUT = 30


class Mailer:
    """One SMTP connection for a run, reopened after a failure."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.config["MAIL_SERVER"], int(self.config["MAIL_PORT"]),
                            timeout=SMTP_TIMEOUT)
        try:
            if self.config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if self.config.get("MAIL_USERNAME"):
                smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(message)
        except BaseException:
            self.close()  # start the next message on a clean connection
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None
