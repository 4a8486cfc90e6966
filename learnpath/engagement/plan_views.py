"""Action plan pages: a manager answers the team's closed month with a focus and one or two
actions; team members answer "Did this help?" once, four weeks later."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from learnpath.accounts.models import Team
from learnpath.engagement import aggregates, plans
from learnpath.engagement.forms import PlanForm
from learnpath.engagement.models import PLAN_FOCUSES, ActionPlan
from learnpath.engagement.plan_suggestions import FOCUS_HINTS, FOCUS_NAMES, suggestions_for
from learnpath.extensions import db
from learnpath.web.access import login_required, roles_required
from learnpath.web.errors import render_error
from learnpath.web.forms import ConfirmForm, select_choices
from learnpath.web.i18n import current_locale

bp = Blueprint("engagement_plans", __name__, url_prefix="/engagement")
OWN_FIELDS = ("own_1", "own_2")


@bp.app_context_processor
def _plan_names():
    return {"plan_focus_names": FOCUS_NAMES, "plan_focus_hints": FOCUS_HINTS}


def _managed_team(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    if not plans.manages_team(current_user, team):
        refused = Forbidden()
        refused.user_message = _("You can make action plans only for teams you manage.")
        raise refused
    return team


def _with_choices(form: PlanForm, focus: str | None) -> PlanForm:
    locale = current_locale()
    options = suggestions_for(focus or "")
    modules = plans.modules_for([s.key for s in options], locale)
    form.suggestions.choices = select_choices([(s.key, str(s.text)) for s in options])
    form.suggestion_modules = {s.key: modules.get(s.key) for s in options}
    return form


def _render(team: Team, form: PlanForm | None = None, focus: str | None = None,
            status: int = 200, problem: str | None = None):
    group = aggregates.team_figures([team])[0]  # closes the ended weeks if need be
    month = plans.closed_month(team)
    plan = plans.plan_for(team, month)
    if plan is not None and form is None:
        return render_template(
            "engagement/plans/edit.html", team=team, group=group, month=month, plan=plan,
            actions=plans.described([plan], current_locale())[plan.id],
            follow_up=plans.follow_ups([plan])[plan.id], form=None, focus=None), status
    if form is None and focus in PLAN_FOCUSES:
        form = PlanForm(formdata=None, month=month, focus=focus)
    if form is not None:
        _with_choices(form, focus)
    return render_template("engagement/plans/edit.html", team=team, group=group, month=month,
                           plan=None, form=form, focus=focus, problem=problem,
                           focuses=PLAN_FOCUSES), status


@bp.route("/teams/<int:team_id>/plan", methods=["GET"])
@roles_required("manager")
def edit(team_id: int):
    """The team's action plan for its last closed month, or the editor to make it."""
    team = _managed_team(team_id)
    focus = request.args.get("focus")
    return _render(team, focus=focus if focus in PLAN_FOCUSES else None)


@bp.route("/teams/<int:team_id>/plan", methods=["POST"])
@roles_required("manager")
def create(team_id: int):
    """Make the team's action plan; errors stay beside their fields, with the input kept."""
    team = _managed_team(team_id)
    form = PlanForm()
    focus = form.focus.data if form.focus.data in PLAN_FOCUSES else None
    _with_choices(form, focus)
    if not form.validate_on_submit():
        problems = [*form.month.errors, *form.once.errors, *form.focus.errors]
        return _render(team, form, focus, 400, problems[0] if problems else None)
    aggregates.team_figures([team])  # the month is checked against closed weeks
    try:
        plan = plans.create_plan(current_user, team, form.month.data, form.focus.data,
                                 form.suggestions.data or [],
                                 [(name, form[name].data) for name in OWN_FIELDS],
                                 token=form.once.data)
    except plans.AlreadyPlanned as error:
        return render_error(409, str(error))
    except plans.NotYourTeam as error:
        return render_error(403, str(error))
    except plans.PlanError as error:
        if error.field in ("actions", "suggestions", *OWN_FIELDS):
            name = "suggestions" if error.field == "actions" else error.field
            form[name].errors = [*form[name].errors, str(error)]
            return _render(team, form, focus, 400)
        return _render(team, form, focus, 400, str(error))
    db.session.commit()
    flash(_("The action plan is made. Your team sees it on their home page."), "success")
    return redirect(url_for("engagement_plans.edit", team_id=team.id, _anchor=f"plan-{plan.id}"),
                    303)


@bp.route("/plans/<int:plan_id>/follow-up", methods=["POST"])
@login_required
def follow_up(plan_id: int):
    """Answer "Did this help?" for a plan of your team (once; the first answer counts)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        _answer, created = plans.answer_follow_up(current_user, db.session.get(ActionPlan,
                                                                               plan_id),
                                                  request.form.get("value"))
    except plans.NotYourTeam:
        abort(404)
    except plans.PlanError as error:
        return render_error(400, str(error))
    db.session.commit()
    if created:
        flash(_("Thank you! Only the team total is ever shown, never your answer."), "success")
    else:
        flash(_("You already answered this question; your first answer counts."), "info")
    return redirect(url_for("home.index"), 303)
