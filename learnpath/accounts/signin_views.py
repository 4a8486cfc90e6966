"""Pages reached from e-mailed links: accepting an invitation, resetting a password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user

from learnpath.accounts import invitations, mail, reset, services
from learnpath.accounts.signin_forms import ChoosePasswordForm, ForgotPasswordForm
from learnpath.extensions import db, limiter
from learnpath.web.access import public

bp = Blueprint("signin", __name__)


def _client_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT_CLIENT"]


def _address_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT_ADDRESS"]


def _address_key() -> str:
    return "reset-address:" + services.normalise_email(request.form.get("email", ""))[:254]


def _sign_in(user) -> None:
    locale = session.get("locale")
    session.clear()  # no session fixation: start a fresh session
    if locale:
        session["locale"] = locale
    login_user(user)


def _link_gone():
    """A used, expired or unknown link: say so, and offer a new one (410 Gone)."""
    return render_template("accounts/link_gone.html", form=ForgotPasswordForm()), 410


def _choose_password(purpose: str, token: str, use):
    if request.method == "GET" and not reset.link_is_valid(token, purpose):
        return _link_gone()
    form = ChoosePasswordForm()
    status = 200
    if form.validate_on_submit():
        user = use(token, form.new_password.data)
        if user is None:
            db.session.rollback()
            return _link_gone()
        db.session.commit()
        _sign_in(user)
        if purpose == "invitation":
            message = _("Welcome, %(name)s! Your password has been set.", name=user.display_name)
        else:
            message = _("Your new password has been set. Other sessions have been signed out.")
        flash(message, "success")
        return redirect(url_for("home.index"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/choose_password.html", form=form, purpose=purpose), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def invitation(token: str):
    """Accept an invitation: choose a password and be signed in."""
    return _choose_password("invitation", token, invitations.accept)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password through a reset link."""
    return _choose_password("reset", token, reset.complete_reset)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_client_limit, methods=["POST"])
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
def forgot():
    """Ask for a reset link; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        message = reset.request_reset(form.email.data)
        db.session.commit()
        if message is not None:
            mail.send_in_background(message)
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/forgot.html", form=form), status
