"""The Privacy page, downloading your own data, and the admin pages for exports, erasure,
the audit log and the privacy contact."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.privacy import services
from learnpath.privacy.forms import EraseForm, SettingsForm
from learnpath.timeutil import utcnow
from learnpath.web.access import login_required, public, roles_required
from learnpath.web.forms import ConfirmForm
from learnpath.web.paging import page_arg

bp = Blueprint("privacy", __name__)
AUDIT_PER_PAGE = 50


def _person_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.erased_at is not None:
        abort(404)
    return user


def _download(document: dict, user: User) -> Response:
    body = json.dumps(document, indent=2, ensure_ascii=False)
    name = f"learnpath-data-{user.pseudonym}-{utcnow():%Y%m%d}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/")
@public
def page():
    """What is stored, why, who sees what, how long, and how to export or erase."""
    return render_template(
        "privacy/page.html", contact=services.get_setting("privacy_contact"),
        months=services.retention_months(), k=max(3, current_app.config["ANONYMITY_THRESHOLD"]),
        confirm=ConfirmForm())


@bp.route("/export", methods=["POST"])
@login_required
def export_mine():
    """Download all your own data as one JSON file."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    document = services.export_person(current_user, actor=current_user)
    return _download(document, current_user)


@bp.route("/people/<int:user_id>/export", methods=["POST"])
@roles_required("admin")
def export_person(user_id: int):
    """An admin downloads one person's data (subject access request); audited."""
    user = _person_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    document = services.export_person(user, actor=current_user)
    db.session.commit()
    return _download(document, user)


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@roles_required("admin")
def erase(user_id: int):
    """Confirm, then erase a person (yourself included: you are signed out)."""
    user = _person_or_404(user_id)
    form = EraseForm()
    status = 200
    if form.validate_on_submit():
        typed = (form.confirm_email.data or "").strip().lower()
        own = user.id == current_user.id
        if typed != user.email:
            form.confirm_email.errors.append(
                _("This is not the e-mail address of %(name)s.", name=user.display_name))
            status = 400
        else:
            try:
                services.erase_person(user, actor=current_user)
            except services.PrivacyError as error:
                db.session.rollback()
                form.confirm_email.errors.append(str(error))
                status = 400
            else:
                db.session.commit()
                if own:
                    logout_user()
                    flash(_("Your account has been erased and you have been signed out."),
                          "success")
                    return redirect(url_for("privacy.page"))
                flash(_("The person has been erased."), "success")
                return redirect(url_for("admin.users"))
    elif request.method == "POST":
        status = 400
    return render_template("privacy/erase.html", form=form, person=user,
                           own=user.id == current_user.id), status


@bp.route("/audit")
@roles_required("admin")
def audit():
    """Admin actions on people, newest first."""
    page = page_arg(request.args.get("page"))
    rows, total = services.audit_entries(page, AUDIT_PER_PAGE)
    pages = max(1, -(-total // AUDIT_PER_PAGE))
    return render_template("privacy/audit.html", rows=rows, page=page, pages=pages,
                           months=services.retention_months())


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    """The organisation's contact for privacy questions."""
    form = SettingsForm()
    status = 200
    if form.validate_on_submit():
        services.set_setting("privacy_contact", form.privacy_contact.data, actor=current_user)
        db.session.commit()
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("privacy.settings"))
    if request.method == "POST":
        status = 400
    else:
        form.privacy_contact.data = services.get_setting("privacy_contact")
    return render_template("privacy/settings.html", form=form), status
