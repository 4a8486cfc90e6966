"""Pulse check answers and kudos: the wall, giving kudos, and home-page notifications."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnpath.accounts import services as accounts
from learnpath.accounts.forms import ConfirmForm
from learnpath.engagement import services
from learnpath.engagement.forms import KudosForm
from learnpath.errors import render_error
from learnpath.extensions import db
from learnpath.security import login_required, safe_next

bp = Blueprint("engagement", __name__)


@bp.route("/pulse", methods=["POST"])
@login_required
def pulse():
    """Answer (or change the answer to) this period's pulse question."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.answer_pulse(current_user, request.form.get("question", ""),
                              request.form.get("value"))
    except services.EngagementError as error:
        return render_error(400, str(error))
    db.session.commit()
    flash(_("Thank you! You can change your answer until the period ends."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("home.index")), 303)


def _kudos_form() -> KudosForm:
    form = KudosForm()
    form.to.choices = [("", _("Choose a colleague"))] + [
        (str(p.id), p.display_name) for p in services.colleagues_of(current_user)]
    return form


def _render_kudos(form, status=200):
    walls = [(team, services.team_wall(team)) for team in accounts.teams_of(current_user)]
    return render_template("engagement/kudos.html", form=form, walls=walls,
                           received=services.unseen_kudos(current_user, limit=20)), status


@bp.route("/kudos", methods=["GET"])
@login_required
def kudos():
    """Give kudos and read your teams' kudos walls."""
    form = _kudos_form()
    if request.args.get("to", "").isdigit():
        form.to.data = request.args["to"]
    return _render_kudos(form)


@bp.route("/kudos", methods=["POST"])
@login_required
def give_kudos():
    """Send kudos to a colleague."""
    form = _kudos_form()
    if not form.validate_on_submit():
        return _render_kudos(form, 400)
    recipient = db.session.get(accounts.User, int(form.to.data))
    try:
        services.give_kudos(current_user, recipient, form.message.data)
    except services.EngagementError as error:
        form.message.errors.append(str(error))
        return _render_kudos(form, 400)
    db.session.commit()
    flash(_("Kudos sent to %(name)s.", name=recipient.display_name), "success")
    return redirect(url_for("engagement.kudos"))


@bp.route("/kudos/seen", methods=["POST"])
@login_required
def kudos_seen():
    """Dismiss the kudos notifications on the home page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_kudos_seen(current_user)
    db.session.commit()
    return redirect(url_for("home.index"), 303)
