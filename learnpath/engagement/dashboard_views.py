"""Engagement dashboards: my engagement, team and HR aggregates, the CSV export, how it works.

Nothing here shows one person's indicator, pulse answer or kudos count to anyone but that
person: team and HR pages get GroupFigures only, read from the weekly snapshots and
thresholded when read (visibility.py).
"""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from learnpath.accounts import services as accounts
from learnpath.accounts.models import Team
from learnpath.engagement import aggregates, charts, plans
from learnpath.engagement import indicator as ind
from learnpath.extensions import db
from learnpath.web import csv as csvexport
from learnpath.web.access import login_required, roles_required
from learnpath.web.i18n import current_locale, per_language
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("engagement_dash", __name__, url_prefix="/engagement")

COMPONENT_NAMES = {"rhythm": _l("Rhythm"), "progress": _l("Progress"), "voice": _l("Voice"),
                   "recognition": _l("Recognition")}
COMPONENT_MEASURES = {
    "rhythm": _l("Learning in the flow of work, regularly: in how many of the last 4 weeks "
                 "you completed at least one module."),
    "progress": _l("Progress on your active growth paths compared with the plan: the share of "
                   "the steps you could expect to have done by now, given the time between "
                   "enrolling and the due date."),
    "voice": _l("Your latest answer to the weekly check-in in the last 4 weeks, from 1 "
                "(drained) to 5 (full of energy)."),
    "recognition": _l("Kudos you gave or received in the last 4 weeks."),
}
COMPONENT_MOVES = {
    "rhythm": _l("Complete one short module in each week. A week counts once, however many "
                 "modules you finish in it."),
    "progress": _l("Do the next step of a path. A path without a due date counts as on plan "
                   "when you did a step in the last 4 weeks."),
    "voice": _l("Answer the weekly check-in on the home page. It is optional: without an "
                "answer this part is left out, not counted as zero."),
    "recognition": _l("Give a colleague kudos for something they did or learned. Two or more "
                      "in 4 weeks gives the full score."),
}
COMPONENT_ABSENT = {
    "rhythm": _l("No signal this week, so nothing is counted."),
    "progress": _l("Left out: no growth path counts yet (you have none, or joined less than 14 "
                   "days ago and are not yet on plan)."),
    "voice": _l("Left out: you did not answer the weekly check-in in the last 4 weeks."),
    "recognition": _l("No signal this week, so nothing is counted."),
}
BAND_NAMES = {"engaged": _l("Engaged"), "neutral": _l("Neutral"), "at_risk": _l("At risk")}
CSV_COLUMNS = ("team", "people", "contributors", "week", "indicator", "rhythm", "progress", "voice",
               "recognition", "engaged_pct", "neutral_pct", "at_risk_pct",
               "learning_participation_pct", "pulse_participation_pct", "enps_month", "enps",
               "promoters_pct", "passives_pct", "detractors_pct", "enps_answers")



def reason_texts(k: int) -> dict[str, str]:
    """Why a figure is hidden, in a sentence."""
    return {
        "none": _("No figure yet: nobody contributes to it in this period."),
        "too_few": _("Hidden to protect anonymity: fewer than %(k)d people contribute to this "
                     "figure.", k=k),
        "subtraction": _("Hidden to protect anonymity: another team's figure is hidden, and "
                         "showing this one would let it be worked out by subtraction from the "
                         "organisation total."),
        "group_hidden": _("Hidden to protect anonymity: the team's figures are hidden."),
        "not_primary": _("No engagement figures: they are kept for primary teams only (each "
                         "person's engagement home), from the first week that closes after "
                         "the team became someone's primary team."),
    }


def reason_short(k: int) -> dict[str, str]:
    """Why a figure is hidden, in a few words (table cells)."""
    return {
        "none": _("not enough data"),
        "too_few": _("hidden: fewer than %(k)d people", k=k),
        "subtraction": _("hidden: protects a smaller team"),
        "group_hidden": _("hidden"),
        "not_primary": _("not a primary team"),
    }


@per_language
def _names_by_threshold() -> dict[int, dict]:
    return {}


@bp.context_processor
def _names():
    """The names these templates show, translated once per language and threshold (plain str,
    so rendering translates nothing; web/i18n.py per_language owns the cache)."""
    k = aggregates.threshold()
    by_threshold = _names_by_threshold()
    names = by_threshold.get(k)
    if names is None:
        plain = {name: {key: str(text) for key, text in texts.items()} for name, texts in (
            ("component_names", COMPONENT_NAMES), ("component_measures", COMPONENT_MEASURES),
            ("component_moves", COMPONENT_MOVES), ("component_absent", COMPONENT_ABSENT),
            ("band_names", BAND_NAMES))}
        names = by_threshold[k] = {
            **plain, "weights": ind.WEIGHTS, "components": ind.COMPONENTS,
            "reasons": reason_texts(k), "reasons_short": reason_short(k), "k": k,
            "week_name": _week_name, "band_of": ind.band}
    return names


def _week_name(week: ind.Week) -> str:
    return _("week %(week)d, %(year)d", week=week.number, year=week.year)


def _trend_chart(chart_id: str, points, title: str, description: str):
    return charts.line_chart(
        chart_id, [(f"W{week.number:02d}", _week_name(week), value) for week, value in points],
        title=title, description=description, value_name=_("Indicator (0-100)"),
        missing=_("not enough data"),
        gap_legend=_("A gap in the line is a week without a figure (no signal, or too few "
                     "people gave one): absence of data, never a score of 0."))


def _describe_trend(points) -> str:
    values = [(week, value) for week, value in points if value is not None]
    if not values:
        return _("No figures in these weeks.")
    (first_week, first), (last_week, last) = values[0], values[-1]
    return _("From %(first)d in %(first_week)s to %(last)d in %(last_week)s, on a scale of 0 "
             "to 100; 70 and above is engaged, below 40 at risk.", first=first, last=last,
             first_week=_week_name(first_week), last_week=_week_name(last_week))


def _group_charts(group: aggregates.GroupFigures) -> dict:
    """The trend and band charts of a shown group, drawn once per language for its figures."""
    if not group.shown:
        return {}
    locale = current_locale()
    if locale not in group.charts:
        group.charts[locale] = _draw_charts(group)
    return group.charts[locale]


def _draw_charts(group: aggregates.GroupFigures) -> dict:
    slug = f"g{group.key}" if group.key is not None else "org"
    name = group.name or _("the organisation")
    bands = group.bands.value
    return {
        "trend": _trend_chart(f"{slug}-trend", group.trend,
                              _("Mean indicator of %(name)s, last 12 weeks", name=name),
                              _describe_trend(group.trend)),
        "bands": charts.bar_chart(
            f"{slug}-bands", [(str(BAND_NAMES[b]), bands[b][1], b) for b in ind.BANDS],
            title=_("People per band in %(name)s, %(week)s", name=name,
                    week=_week_name(group.week)),
            description=", ".join(f"{BAND_NAMES[b]}: {bands[b][1]}%" for b in ind.BANDS),
            label_name=_("Band"), value_name=_("Share of people"), missing=_("hidden")),
    }


# Pages -----------------------------------------------------------------------------------------


@bp.route("/me")
@login_required
def mine():
    """The person's own indicator, its components and what moves them, with a 12-week trend."""
    figures = aggregates.person_figures(current_user.id)
    points = [(week, result.value if result is not None else None)
              for week, result in figures.trend]
    chart = _trend_chart("mine-trend", points, _("Your indicator, last 12 weeks"),
                         _describe_trend(points))
    present = figures.current.present if figures.current is not None else []
    total = sum(ind.WEIGHTS[c] for c in present)
    effective = {c: ind.round_half_up(100 * ind.WEIGHTS[c] / total) for c in present}
    return render_template("engagement/dashboard/me.html", figures=figures, chart=chart,
                           effective=effective, locale=current_locale())


@bp.route("/teams")
@roles_required("manager")
def teams():
    """Aggregates of every team the person manages (never of anyone else's team)."""
    managed = accounts.teams_of(current_user, "manager")
    # A team hidden on the HR overview is hidden here too; someone who also sees the HR
    # overview gets its per-figure rules as well.
    groups = aggregates.team_figures(managed,
                                     sees_organisation=current_user.has_any_role("hr"))
    return render_template("engagement/dashboard/teams.html", groups=groups,
                           charts={g.key: _group_charts(g) for g in groups}, single=False,
                           **_plans_of(groups, {t.id for t in managed}))


@bp.route("/teams/<int:team_id>")
@roles_required("manager", "hr")
def team(team_id: int):
    """One team's aggregates: for its managers, and for HR."""
    managed = {t.id for t in accounts.teams_of(current_user, "manager")}
    if current_user.has_any_role("hr"):
        # The same organisation-wide plan as the HR overview: hidden there, hidden here.
        chosen = db.session.get(Team, team_id)
        if chosen is None:
            abort(404)
        groups = aggregates.team_figures([chosen], sees_organisation=True)
    else:
        chosen = db.session.get(Team, team_id) if team_id in managed else None
        if chosen is None:
            abort(403)
        groups = aggregates.team_figures([chosen])
    return render_template("engagement/dashboard/teams.html", groups=groups,
                           charts={g.key: _group_charts(g) for g in groups}, single=True,
                           **_plans_of(groups, managed))


def _plans_of(groups, managed: set[int]) -> dict:
    """The teams' latest action plans with their follow-up figures (aggregates only), and
    which teams this viewer may make a plan for (the ones they manage)."""
    latest = plans.latest_plans([g.key for g in groups if g.key])
    return {"plans": latest, "plan_follow_ups": plans.follow_ups(latest.values()),
            "plan_action_lists": plans.described(latest.values(), current_locale()),
            "can_plan": managed}


@bp.route("/hr")
@roles_required("hr")
def hr():
    """The organisation and every team, thresholded, for HR."""
    figures = aggregates.organisation_figures()
    latest = plans.latest_plans([g.key for g in figures.teams])
    content = Markup(render_template("engagement/dashboard/_hr_content.html", figures=figures,
                                     total_charts=_group_charts(figures.total), plans=latest,
                                     plan_follow_ups=plans.follow_ups(latest.values())))
    return render_template("engagement/dashboard/hr.html", content=content)


@bp.route("/hr.csv")
@roles_required("hr")
def hr_csv():
    """The HR aggregates as CSV: hidden cells empty, with the reason in the last column.

    UTF-8 with BOM for Excel; ?sep=semicolon for Excel with Dutch settings.
    """
    separator = csvexport.separator_arg()
    if separator is None:
        abort(400)
    figures = aggregates.organisation_figures()
    trend_weeks = ind.weeks_ending(figures.total.week.monday, ind.TREND_WEEKS,
                                   aggregates.timezone())
    header = [*CSV_COLUMNS, *(f"indicator_{w.label}" for w in trend_weeks), "hidden_reason"]
    texts = reason_texts(aggregates.threshold())
    groups = [(_("Whole organisation"), figures.total)] + [(g.name, g) for g in figures.teams]
    rows = [_csv_row(name, group, len(trend_weeks), texts) for name, group in groups]
    week = figures.total.week.label
    return csvexport.csv_response(header, rows, f"learnpath-engagement-{week}.csv", separator)


def _csv_safe(text: str) -> str:
    """Keep spreadsheet programs from reading a team name as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(figure: aggregates.Figure, get=lambda value: value):
    return "" if not figure.shown or figure.value is None else get(figure.value)


def _csv_row(name: str, group: aggregates.GroupFigures, trend_len: int, texts) -> list:
    enps = group.enps
    row = [_csv_safe(name), group.people, group.contributors, group.week.label,
           _cell(group.indicator),
           *(_cell(group.components[c]) for c in ind.COMPONENTS),
           *(_cell(group.bands, lambda v, b=b: v[b][1]) for b in ind.BANDS),
           _cell(group.learning), _cell(group.pulse), group.enps_month,
           _cell(enps, lambda v: v.score),
           *(_cell(enps, lambda v, c=c: v.share(c)) for c in ("promoter", "passive",
                                                               "detractor")),
           _cell(enps, lambda v: v.answers)]
    trend = [value for _week, value in group.trend] if group.shown else []
    row += [("" if value is None else value) for value in trend] + [""] * (trend_len - len(trend))
    if not group.shown:
        reasons = [texts[group.hidden]]
    else:
        hidden = {str(COMPONENT_NAMES[c]): group.components[c].hidden for c in ind.COMPONENTS}
        hidden["eNPS"] = enps.hidden
        reasons = [f"{label}: {texts[reason]}" for label, reason in hidden.items() if reason]
    return row + ["; ".join(reasons)]


@bp.route("/how")
@login_required
def how():
    """How the indicator is computed, and who can see what: for employees and works councils."""
    return render_template("engagement/dashboard/how.html")
