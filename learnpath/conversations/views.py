"""Check-in pages: plan one with a person in your team, or ask your manager for one."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from learnpath.accounts.models import User
from learnpath.conversations import services
from learnpath.conversations.forms import RequestForm, ScheduleForm
from learnpath.conversations.kinds import TEMPLATES
from learnpath.extensions import db
from learnpath.paths.enrolments import today
from learnpath.web.access import login_required
from learnpath.web.errors import render_error
from learnpath.web.forms import select_choices

bp = Blueprint("conversations", __name__)


def _template_choices():
    return select_choices([("", _("Choose…"))] + [(t.key, str(t.title))
                                                  for t in TEMPLATES.values()])


def _forms(schedule=None, ask=None):
    schedule = schedule or ScheduleForm(prefix="schedule")
    ask = ask or RequestForm(prefix="ask")
    people = services.managed_people(current_user)
    managers = services.managers_of(current_user)
    schedule.other.choices = select_choices(
        [("", _("Choose…"))] + [(str(p.id), p.display_name) for p in people])
    ask.other.choices = select_choices(
        [("", _("Choose…"))] + [(str(m.id), m.display_name) for m in managers])
    schedule.template.choices = _template_choices()
    ask.template.choices = _template_choices()
    return schedule, ask, bool(people), bool(managers)


def _render(schedule=None, ask=None, status=200):
    schedule, ask, manages, has_managers = _forms(schedule, ask)
    return render_template("conversations/index.html", schedule=schedule, ask=ask,
                           manages=manages, has_managers=has_managers,
                           upcoming=services.upcoming(current_user, today()),
                           templates=TEMPLATES, locale=str(get_locale() or "en")), status


@bp.route("/check-ins", methods=["GET"])
@login_required
def index():
    """Your upcoming check-ins, and the forms to plan or ask for one."""
    return _render()


def _submit(form, create, success):
    if not form.validate_on_submit():
        if form.once.errors:  # a hidden field: say it where the person looks
            form.on.errors = [*form.on.errors, *form.once.errors]
        return None
    other = db.session.get(User, int(form.other.data))
    try:
        check_in = create(current_user, other, form.template.data, form.on.data, today(),
                          token=form.once.data)
    except services.NotYourTeam as error:
        return render_error(403, str(error))
    except services.CheckInError as error:
        form.on.errors = [*form.on.errors, str(error)]
        return None
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("conversations.index", _anchor=f"check-in-{check_in.id}"), 303)


@bp.route("/check-ins/schedule", methods=["POST"])
@login_required
def schedule():
    """A manager plans a check-in with someone in a team they manage."""
    form = ScheduleForm(prefix="schedule")
    _forms(schedule=form)
    return (_submit(form, services.schedule, _("Check-in planned."))
            or _render(schedule=form, status=400))


@bp.route("/check-ins/request", methods=["POST"])
@login_required
def ask():
    """A person asks a manager of one of their teams for a check-in."""
    form = RequestForm(prefix="ask")
    _forms(ask=form)
    return (_submit(form, services.request, _("Check-in requested. It is on your manager's list."))
            or _render(ask=form, status=400))
