"""A person's own engagement figures: indicator, components, inputs and 12-week trend.

For that person only (the "My engagement" page); nobody else sees a person's indicator.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from learnpath.engagement import indicator as ind
from learnpath.engagement.activity import INPUT_WEEKS, activities, local_today, timezone
from learnpath.engagement.indicator import Activity, Indicator, Week
from learnpath.extensions import db
from learnpath.paths.models import GrowthPath


@dataclass
class PathLine:
    path_id: int
    title_en: str
    title_nl: str
    required: int
    done: int
    expected: float | None
    value: float | None  # None: in its grace period, left out

    def title(self, locale: str) -> str:
        return self.title_nl if locale == "nl" else self.title_en


@dataclass
class PersonFigures:
    week: Week
    current: Indicator | None  # None: no signal in the window
    trend: list[tuple[Week, Indicator | None]]
    completion_weeks: int
    kudos: int
    energy: int | None
    paths: list[PathLine]


def person_figures(user_id: int, today: date | None = None) -> PersonFigures:
    """A person's own indicator, components, inputs and 12-week trend (for them only)."""
    tz = timezone()
    today = today or local_today()
    weeks = ind.weeks_ending(today, INPUT_WEEKS, tz)
    found, _enps = activities("user", user_id, weeks)
    activity = found.get(user_id) or Activity.empty(len(weeks))
    results = ind.timeline(weeks, activity, today, tz)
    trend = list(zip(weeks[ind.WINDOW_WEEKS - 1:], results, strict=True))
    window = slice(len(weeks) - ind.WINDOW_WEEKS, len(weeks))
    last = weeks[-1]
    energy = next((e for e in reversed(activity.energy[window]) if ind.voice(e) is not None),
                  None)
    active = [p for p in activity.paths if p.active_at(last.end)]
    titles = {row.id: row for row in db.session.execute(
        select(GrowthPath.id, GrowthPath.title_en, GrowthPath.title_nl)
        .where(GrowthPath.id.in_([p.path_id for p in active])))} if active else {}
    day = min(last.sunday, today)
    lines = []
    for path in active:
        before = path.done_by[window.start - 1]
        plan = ind.PathPlan(path.required, path.done_by[-1],
                            path.enrolled_at.astimezone(tz).date(), path.due,
                            path.done_by[-1] > before)
        title = titles.get(path.path_id)
        lines.append(PathLine(path.path_id, title.title_en if title else "",
                              title.title_nl if title else "", path.required, plan.done,
                              plan.expected(day), ind.path_progress(plan, day)))
    return PersonFigures(
        week=last, current=results[-1], trend=trend,
        completion_weeks=sum(1 for j in range(window.start, window.stop) if activity.learned(j)),
        kudos=sum(activity.kudos[window]), energy=energy, paths=lines)
