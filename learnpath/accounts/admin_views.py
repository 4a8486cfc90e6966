"""Admin pages: people, their roles and teams, deactivation, teams and the CSV import."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from learnpath.accounts import invitations, mail, services
from learnpath.accounts.csv_import import COLUMNS, TEMPLATE_ROWS, import_users_csv
from learnpath.accounts.forms import (
    ImportForm,
    NewUserForm,
    TeamForm,
    TeamPersonForm,
    UserForm,
)
from learnpath.accounts.models import Team, User
from learnpath.extensions import db
from learnpath.web import csv as csvexport
from learnpath.web.access import roles_required
from learnpath.web.errors import render_error
from learnpath.web.forms import ConfirmForm, select_choices
from learnpath.web.paging import page_arg

bp = Blueprint("admin", __name__)


def _get_or_404(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None or getattr(obj, "erased_at", None) is not None:
        abort(404)  # an erased person is gone for the admin pages too
    return obj


def _page_arg() -> int:
    return page_arg(request.args.get("page"))


@bp.route("/")
@roles_required("admin")
def index():
    """Overview of people and teams for administrators."""
    return render_template(
        "admin/index.html",
        people=services.count_people(),
        teams=services.list_teams_with_counts(),
    )


@bp.route("/users")
@roles_required("admin")
def users():
    """List and search people."""
    query = request.args.get("q", "")[:200]
    page = services.search_users(query, _page_arg(), current_app.config["PER_PAGE"])
    return render_template("admin/users.html", page=page, query=query)


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user) if user else NewUserForm()
    if user is not None and not user.password_hash:
        form.password.description = _("This person has no password and cannot sign in yet: "
                                      "set one here.")
    teams = [(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))]
    form.teams.choices = select_choices(teams)
    form.primary_team.choices = select_choices([(0, _("The first team they joined")), *teams])
    if request.method == "GET":
        form.primary_team.data = (user.primary_team_id or 0) if user else 0
        form.roles.data = sorted(user.roles) if user else ["employee"]
        form.teams.data = [t.id for t in services.teams_of(user)] if user else []
        form.locale.data = (user.locale or "") if user else ""
    return form


def _save_user(form: UserForm, user: User | None) -> User:
    """Create or change a person; every change is written to the audit log."""
    if user is None:
        user = services.create_user(form.email.data, form.display_name.data,
                                    password=form.password.data or None,
                                    roles=form.roles.data, locale=form.locale.data or None)
        services.report_person_change("person_created", current_user, user,
                                      roles=sorted(user.roles))
        teams_before: set[str] = set()
    else:
        before = (user.email, user.display_name, user.locale)
        roles_before = set(user.roles)
        services.update_user(user, form.email.data, form.display_name.data,
                             form.locale.data or None, form.roles.data)
        changed = [name for name, old, new in zip(
            ("email", "name", "language"), before, (user.email, user.display_name, user.locale),
            strict=True) if old != new]
        if form.password.data:
            services.set_password(user, form.password.data)
            changed.append("password")
        if changed:
            services.report_person_change("person_updated", current_user, user, changed=changed)
        services.report_role_change(current_user, user, roles_before, set(user.roles))
        teams_before = {t.name for t in services.teams_of(user)}
    teams = db.session.scalars(select(Team).where(Team.id.in_(form.teams.data or []))).all()
    services.set_teams_of(user, teams)
    chosen = next((team for team in teams if team.id == form.primary_team.data), None)
    if chosen is not None:
        services.set_primary_team(user, chosen)
    teams_after = {t.name for t in teams}
    services.report_team_change(current_user, user, "member", added=teams_after - teams_before,
                                removed=teams_before - teams_after)
    return user


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def user_new():
    """Create a person."""
    form = _user_form()
    status = 200
    if form.validate_on_submit():
        try:
            user = _save_user(form, None)
        except services.AccountError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
            status = 400
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=user.display_name), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def user_edit(user_id: int):
    """Edit a person's details, roles and teams."""
    user = _get_or_404(User, user_id)
    form = _user_form(user)
    status = 200
    if form.validate_on_submit():
        try:
            if user.id == current_user.id and "admin" not in form.roles.data:
                raise services.AccountError(_("You cannot remove your own administrator role."))
            _save_user(form, user)
        except services.AccountError as error:
            db.session.rollback()
            form.roles.errors.append(str(error))
            status = 400
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_form.html", form=form, user=user,
                           confirm=ConfirmForm()), status


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def user_set_active(user_id: int):
    """Deactivate or reactivate a person."""
    user = _get_or_404(User, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    activate = request.form.get("active") == "1"
    if user.id == current_user.id and not activate:
        flash(_("You cannot deactivate yourself."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    if bool(user.active) != activate:
        services.set_active(user, activate)
        services.report_person_change("person_reactivated" if activate else "person_deactivated",
                                  current_user, user)
    db.session.commit()
    if activate:
        flash(_("%(name)s can sign in again.", name=user.display_name), "success")
    else:
        flash(_("%(name)s has been deactivated and signed out everywhere.",
                name=user.display_name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles_required("admin")
def user_invite(user_id: int):
    """Send (or re-send) an invitation e-mail; an earlier link stops working."""
    user = _get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        message = invitations.invite(user, current_user)
        mail.send_now([message])
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id)), 303
    except mail.MAIL_ERRORS as error:
        db.session.rollback()
        current_app.logger.warning("invitation to user %s failed: %s", user.id, error)
        return render_error(503, _("The invitation e-mail could not be sent (%(error)s). "
                                   "Nothing was changed; please try again later.",
                                   error=type(error).__name__))
    db.session.commit()
    flash(_("An invitation has been sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required("admin")
def users_import():
    """Import people from a CSV export; shows a report per row."""
    form = ImportForm()
    report = invites = None
    status = 200
    if form.validate_on_submit():
        report = import_users_csv(form.file.data.read(), actor=current_user)
        db.session.commit()
        if form.invite.data:
            invites = invitations.invite_imported(report, current_user, label="web")
        status = 200 if report.ok and not (invites and invites.failed) else 422
    elif request.method == "POST":
        status = 400
    return render_template("admin/import.html", form=form, report=report,
                           invites=invites), status


@bp.route("/users/import/people-template.csv")
@roles_required("admin")
def users_import_template():
    """A CSV with the import's columns and two example rows, to fill in."""
    separator = csvexport.separator_arg() or ","
    return csvexport.csv_response(COLUMNS, TEMPLATE_ROWS, "people-template.csv", separator)


@bp.route("/teams")
@roles_required("admin")
def teams():
    """List teams with their size."""
    return render_template("admin/teams.html", teams=services.list_teams_with_counts(),
                           form=TeamForm())


@bp.route("/teams/new", methods=["POST"])
@roles_required("admin")
def team_new():
    """Create a team."""
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = services.create_team(form.name.data)
        except services.AccountError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The team %(name)s has been created.", name=team.name), "success")
            return redirect(url_for("admin.team_edit", team_id=team.id))
    return render_template("admin/teams.html", teams=services.list_teams_with_counts(),
                           form=form), 400


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required("admin")
def team_edit(team_id: int):
    """Rename a team and manage its managers and members."""
    team = _get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    status = 200
    if form.validate_on_submit():
        try:
            services.rename_team(team, form.name.data)
        except services.AccountError as error:
            form.name.errors.append(str(error))
            status = 400
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.team_edit", team_id=team.id))
    elif request.method == "POST":
        status = 400
    return _render_team(team, form, TeamPersonForm(), status)


def _render_team(team, form, person_form, status):
    return render_template(
        "admin/team.html", team=team, form=form, person_form=person_form,
        managers=services.team_people(team, "manager"),
        members=services.team_people(team, "member"), confirm=ConfirmForm(),
    ), status


@bp.route("/teams/<int:team_id>/people", methods=["POST"])
@roles_required("admin")
def team_add_person(team_id: int):
    """Add a person to a team as member or manager."""
    team = _get_or_404(Team, team_id)
    person_form = TeamPersonForm()
    if person_form.validate_on_submit():
        person = services.get_user_by_email(person_form.email.data)
        if person is None:
            person_form.email.errors.append(_("Nobody with this e-mail address exists."))
        else:
            roles_before = set(person.roles)
            if services.add_to_team(team, person, person_form.kind.data):
                services.report_team_change(current_user, person, person_form.kind.data,
                                        added=[team.name])
            services.report_role_change(current_user, person, roles_before, set(person.roles))
            db.session.commit()
            flash(_("%(name)s has been added.", name=person.display_name), "success")
            return redirect(url_for("admin.team_edit", team_id=team.id))
    return _render_team(team, TeamForm(obj=team), person_form, 400)


@bp.route("/teams/<int:team_id>/people/<int:user_id>/<kind>/remove", methods=["POST"])
@roles_required("admin")
def team_remove_person(team_id: int, user_id: int, kind: str):
    """Remove a person from a team (the person stays)."""
    team = _get_or_404(Team, team_id)
    person = _get_or_404(User, user_id)
    if kind not in ("member", "manager") or not ConfirmForm().validate_on_submit():
        abort(400)
    if services.remove_from_team(team, person, kind):
        services.report_team_change(current_user, person, kind, removed=[team.name])
    db.session.commit()
    flash(_("%(name)s has been removed from the team.", name=person.display_name), "success")
    return redirect(url_for("admin.team_edit", team_id=team.id))
