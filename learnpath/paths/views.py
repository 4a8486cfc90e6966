"""Growth path pages: overview, a path, my skills, certificates, and the manager's team page."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from learnpath.accounts import services as accounts
from learnpath.extensions import db
from learnpath.paths import enrolments as paths
from learnpath.paths import page, team_cells
from learnpath.paths.forms import AssignForm
from learnpath.paths.models import Enrolment
from learnpath.paths.skill_progress import skill_progress
from learnpath.signals import skill_retention
from learnpath.skills import services as skills
from learnpath.skills.models import skill_level_names
from learnpath.web.access import login_required, public, roles_required
from learnpath.web.forms import ConfirmForm, select_choices
from learnpath.web.i18n import current_locale, per_language
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("paths", __name__)



@bp.route("/paths")
@login_required
def overview():
    """All published paths with the person's own progress."""
    all_paths = paths.published_paths()
    mine = {e.path_id: e for e in paths.enrolments_of(current_user)}
    progress = paths.progress_of(mine.values(), paths.today())
    return render_template("paths/overview.html", paths=all_paths, mine=mine,
                           progress=progress, steps=paths.count_steps([p.id for p in all_paths]),
                           locale=current_locale())


def _path_or_404(slug):
    path = paths.get_path(slug)
    if path is None:
        abort(404)
    return path


@bp.route("/paths/<slug>")
@login_required
def show(slug: str):
    """A path with its steps, targets and the person's progress (five statements)."""
    path = page.published_path(slug)
    if path is None:
        abort(404)
    enrolment, certificate, assigned_by = page.enrolment_with_extras(current_user, path)
    if enrolment is not None and enrolment.state == "withdrawn":
        enrolment = None
    step_modules = page.load_steps(path)
    done = page.done_of(current_user, step_modules)
    progress = (page.progress_on_page(enrolment, path, step_modules, done, paths.today())
                if enrolment else None)
    return render_template("paths/path.html", path=path, enrolment=enrolment,
                           progress=progress, step_modules=step_modules, done=done,
                           certificate=certificate, assigned_by=assigned_by,
                           locale=current_locale(), form=ConfirmForm())


@bp.route("/paths/<slug>/enrol", methods=["POST"])
@login_required
def enrol(slug: str):
    """Start a path yourself."""
    path = _path_or_404(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    enrolment = paths.enrol(current_user, path)
    db.session.commit()
    if enrolment.state == "completed":
        flash(_("You had already done every step: path completed!"), "success")
    else:
        flash(_("You are now following this path."), "success")
    return redirect(url_for("paths.show", slug=slug))


@bp.route("/skills")
@login_required
def my_skills():
    """Skills and levels the person reached, with the paths as evidence, and the way ahead."""
    retention = {}
    for _receiver, found in skill_retention.send(current_user):
        retention.update(found or {})
    return render_template("paths/skills.html", skills=paths.skills_of(current_user),
                           underway=skill_progress(current_user), retention=retention,
                           known=skills.skills_by_slug(retention), locale=current_locale())


@bp.route("/certificates/<token>")
@public
def certificate(token: str):
    """A certificate, visible to anyone with its unguessable link."""
    cert = paths.certificate_by_token(token)
    if cert is None:
        abort(404)
    person = db.session.get(accounts.User, cert.user_id)
    return render_template("paths/certificate.html", cert=cert, person=person,
                           locale=current_locale())


# Managers ------------------------------------------------------------------------------------


def _managed_teams():
    """The signed-in manager's teams with members, read once a request (form and matrix)."""
    if "managed_teams" not in g:
        g.managed_teams = accounts.managed_teams_with_members(current_user)
    return g.managed_teams


def _assign_form() -> AssignForm:
    form = AssignForm()
    locale = current_locale()
    form.path.choices = select_choices(
        [("", _("Choose a path"))] + paths.published_path_choices(locale))
    choices = [("", _("Choose a person or team"))]
    for team, members in _managed_teams():
        choices.append((f"team:{team.id}", _("Whole team: %(name)s", name=team.name)))
        choices.extend((f"person:{m.id}", f"{m.display_name} ({team.name})") for m in members
                       if m.active)
    form.target.choices = select_choices(choices)
    return form


def _render_team_page(form, status=200):
    locale = current_locale()
    matrix = paths.team_matrix(current_user, paths.today(), teams=_managed_teams())
    return render_template("paths/team.html",
                           matrix=team_cells.with_cells(matrix, _status_names(), locale),
                           withdraw=_("Withdraw"), form=form, confirm=ConfirmForm(),
                           locale=locale), status


@bp.route("/manager")
@roles_required("manager")
def team():
    """The manager's teams: who follows which assigned path, overdue first; assign form."""
    return _render_team_page(_assign_form())


@bp.route("/manager/assign", methods=["POST"])
@roles_required("manager")
def assign():
    """Assign a path to one person or a whole team, with an optional due date and note."""
    form = _assign_form()
    if not form.validate_on_submit():
        return _render_team_page(form, 400)
    path = paths.get_path(form.path.data)
    kind, _sep, raw_id = form.target.data.partition(":")
    try:
        if kind == "team":
            target = db.session.get(accounts.Team, int(raw_id))
            if target is None:
                abort(404)
            done = paths.assign_team(current_user, target, path, form.due_date.data,
                                     form.note.data, paths.today())
        else:
            person = db.session.get(accounts.User, int(raw_id))
            if person is None:
                abort(404)
            done = paths.assign(current_user, path, [person], form.due_date.data,
                                form.note.data, paths.today())
    except paths.NotYourTeam:
        abort(403)
    except paths.PathError as error:
        form.due_date.errors.append(str(error))
        return _render_team_page(form, 400)
    db.session.commit()
    flash(ngettext("Assigned to %(num)d person.", "Assigned to %(num)d people.", len(done)),
          "success")
    return redirect(url_for("paths.team"))


@bp.route("/manager/enrolments/<int:enrolment_id>/unassign", methods=["POST"])
@roles_required("manager")
def unassign(enrolment_id: int):
    """Withdraw an assignment; its history is kept."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        paths.unassign(current_user, enrolment)
    except paths.NotYourTeam:
        abort(403)
    db.session.commit()
    flash(_("The assignment has been withdrawn."), "success")
    return redirect(url_for("paths.team"))


@bp.app_context_processor
@per_language
def path_helpers():
    """Status and skill level names for every template, translated once per language."""
    return {"path_status_names": {key: str(name) for key, name in _status_names().items()},
            "skill_level_names": {key: str(name) for key, name in skill_level_names().items()}}


def _status_names():
    return {
        "not_started": _l("Not started"), "in_progress": _l("In progress"),
        "completed": _l("Completed"), "on_track": _l("On track"), "behind": _l("Behind"),
        "overdue": _l("Overdue"),
    }
