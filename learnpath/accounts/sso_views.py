"""Single sign-on pages: off to the OpenID provider and back."""

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from learnpath.accounts import sso
from learnpath.extensions import db
from learnpath.web.access import public, safe_next
from learnpath.web.errors import render_error

bp = Blueprint("sso", __name__)


def _refuse(error: sso.SsoError):
    db.session.rollback()
    return render_error(error.status, error.message)


@bp.route("/sso/login")
@public
def login():
    """Send the browser to the provider (code flow with PKCE, state and nonce)."""
    if not sso.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    try:
        sso.metadata()
        session["sso_next"] = safe_next(request.args.get("next"), url_for("home.index"))
        return sso.client().authorize_redirect(url_for("sso.callback", _external=True))
    except sso.SsoError as error:
        return _refuse(error)
    except sso.PROVIDER_ERRORS as error:
        current_app.logger.warning("single sign-on start failed: %s", error)
        return _refuse(sso.SsoError(_("The single sign-on provider cannot be reached. Please "
                                      "try again later or sign in with your password."), 502))


@bp.route("/sso/callback")
@public
def callback():
    """Back from the provider: check everything, then sign the person in."""
    if not sso.enabled():
        abort(404)
    try:
        sso.check_callback_issuer(request.args.get("iss"))
        sso.metadata()
        token = sso.client().authorize_access_token()
        claims = sso.claims_of(token)
        user = sso.sign_in(claims)
    except sso.SsoError as error:
        return _refuse(error)
    except sso.PROVIDER_ERRORS as error:
        current_app.logger.info("single sign-on refused: %s: %s", type(error).__name__, error)
        return _refuse(sso.SsoError(_(
            "The sign-in with your organisation account could not be completed (the response "
            "was invalid, expired or already used), so nobody was signed in. Please try "
            "again."), 400))
    db.session.commit()
    target = session.get("sso_next") or url_for("home.index")
    locale = session.get("locale")
    session.clear()  # no session fixation: start a fresh session
    if locale:
        session["locale"] = locale
    session["sso_id_token"] = token.get("id_token")
    login_user(user)
    return redirect(safe_next(target, url_for("home.index")))
