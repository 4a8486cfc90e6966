"""HTML around the API: tokens on the profile page, the developer page, team-progress CSV."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from learnpath.api import openapi, tokens
from learnpath.api import services as api
from learnpath.api.forms import TokenForm
from learnpath.extensions import db
from learnpath.timeutil import utcnow
from learnpath.web import csv as csvexport
from learnpath.web.access import login_required, public, roles_required
from learnpath.web.forms import ConfirmForm
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("api_pages", __name__)
MAX_LIVE_TOKENS = 20

# Operation descriptions for the developer page, in the reader's language.
OPERATION_TEXTS = {
    "getOpenApi": _l("This OpenAPI 3.1 document."),
    "getMe": _l("The person and token behind the request."),
    "searchModules": _l("Search the catalog: q, the facets skill, level, language and duration, "
                        "sort, paging."),
    "getModule": _l("Metadata of one published module."),
    "listEnrolments": _l("Your growth-path enrolments with progress."),
    "enrol": _l("Enrol in a growth path (read-write token)."),
    "leavePath": _l("Leave a growth path you chose yourself (read-write token)."),
    "listCompletions": _l("Your completed modules, newest first."),
    "listCheckIns": _l("Your check-ins, as manager or as person, with their agreed actions "
                       "(never a note)."),
    "listPaths": _l("Published growth paths."),
    "getPath": _l("One growth path with its steps and your enrolment."),
    "listTeams": _l("The teams you manage (managers)."),
    "getTeamAssignments": _l("Assignment progress per person of a team you manage."),
    "getTeamEngagement": _l("Engagement aggregates of a team, with the same anonymity "
                            "thresholds as the engagement pages (managers of the team, HR)."),
    "listXapiStatements": _l("Your own learning activity as xAPI statements."),
    "listXapiCheckIns": _l("Your held check-ins as xAPI \"attended\" statements, for you only "
                           "(never with whom or what was said)."),
}
STATE_NAMES = {"active": _l("Active"), "expired": _l("Expired"), "revoked": _l("Revoked")}


@bp.app_context_processor
def _token_section():
    def api_token_section():
        """Tokens and forms for the profile page's API section."""
        if not current_user.is_authenticated:
            return None
        now = utcnow()
        return {"tokens": [(t, tokens.state_of(t, now)) for t in tokens.tokens_of(current_user)],
                "form": TokenForm(), "confirm": ConfirmForm(), "state_names": STATE_NAMES}

    return {"api_token_section": api_token_section}


@bp.route("/developers")
@public
def developers():
    """The human-readable API page: authentication, endpoints, errors, examples."""
    return render_template("api/developers.html", operations=openapi.operations(),
                           texts=OPERATION_TEXTS, base=request.host_url.rstrip("/"))


@bp.route("/profile/tokens", methods=["POST"])
@login_required
def create_token():
    """Create a personal access token and show its secret, once."""
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("The token was not created: give it a name of at most %(max)d characters.",
                max=tokens.NAME_MAX), "error")
        return redirect(url_for("accounts.profile") + "#api-tokens")
    live = [t for t in tokens.tokens_of(current_user) if tokens.state_of(t) == "active"]
    if len(live) >= MAX_LIVE_TOKENS:
        flash(ngettext("You have %(num)d active token. Revoke it before creating another.",
                       "You have %(num)d active tokens. Revoke one before creating another.",
                       len(live)), "error")
        return redirect(url_for("accounts.profile") + "#api-tokens")
    expires = (None if form.expires.data == "never"
               else utcnow() + timedelta(days=int(form.expires.data)))
    token, secret = tokens.create_token(current_user, form.name.data, form.scope.data, expires)
    db.session.commit()
    return render_template("api/token_created.html", token=token, secret=secret)


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    """Revoke one of the person's own tokens."""
    token = tokens.get_own_token(current_user, token_id)
    if token is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    tokens.revoke(token)
    db.session.commit()
    flash(_("The token \"%(name)s\" has been revoked.", name=token.name), "success")
    return redirect(url_for("accounts.profile") + "#api-tokens")


TEAM_CSV_HEADER = ("team", "person", "email", "path", "path_title", "due_date", "state",
                   "status", "steps_done", "steps_required", "percent")


@bp.route("/manager/progress.csv")
@roles_required("manager")
def team_progress_csv():
    """Assignment progress of the manager's teams as CSV (?sep=semicolon for Dutch Excel)."""
    separator = csvexport.separator_arg()
    if separator is None:
        abort(400)
    return csvexport.csv_response(TEAM_CSV_HEADER, api.team_progress_rows(current_user),
                                  f"learnpath-team-progress-{api.iso(utcnow().date())}.csv",
                                  separator)
