"""Check-in pages: plan one with a person in your team, or ask your manager for one."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnpath.accounts.models import User
from learnpath.conversations import ics, services
from learnpath.conversations import schedule as check_in_schedule
from learnpath.conversations.forms import (
    ActionForm,
    EditForm,
    NoteForm,
    RequestForm,
    ScheduleForm,
)
from learnpath.conversations.templates import all_templates, get_template, module_for
from learnpath.extensions import db
from learnpath.paths import enrolments as paths
from learnpath.paths.enrolments import today
from learnpath.paths.models import GrowthPath
from learnpath.web.access import login_required
from learnpath.web.errors import render_error
from learnpath.web.forms import ConfirmForm, select_choices
from learnpath.web.i18n import current_locale

bp = Blueprint("conversations", __name__)


def _template_choices():
    return select_choices([("", _("Choose…"))] + [(t.key, str(t.title))
                                                  for t in all_templates().values()])


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
                           due=check_in_schedule.due_for(current_user, today()), today=today(),
                           templates=all_templates(), locale=current_locale()), status


def _prefilled():
    """The forms filled from a suggestion's link (?with=<id>&kind=<key>); bad values are
    ignored, since the forms check everything again when sent."""
    schedule, ask = ScheduleForm(prefix="schedule"), RequestForm(prefix="ask")
    other, kind = request.args.get("with", ""), request.args.get("kind", "")
    if other.isascii() and other.isdigit() and len(other) < 12:
        schedule.other.data = ask.other.data = other
    if len(kind) <= 32 and get_template(kind) is not None:
        schedule.template.data = ask.template.data = kind
    return schedule, ask


@bp.route("/check-ins", methods=["GET"])
@login_required
def index():
    """Your upcoming check-ins, what is due, and the forms to plan or ask for one."""
    schedule, ask = _prefilled()
    return _render(schedule, ask)


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


# --- One check-in -------------------------------------------------------------------------

@bp.errorhandler(services.NotFound)
def _not_found(_error):
    """Someone else's check-in or entry is not found, not forbidden: do not reveal it exists."""
    return render_error(404)


@bp.errorhandler(services.Forbidden)
def _forbidden(error):
    return render_error(403, str(error))


@bp.errorhandler(services.CheckInError)
def _refused(error):
    """A refusal the page has no form to show it beside."""
    return render_error(400, str(error))


def _check_in_or_404(check_in_id: int):
    return services.check_in_for(current_user, check_in_id)


def _action_form(form=None) -> ActionForm:
    form = form or ActionForm(prefix="action")
    form.path.choices = select_choices([("", _("Choose…"))]
                                       + paths.published_path_choices(current_locale()))
    return form


def _render_check_in(check_in, note=None, action=None, status=200):
    entries = services.entries_for(current_user, check_in)
    people = {u.id: u for u in db.session.scalars(db.select(User).where(
        User.id.in_([i for i in (check_in.manager_id, check_in.person_id) if i])))}
    path_ids = {e.path_id for e in entries if e.path_id}
    agenda = services.agenda(check_in, today())
    path_ids |= {e.path_id for e in agenda["enrolments"]}
    titles = {p.id: p.title(current_locale()) for p in db.session.scalars(
        db.select(GrowthPath).where(GrowthPath.id.in_(path_ids)))} if path_ids else {}
    kind = get_template(check_in.template_key)
    return render_template(
        "conversations/check_in.html", check_in=check_in, side=check_in.side_of(current_user),
        kind=kind, module=module_for(kind, current_locale()), locale=current_locale(),
        people=people,
        entries=entries, agenda=agenda, titles=titles, today=today(),
        note=note or NoteForm(prefix="note"), action=_action_form(action),
        edit=EditForm(prefix="edit"), confirm=ConfirmForm()), status


@bp.route("/check-ins/<int:check_in_id>", methods=["GET"])
@login_required
def show(check_in_id):
    """The check-in page: agenda, topics, notes and agreed actions."""
    return _render_check_in(_check_in_or_404(check_in_id))


def _done(check_in, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("conversations.show", check_in_id=check_in.id), 303)


@bp.route("/check-ins/<int:check_in_id>/notes", methods=["POST"])
@login_required
def add_note(check_in_id):
    """Add a topic, a shared note or a private note."""
    check_in = _check_in_or_404(check_in_id)
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        if form.once.errors:
            form.text.errors = [*form.text.errors, *form.once.errors]
        return _render_check_in(check_in, note=form, status=400)
    try:
        services.add_entry(current_user, check_in, form.kind.data, form.text.data,
                           token=form.once.data)
    except services.CheckInError as error:
        form.text.errors = [*form.text.errors, str(error)]
        return _render_check_in(check_in, note=form, status=400)
    return _done(check_in, _("Added."))


@bp.route("/check-ins/<int:check_in_id>/actions", methods=["POST"])
@login_required
def add_action(check_in_id):
    """Add an agreed action, optionally one that enrols the person in a path."""
    check_in = _check_in_or_404(check_in_id)
    form = _action_form()
    if not form.validate_on_submit():
        if form.once.errors:
            form.text.errors = [*form.text.errors, *form.once.errors]
        return _render_check_in(check_in, action=form, status=400)
    path = paths.get_path(form.path.data) if form.path_action.data else None
    try:
        services.add_entry(current_user, check_in, "action", form.text.data,
                           owner=form.owner.data, due_on=form.due_on.data, path=path,
                           path_action=form.path_action.data or None, today=today(),
                           token=form.once.data)
    except services.Forbidden as error:
        return render_error(403, str(error))
    except services.CheckInError as error:
        form.due_on.errors = [*form.due_on.errors, str(error)]
        return _render_check_in(check_in, action=form, status=400)
    return _done(check_in, _("Action agreed."))


@bp.route("/check-ins/<int:check_in_id>/entries/<int:entry_id>", methods=["POST"])
@login_required
def edit_entry(check_in_id, entry_id):
    """Change the text of one's own topic or note."""
    check_in = _check_in_or_404(check_in_id)
    form = EditForm(prefix="edit")
    if not form.validate_on_submit():
        services.entry_for(current_user, check_in, entry_id)  # 404 before 400
        return render_error(400, " ".join(str(e) for e in form.text.errors)
                            or _("Reload the page and try again."))
    services.edit_entry(current_user, check_in, entry_id, form.text.data)
    return _done(check_in, _("Saved."))


@bp.route("/check-ins/<int:check_in_id>/entries/<int:entry_id>/carry-out", methods=["POST"])
@login_required
def carry_out(check_in_id, entry_id):
    """Carry out a path action: the enrolment or assignment is created now."""
    check_in = _check_in_or_404(check_in_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.carry_out(current_user, check_in, entry_id, today())
    return _done(check_in, _("Done: the path is on the list."))


@bp.route("/check-ins/<int:check_in_id>/kudos", methods=["POST"])
@login_required
def show_kudos(check_in_id):
    """The person decides whether their kudos are on the agenda."""
    check_in = _check_in_or_404(check_in_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_show_kudos(current_user, check_in, request.form.get("show") == "1")
    return _done(check_in, _("Saved."))


@bp.route("/check-ins/<int:check_in_id>/held", methods=["POST"])
@login_required
def confirm_held(check_in_id):
    """One side confirms the check-in happened."""
    check_in = _check_in_or_404(check_in_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.confirm_held(current_user, check_in)
    return _done(check_in, _("Thank you for confirming."))


@bp.route("/check-ins/<int:check_in_id>/check-in.ics", methods=["GET"])
@login_required
def calendar(check_in_id):
    """The check-in as a calendar file (date, kind and the other person; no notes)."""
    check_in = _check_in_or_404(check_in_id)
    side = check_in.side_of(current_user)
    other_id = check_in.person_id if side == "manager" else check_in.manager_id
    other = db.session.get(User, other_id) if other_id else None
    kind = get_template(check_in.template_key)
    summary = _("%(kind)s with %(name)s", kind=kind.title if kind else _("Check-in"),
                name=other.display_name if other else _("a former colleague"))
    url = url_for("conversations.show", check_in_id=check_in.id, _external=True)
    body = ics.check_in_ics(f"check-in-{check_in.id}@{request.host}", check_in.scheduled_on,
                            summary, url)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="check-in-{check_in.id}.ics"'})
