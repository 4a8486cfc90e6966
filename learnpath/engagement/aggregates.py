"""Team and organisation engagement figures for the dashboards, the CSV export and the API.

They are read from the weekly snapshots (snapshots.py: one statement for the 12 trend weeks
of every group) and thresholded when read (visibility.py). Only primary teams and the
organisation have figures; the organisation counts every active person who belongs to a team,
each once, in their primary team. Nothing here touches a person's raw data.

A person's own figures are in person.py; the inputs' queries in activity.py.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select

from learnpath.accounts.models import Team
from learnpath.engagement import indicator as ind
from learnpath.engagement import snapshots
from learnpath.engagement.activity import PULSE_SLACK, local_today, threshold, timezone
from learnpath.engagement.indicator import Week
from learnpath.engagement.person import PathLine, PersonFigures, person_figures
from learnpath.engagement.visibility import (
    METRIC_OF_COMPONENT,
    METRICS,
    REASONS,
    Figure,
    GroupFigures,
    own_plan,
    plan_visibility,
    reason_for,
)
from learnpath.extensions import db

__all__ = ["PULSE_SLACK", "METRICS", "REASONS", "Figure", "GroupFigures", "OrganisationFigures",
           "PathLine", "PersonFigures", "local_today", "organisation_figures", "person_figures",
           "plan_visibility", "team_figures", "threshold", "timezone"]

NOT_PRIMARY = "not_primary"  # a team that is nobody's primary team in the week (no row)


def team_reference_day(today: date) -> date:
    """Team figures end with the last complete (closed) week."""
    return today - ind.timedelta(weeks=1)


def enps_month_for(today: date) -> str:
    """eNPS is reported for the last complete month."""
    return ind.month_label(ind.previous_month(today))


@dataclass
class OrganisationFigures:
    total: GroupFigures
    teams: list[GroupFigures]
    html: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def team(self, team_id: int) -> GroupFigures | None:
        return next((group for group in self.teams if group.key == team_id), None)


def _counts(row: dict | None) -> dict[str, int]:
    if row is None:
        return {metric: 0 for metric in METRICS}
    return {"people": row["contributors"], "progress": row["progress_n"],
            "voice": row["voice_n"],
            "enps": row["promoters"] + row["passives"] + row["detractors"]}


def _plans(rows: dict, weeks: list[Week], k: int) -> dict[str, dict]:
    """Per week: the plan of every primary team (threshold and complementary rule under the
    organisation), and the organisation's own plan under key 0."""
    counts: dict[str, dict] = {week.label: {} for week in weeks}
    for (label, key), row in rows.items():
        if key != snapshots.ORGANISATION and label in counts:
            counts[label][key] = _counts(row)
    plans = {}
    for label, teams in counts.items():
        plan = plan_visibility(teams, k)
        org = _counts(rows.get((label, snapshots.ORGANISATION)))
        plan[snapshots.ORGANISATION] = own_plan(reason_for(org["people"], k), org, k)
        plans[label] = plan
    return plans


def _mean(total: float, n: int) -> int | None:
    return ind.round_half_up(total / n) if n > 0 else None


def _percent(part: int, whole: int) -> int | None:
    return ind.round_half_up(100 * part / whole) if whole else None


def _group(key: int, name: str, rows: dict, weeks: list[Week], plans: dict,
           sees_organisation: bool = True) -> GroupFigures:
    """One group's figures from its rows, hiding what the plans hide.

    Whether a team is shown at all follows the organisation-wide plan for every viewer, so a
    team hidden on the HR overview is hidden on its manager's page too. Per figure (eNPS,
    Voice, Progress) the complementary rule needs the organisation total in view: a viewer
    who does not see it (a manager) gets each figure on its own contributors.
    """
    last = weeks[-1]
    row = rows.get((last.label, key))
    if not sees_organisation and row is not None and key in plans[last.label]:
        plans = {**plans, last.label: {**plans[last.label], key: own_plan(
            plans[last.label][key]["people"], _counts(row), threshold())}}
    figures = GroupFigures(key=key or None, name=name, people=row["members"] if row else 0,
                           week=last, enps_month=row["enps_month"] if row else "",
                           contributors=row["contributors"] if row else 0,
                           primary=row is not None)
    plan = plans[last.label].get(key) or {metric: NOT_PRIMARY for metric in METRICS}
    figures.hidden = plan["people"]
    figures.trend = []
    for week in weeks:
        point = rows.get((week.label, key))
        shown = point is not None and (plans[week.label].get(key) or {}).get("people") is None
        figures.trend.append((week, _mean(point["indicator_sum"], point["contributors"])
                              if shown else None))
    if figures.hidden is not None:
        hidden = Figure(hidden=figures.hidden)
        figures.indicator = figures.bands = figures.learning = figures.pulse = hidden
        figures.components = {name: hidden for name in ind.COMPONENTS}
        figures.enps = Figure(hidden=plan["enps"])
        return figures
    n = row["contributors"]
    figures.indicator = Figure(_mean(row["indicator_sum"], n))
    sums = {"rhythm": (row["rhythm_sum"], n), "progress": (row["progress_sum"], row["progress_n"]),
            "voice": (row["voice_sum"], row["voice_n"]),
            "recognition": (row["recognition_sum"], n)}
    for component in ind.COMPONENTS:
        reason = plan[METRIC_OF_COMPONENT[component]]
        figures.components[component] = (Figure(hidden=reason) if reason is not None
                                         else Figure(_mean(*sums[component])))
    figures.bands = Figure({b: (row[b], _percent(row[b], n)) for b in ind.BANDS})
    figures.learning = Figure(_percent(row["learned"], row["members"]))
    figures.pulse = Figure(_percent(row["voice_n"], row["members"]))
    figures.enps = (Figure(hidden=plan["enps"]) if plan["enps"] is not None else Figure(
        ind.Enps(row["promoters"], row["passives"], row["detractors"])))
    return figures


def _read(today: date | None) -> dict:
    """The trend weeks' rows and visibility plans, and the groups built from them.

    Reading and planning 12 weeks of 200 teams cost most of a dashboard request, yet closed
    rows never change: each app keeps the last result under the weeks, the threshold and the
    rows' fingerprint (one aggregate statement instead of reading every row), so a week closed
    or a threshold changed by any worker or process is seen on the next request, with nothing
    to invalidate. Groups built from the rows are kept beside them (`groups`), keyed by what
    else they depend on, and carry their charts per language (dashboard_views)."""
    weeks = snapshots.trend_weeks(today)
    k = threshold()
    key = (tuple(week.label for week in weeks), k, snapshots.fingerprint(weeks))
    memo = current_app.extensions.setdefault("engagement.figures", {})
    if memo.get("key") != key:
        rows = snapshots.read(weeks)  # closes missing weeks first
        if key[2][0] != len(weeks):  # some were open: their rows are new
            key = (*key[:2], snapshots.fingerprint(weeks))
        memo.clear()
        memo.update(key=key, weeks=weeks, rows=rows, plans=_plans(rows, weeks, k), groups={})
    return memo


def _group_of(memo: dict, key: int, name: str, sees_organisation: bool = True) -> GroupFigures:
    groups = memo["groups"]
    found = groups.get((key, name, sees_organisation))
    if found is None:
        found = groups[(key, name, sees_organisation)] = _group(
            key, name, memo["rows"], memo["weeks"], memo["plans"], sees_organisation)
    return found


def team_figures(teams: list[Team], today: date | None = None, *,
                 sees_organisation: bool = False) -> list[GroupFigures]:
    """These teams' figures, from the snapshots (one statement when the weeks are closed):
    for their manager, or with `sees_organisation` for a viewer who also sees the
    organisation total (HR), with every rule of the HR overview."""
    if not teams:
        return []
    memo = _read(today)
    return [_group_of(memo, team.id, team.name, sees_organisation) for team in teams]


def organisation_figures(today: date | None = None) -> OrganisationFigures:
    """The organisation (every active person in a team, once) and each primary team, for HR."""
    memo = _read(today)
    last = memo["weeks"][-1].label
    names = {key for (label, key) in memo["rows"] if label == last}
    current = dict(db.session.execute(select(Team.id, Team.name).where(
        Team.id.in_([key for key in names if key]))).all()) if len(names) > 1 else {}
    teams = sorted((key for key in names if key), key=lambda key: (current.get(key, ""), key))
    return OrganisationFigures(
        _group_of(memo, snapshots.ORGANISATION, ""),
        [_group_of(memo, key, current[key]) for key in teams if key in current])
