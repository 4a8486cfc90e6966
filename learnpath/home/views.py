"""Landing pages: employee home, manager team overview, author and HR start pages."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from learnpath.accounts import services as accounts
from learnpath.conversations import schedule as check_in_schedule
from learnpath.conversations import services as conversations
from learnpath.engagement import plans as action_plans
from learnpath.engagement import services as engagement
from learnpath.extensions import db
from learnpath.modules import learning as module_learning
from learnpath.paths import enrolments as paths
from learnpath.paths import learning_now
from learnpath.reviews import services as reviews
from learnpath.web.access import login_required, public, roles_required, safe_next
from learnpath.web.forms import ConfirmForm
from learnpath.web.i18n import current_locale
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("home", __name__)


# Browsers ask for /favicon.ico wherever a page names no icon (JSON, a file, an error from a
# proxy): answer with the static file, public and cached like every other asset.
@bp.record_once
def _favicon(state):
    state.app.add_url_rule("/favicon.ico", "static", defaults={"filename": "favicon.ico"})


@bp.route("/")
@public
def index():
    """Employee home; visitors who are not signed in go to the sign-in page."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return _render_home()


@bp.route("/pulse", methods=["POST"])
@login_required
def pulse():
    """Answer (or change the answer to) this period's pulse question.

    Sent without a choice (or with one out of range), the home page comes back with the
    message at the question, so the person answers where they were.
    """
    if not ConfirmForm().validate_on_submit():
        abort(400)
    question, value = request.form.get("question", ""), request.form.get("value")
    try:
        engagement.answer_pulse(current_user, question, value)
    except engagement.EngagementError as error:
        db.session.rollback()
        key = question if question in engagement.QUESTIONS else ""
        return _render_home({key: str(error)}, status=400)
    db.session.commit()
    flash(_("Thank you! You can change your answer until the period ends."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("home.index")), 303)


@bp.route("/pulse", methods=["GET"])
@login_required
def pulse_page():
    """The address the check-in's message page has (the language switch, a reload): home."""
    return redirect(url_for("home.index"), 303)


def _render_home(pulse_errors: dict | None = None, status: int = 200):
    today = paths.today()
    enrolments, progress, next_modules = learning_now.active_learning(current_user, today)
    mine = action_plans.home_teams(current_user)
    locale = current_locale()
    upcoming, kinds = conversations.upcoming_with_kinds(current_user, today, limit=5)
    due, due_kinds = check_in_schedule.due_with_kinds(current_user, today)
    # this period's pulse answers and the review offer: figures of one row, one statement
    pulse_columns = engagement.pulse_columns(current_user)
    offer_columns, offer_from = reviews.offer_columns(current_user)
    figures = db.session.execute(select(*pulse_columns, *offer_columns)).one()
    return render_template(
        "home/index.html", teams=mine.teams, managed=mine.managed,
        recent=module_learning.recent_completions(current_user), enrolments=enrolments,
        progress=progress, next_modules=next_modules, locale=locale,
        suggestion=module_learning.suggest_module(current_user, locale)
        if not enrolments else None,
        pulses=engagement.open_pulses_from(figures[:len(pulse_columns)]),
        skipped=engagement.skipped_questions(session.get(engagement.SKIPPED_KEY, {})),
        pulse_errors=pulse_errors or {},
        new_kudos=engagement.unseen_kudos(current_user),
        upcoming=upcoming, due=due, today=today,
        review_offer=offer_from(figures[len(pulse_columns):]),
        templates={**due_kinds, **kinds},  # the check-in kinds came with what they name
        team_plans=mine.plans,
        plan_actions_by_id=action_plans.described([p for _t, p, _s in mine.plans], locale),
        plan_prompts=action_plans.missing_plans(mine.managed),
        follow_ups=mine.follow_ups), status


@bp.route("/hr")
@roles_required("hr")
def hr():
    """Organisation overview for HR: team sizes, primary teams and the anonymity threshold.

    Whether a team's engagement figures are shown depends on how many people gave a signal in
    a closed week: the engagement overview says so per team; this page counts people only.
    """
    threshold = current_app.config["ANONYMITY_THRESHOLD"]
    teams = accounts.list_teams_with_counts()
    return render_template("home/hr.html", teams=teams, primary=accounts.primary_team_counts(),
                           people=accounts.count_people(), threshold=threshold,
                           check_ins=conversations.check_in_share_per_team(paths.today(),
                                                                           threshold))


@bp.route("/healthz")
@public
def healthz():
    """Liveness check for load balancers."""
    return {"status": "ok"}


# The navigation ---------------------------------------------------------------------------
#
# What the layout's menu shows depends only on the person's roles, the language, where the app
# is mounted (script root) and which page is current: its <li> items are rendered once per
# worker for each such combination (home/_nav_links.html) and reused as Markup. The key is the
# values themselves, so nothing invalidates it: a person whose roles change has another key on
# their next request. Bounded: emptied when it holds NAV_CACHE_MAX entries.

NAV_ITEMS = (
    ("home.index", _l("Home"), None), ("search.catalog", _l("Catalog"), None),
    ("paths.overview", _l("Paths"), None), ("engagement.kudos", _l("Kudos"), None),
    ("conversations.index", _l("Check-ins"), None),
    ("engagement_dash.mine", _l("My engagement"), None),
    ("paths.team", _l("My teams"), "manager"),
    ("engagement_dash.teams", _l("Team engagement"), "manager"),
    ("author.index", _l("Authoring"), "author"), ("home.hr", _l("Organisation"), "hr"),
    ("engagement_dash.hr", _l("Engagement"), "hr"), ("admin.index", _l("Admin"), "admin"),
)
NAV_CACHE = "learnpath.nav_links"
NAV_CACHE_MAX = 4096


@bp.app_context_processor
def navigation():
    return {"nav_links": nav_links}


def nav_links():
    """The menu's items for the signed-in person on this page, as Markup (cached, see above)."""
    roles = frozenset(current_user.roles)
    key = (roles, current_locale(), request.script_root, request.endpoint)
    cache = current_app.extensions.setdefault(NAV_CACHE, {})
    try:
        return cache[key]
    except KeyError:
        pass
    items = [(endpoint, str(label)) for endpoint, label, role in NAV_ITEMS
             if role is None or role in roles]
    html = Markup(current_app.jinja_env.get_template("home/_nav_links.html").render(
        items=items, current=request.endpoint))
    if len(cache) >= NAV_CACHE_MAX:
        cache.clear()
    cache[key] = html
    return html
