"""The daily review: one due question at a time, its answer, and the feedback on a wrong one."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnpath.extensions import db
from learnpath.reviews import services, showing
from learnpath.web.access import login_required

bp = Blueprint("reviews", __name__)


def _render(current, error=None, token=None, status=200):
    offer = services.offer(current_user)
    if current is not None and token is None:
        token = showing.sign(current.card.id, services.now())
    return render_template("reviews/review.html", current=current, offer=offer, error=error,
                           token=token, next_due=None if current else services.next_due(
                               current_user)), status


@bp.route("/reviews")
@login_required
def review():
    """The next due question, or what there is to say when none is."""
    return _render(services.next_showing(current_user))


@bp.route("/reviews/<int:card_id>", methods=["POST"])
@login_required
def answer(card_id: int):
    """Rate one showing of one of the person's cards, then move on."""
    card = services.get_card(current_user, card_id)
    if card is None:
        abort(404)
    token = request.form.get("showing", "")
    shown_at = showing.shown_at(token, card.id)
    if shown_at is None:
        current = services.showing_of(card)
        return _render(current, _("This question was not shown to you like this. "
                                  "Here it is (again)."), status=400)
    try:
        outcome = services.answer(current_user, card, shown_at, request.form.getlist("option"))
    except services.ReviewError as error:
        return _render(services.showing_of(card), str(error), token=token, status=400)
    db.session.commit()
    if outcome.kind == "retired":
        flash(_("That question is no longer part of its module, so it left your reviews. "
                "Here is the next one."), "info")
        return redirect(url_for("reviews.review"), 303)
    if outcome.log is not None and not outcome.log.correct:
        return redirect(url_for("reviews.result", log_id=outcome.log.id), 303)
    if outcome.kind == "rated":
        flash(_("Right!"), "success")
    return redirect(url_for("reviews.review"), 303)


@bp.route("/reviews/answers/<int:log_id>")
@login_required
def result(log_id: int):
    """A review answer with the right answer, the feedback and the module to reread."""
    log = services.get_log(current_user, log_id)
    if log is None:
        abort(404)
    card = services.get_card(current_user, log.card_id)
    current = services.showing_of(card) if card else None
    return render_template("reviews/result.html", log=log, current=current,
                           offer=services.offer(current_user))
