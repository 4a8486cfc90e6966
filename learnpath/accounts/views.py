"""Signing in and out, the own profile, password and language."""

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
from flask_login import current_user, login_user, logout_user

from learnpath.accounts import services, sso
from learnpath.accounts.forms import LoginForm, PasswordForm, ProfileForm
from learnpath.extensions import db, limiter
from learnpath.web.access import login_required, public, safe_next
from learnpath.web.errors import render_error

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _home() -> str:
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), _home()))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    sso_only = sso.sso_only()
    if form.validate_on_submit():
        # SSO only: passwords work for the break-glass administrators alone.
        if sso_only and not sso.is_break_glass(form.email.data):
            flash(_("Please sign in with your organisation account."), "error")
            status = 403
        elif (user := services.authenticate(form.email.data, form.password.data)) is None:
            flash(_("The e-mail address or password is not correct."), "error")
            status = 401
        elif not user.active:
            flash(_("This account has been deactivated. Please contact your administrator."),
                  "error")
            status = 403
        elif sso_only and "admin" not in user.roles:
            flash(_("Please sign in with your organisation account."), "error")
            status = 403
        else:
            locale = session.get("locale")
            session.clear()  # no session fixation: start a fresh session
            if locale:
                session["locale"] = locale
            login_user(user, remember=form.remember.data)
            services.record_sign_in(user)
            db.session.commit()
            return redirect(safe_next(form.next.data, _home()))
    elif request.method == "POST":
        status = 400
    form.password.data = ""
    show_password = not sso_only or request.values.get("password") == "1" or status != 200
    return render_template("accounts/login.html", form=form, sso_enabled=sso.enabled(),
                           show_password=show_password), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out; the session and remember-me cookie stop working everywhere (and, after a
    single sign-on, the provider's session too where it offers an end-session endpoint)."""
    id_token = session.get("sso_id_token")
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    provider_logout = sso.logout_url(id_token, url_for("accounts.login", _external=True))
    if provider_logout:
        # A page that moves on to the provider, not a redirect: the page the sign-out form
        # was on only lets forms go to this site (CSP form-action 'self').
        return render_template("accounts/sso_signed_out.html", provider_logout=provider_logout)
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Show and edit the own name and language."""
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    if form.validate_on_submit():
        services.update_profile(current_user, form.display_name.data, form.locale.data,
                                form.daily_reviews.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    teams = services.teams_of(current_user)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/profile.html", form=form, teams=teams), status


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the own password; other sessions end."""
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
            status = 400
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session, with the new token
            flash(_("Your password has been changed. Other sessions have been signed out."),
                  "success")
            return redirect(url_for("accounts.profile"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/password.html", form=form), status


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Switch the interface language (remembered on the profile when signed in)."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        return render_error(400, _("This language is not available."))
    session["locale"] = locale
    if current_user.is_authenticated:
        services.set_locale(current_user, locale)
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), _home()), 303)
