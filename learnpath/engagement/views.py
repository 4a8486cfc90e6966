"""Pulse check answers and kudos: the wall, giving kudos, and home-page notifications."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnpath.accounts import services as accounts
from learnpath.engagement import services
from learnpath.engagement.forms import KudosForm
from learnpath.extensions import db
from learnpath.web.access import login_required, safe_next
from learnpath.web.errors import render_error
from learnpath.web.forms import ConfirmForm, select_choices
from learnpath.web.i18n import current_locale

bp = Blueprint("engagement", __name__)


@bp.route("/pulse/skip", methods=["POST"])
@login_required
def skip_pulse():
    """Put this period's question away without answering it.

    The skip lives in the session only: that someone skipped is not stored about them.
    """
    if not ConfirmForm().validate_on_submit():
        abort(400)
    question = request.form.get("question", "")
    if question not in services.QUESTIONS:
        return render_error(400, _("Unknown question."))
    skipped = dict(session.get(services.SKIPPED_KEY, {}))
    skipped[question] = services.period_for(question, services.local_today())
    session[services.SKIPPED_KEY] = skipped
    flash(_("Skipped. You can still answer from your home page until the period ends."), "info")
    return redirect(safe_next(request.form.get("next"), url_for("home.index")), 303)


def _kudos_form() -> KudosForm:
    form = KudosForm()
    form.to.choices = select_choices([("", _("Choose a colleague"))] + [
        (str(p.id), p.display_name) for p in services.colleagues_of(current_user)])
    named = request.values.get("about")
    form.about.choices = select_choices([("", _("Nothing in particular"))]
                                        + services.kudos_subjects(current_user, current_locale(),
                                                                  extra=named))
    return form



def _render_kudos(form, status=200):
    walls = [(team, services.team_wall(team)) for team in accounts.teams_of(current_user)]
    received = services.unseen_kudos(current_user, limit=20)
    shown = [entry["kudos"] for _team, wall in walls for entry in wall]
    about = services.kudos_about(shown + [k for k, _giver in received], current_locale())
    return render_template("engagement/kudos.html", form=form, walls=walls, about=about,
                           received=received), status


@bp.route("/kudos", methods=["GET"])
@login_required
def kudos():
    """Give kudos and read your teams' kudos walls."""
    form = _kudos_form()
    if request.args.get("to", "").isdigit():
        form.to.data = request.args["to"]
    if request.args.get("about") in {choice.value for choice in form.about.choices}:
        form.about.data = request.args["about"]
    return _render_kudos(form)


@bp.route("/kudos", methods=["POST"])
@login_required
def give_kudos():
    """Send kudos to a colleague."""
    form = _kudos_form()
    if not form.validate_on_submit():
        if form.once.errors:  # a hidden field: say it where the person looks
            form.message.errors = [*form.message.errors, *form.once.errors]
        return _render_kudos(form, 400)
    recipient = db.session.get(accounts.User, int(form.to.data))
    try:
        module, path = services.resolve_subject(form.about.data)
        services.give_kudos(current_user, recipient, form.message.data, module=module,
                            path=path, token=form.once.data)
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
