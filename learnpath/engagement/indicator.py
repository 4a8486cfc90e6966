"""The engagement indicator of DESIGN.md section 6 as pure functions: counts in, figures out.

Nothing here touches the database or the request. aggregates.py gathers the counts with a few
grouped queries and hands them to these functions.

Weeks are ISO weeks in the organisation's time zone (BABEL_DEFAULT_TIMEZONE): a week runs from
Monday 00:00 to the next Monday 00:00 on the local clock, so in Amsterdam a completion at Sunday
23:30 belongs to that week and one at Monday 00:30 to the next, whatever UTC says. Boundaries
are kept as UTC instants so they compare directly with the stored (UTC) timestamps.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from math import floor
from types import MappingProxyType
from zoneinfo import ZoneInfo

WEIGHTS = {"rhythm": 0.4, "progress": 0.3, "voice": 0.2, "recognition": 0.1}
COMPONENTS = tuple(WEIGHTS)
WINDOW_WEEKS = 4
TREND_WEEKS = 12
ENGAGED_FROM = 70
NEUTRAL_FROM = 40
BANDS = ("engaged", "neutral", "at_risk")
ENERGY_RANGE = (1, 5)
# A path joined less than this many days ago counts in Progress only when it is on plan: a
# path just joined must never lower anyone's indicator (DESIGN.md section 6).
GRACE_DAYS = 14
ENPS_RANGE = (0, 10)


def round_half_up(value: float) -> int:
    """Round to a whole number, halves upward (62.5 -> 63, -12.5 -> -12).

    The tiny epsilon absorbs binary float error (a true 62.5 computed as 62.49999999999999);
    the quotients behind these figures never come that close to a half without being one.
    """
    return floor(value + 0.5 + 1e-9)


# Weeks ----------------------------------------------------------------------------------------


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive values (SQLite hands them back so) are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which this local day starts."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Week:
    """One ISO week in the organisation's time zone; start and end are UTC, end exclusive."""

    monday: date
    start: datetime
    end: datetime

    @property
    def year(self) -> int:
        return self.monday.isocalendar()[0]

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @cached_property
    def label(self) -> str:
        """The period name the weekly pulse uses, e.g. 2026-W48 (read often: kept)."""
        return f"{self.year}-W{self.number:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def week_containing(day: date, tz: ZoneInfo) -> Week:
    monday = day - timedelta(days=day.weekday())
    return Week(monday, local_midnight(monday, tz), local_midnight(monday + timedelta(7), tz))


def week_of(moment: datetime, tz: ZoneInfo) -> Week:
    """The local ISO week a moment falls in."""
    return week_containing(as_utc(moment).astimezone(tz).date(), tz)


def weeks_ending(day: date, count: int, tz: ZoneInfo) -> list[Week]:
    """The `count` weeks up to and including the week of `day`, oldest first."""
    last = week_containing(day, tz).monday
    return [week_containing(last - timedelta(weeks=n), tz) for n in range(count - 1, -1, -1)]


def month_label(day: date) -> str:
    """The period name the monthly eNPS question uses, e.g. 2026-11."""
    return f"{day.year}-{day.month:02d}"


def previous_month(day: date) -> date:
    """A day in the calendar month before the one of `day`."""
    return day.replace(day=1) - timedelta(days=1)


# Components -----------------------------------------------------------------------------------


def rhythm(weeks_with_completion: int) -> int:
    """Weeks of the 4 with at least one completion or review, times 25."""
    return max(0, min(WINDOW_WEEKS, weeks_with_completion)) * 25


def voice(energy: int | None) -> int | None:
    """The latest energy answer (1-5) mapped to 0-100; absent without an answer."""
    if energy is None or not ENERGY_RANGE[0] <= energy <= ENERGY_RANGE[1]:
        return None
    return (energy - 1) * 25


def recognition(kudos: int) -> int:
    """Kudos given or received in the window: none 0, one 50, two or more 100."""
    return 0 if kudos <= 0 else 50 if kudos == 1 else 100


def elapsed_fraction(enrolled_on: date, due: date, day: date) -> float:
    """The share of the time between enrolment and due date that has passed on `day` (0-1)."""
    total = (due - enrolled_on).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (day - enrolled_on).days / total))


@dataclass(frozen=True)
class PathPlan:
    """One active path as the Progress component sees it in one window."""

    required: int  # required steps of the path
    done: int  # required steps done by the end of the week
    enrolled_on: date
    due: date | None
    stepped_in_window: bool  # a required step was done during the 4-week window

    def expected(self, day: date) -> float | None:
        if self.due is None:
            return None
        return self.required * elapsed_fraction(self.enrolled_on, self.due, day)


def in_grace(enrolled_on: date, day: date) -> bool:
    """Joined less than GRACE_DAYS days before `day`."""
    return (day - enrolled_on).days < GRACE_DAYS


def path_progress(plan: PathPlan, day: date) -> float | None:
    """min(1, done / expected) x 100; no due date: on plan (100) when a step was done in the
    window, else 0. None (left out) for a path in its grace period that is not on plan."""
    return _path_value(plan.required, plan.done, plan.enrolled_on, plan.due,
                       plan.stepped_in_window, day)


def _path_value(required: int, done: int, enrolled_on: date, due: date | None, stepped: bool,
                day: date) -> float | None:
    if due is None:
        value = 100.0 if stepped else 0.0
    else:
        expected = required * elapsed_fraction(enrolled_on, due, day)
        value = 100.0 if expected <= 0 else min(1.0, done / expected) * 100
    if value < 100.0 and in_grace(enrolled_on, day):
        # Joined less than 14 days ago and behind plan (typically: nothing done yet): left
        # out, so joining a path never lowers the indicator this week or the next.
        return None
    return value


def progress(plans: Sequence[PathPlan], day: date) -> float | None:
    """The mean over the active paths that count; absent when none counts."""
    values = [v for v in (path_progress(plan, day) for plan in plans) if v is not None]
    if not values:
        return None
    return sum(values) / len(values)


# The indicator --------------------------------------------------------------------------------


def band(value: int) -> str:
    if value >= ENGAGED_FROM:
        return "engaged"
    if value >= NEUTRAL_FROM:
        return "neutral"
    return "at_risk"


def combine(components: Mapping[str, float | None]) -> int | None:
    """The weighted mean of the present components, weights renormalised, rounded half up."""
    present = {name: value for name, value in components.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in present)
    if not present or weight <= 0:
        return None
    return round_half_up(sum(WEIGHTS[name] * value for name, value in present.items()) / weight)


@dataclass(frozen=True)
class Indicator:
    value: int
    band: str
    components: Mapping[str, float | None]  # read-only: results are shared

    @property
    def present(self) -> list[str]:
        return [name for name in COMPONENTS if self.components.get(name) is not None]


def indicator(*, completion_weeks: int, kudos: int, energy: int | None = None,
              plans: Sequence[PathPlan] = (), day: date | None = None,
              answered: bool = False) -> Indicator | None:
    """The indicator of one person in one 4-week window; None ("no signal") when the window
    holds no signal of theirs: no completion, knowledge-check answer (`answered`), pulse
    answer, kudos, nor a path that counts in Progress."""
    return _indicator(max(0, min(WINDOW_WEEKS, completion_weeks)), min(max(kudos, 0), 2),
                      energy if voice(energy) is not None else None,
                      progress(plans, day) if plans else None, answered)


@lru_cache(maxsize=65536)
def _indicator(completion_weeks: int, kudos: int, energy: int | None,
               progress_value: float | None, answered: bool = False) -> Indicator | None:
    """Shared, immutable results: most people share a handful of input combinations."""
    if not (completion_weeks or kudos or energy is not None or progress_value is not None
            or answered):
        return None  # no signal: not 0, not at risk
    voice_value = voice(energy)
    components = MappingProxyType({
        "rhythm": float(rhythm(completion_weeks)),
        "progress": progress_value,
        "voice": None if voice_value is None else float(voice_value),
        "recognition": float(recognition(kudos)),
    })
    value = combine(components)
    return Indicator(value, band(value), components)


# A person over several weeks ------------------------------------------------------------------


@dataclass(frozen=True)
class PathHistory:
    """An enrolment with its required steps done by the end of each week of a list."""

    required: int
    enrolled_at: datetime  # UTC
    ended_at: datetime | None  # UTC completion or withdrawal; None while active
    due: date | None
    done_before: int  # required steps done before the first week started
    done_by: tuple[int, ...]  # required steps done by the end of each week (cumulative)
    path_id: int | None = None
    completed: bool = False  # ended by completion (not withdrawal)

    def active_at(self, moment: datetime) -> bool:
        """Active at this instant: enrolled before it and not completed or withdrawn by then."""
        return self.enrolled_at < moment and (self.ended_at is None or self.ended_at >= moment)


@dataclass
class Activity:
    """One person's inputs per week, aligned with a list of weeks (oldest first)."""

    completions: list[int]
    kudos: list[int]
    energy: list[int | None]
    paths: list[PathHistory]
    answers: list[int] = field(default_factory=list)  # knowledge-check submissions per week
    reviews: list[int] = field(default_factory=list)  # spaced-review answers per week

    @classmethod
    def empty(cls, weeks: int) -> "Activity":
        return cls([0] * weeks, [0] * weeks, [None] * weeks, [], [0] * weeks, [0] * weeks)

    def learned(self, week: int) -> bool:
        """A completion or a review that week: what Rhythm counts."""
        return self.completions[week] > 0 or bool(self.reviews and self.reviews[week] > 0)


class Timeline:
    """Computes people's indicators over one list of weeks (oldest first).

    Every week with a full 4-week window behind it gets a result (None: no signal): 15 weeks
    in, 12 out (weeks[3:]). Progress on a week uses the end of that week (or today, for the
    current week) to decide how much should be done. A path completed during the window counts
    as on plan (100): finishing a path never lowers the indicator. Closing a week runs this for
    every person of the organisation, hence the prefix sums and plain loops.
    """

    def __init__(self, weeks: Sequence[Week], today: date, tz: ZoneInfo):
        self.tz = tz
        self.starts = [week.start for week in weeks]
        self.ends = [week.end for week in weeks]
        self.days = [min(week.sunday, today) for week in weeks]
        self.rows = range(WINDOW_WEEKS - 1, len(weeks))

    def of(self, activity: Activity) -> list[Indicator | None]:
        learned, kudos, answered, last_answer = [0], [0], [0], []
        latest = -1
        answers = activity.answers or [0] * len(activity.completions)
        for j, (given, energy, submitted) in enumerate(zip(
                activity.kudos, activity.energy, answers, strict=True)):
            learned.append(learned[-1] + activity.learned(j))
            kudos.append(kudos[-1] + given)
            answered.append(answered[-1] + submitted)
            if energy is not None and ENERGY_RANGE[0] <= energy <= ENERGY_RANGE[1]:
                latest = j
            last_answer.append(latest)
        paths = [(path, path.enrolled_at.astimezone(self.tz).date()) for path in activity.paths]
        results = []
        for i in self.rows:
            first = i - WINDOW_WEEKS + 1
            answer = last_answer[i]
            progress_value = None
            if paths:
                start, end, day, values = self.starts[first], self.ends[i], self.days[i], []
                for path, enrolled_on in paths:
                    if path.enrolled_at >= end:
                        continue
                    if path.ended_at is None or path.ended_at >= end:
                        done = path.done_by[i]
                        before = path.done_by[first - 1] if first > 0 else path.done_before
                        value = _path_value(path.required, done, enrolled_on, path.due,
                                            done > before, day)
                        if value is not None:
                            values.append(value)
                    elif path.completed and path.ended_at >= start:
                        values.append(100.0)  # finished during the window: on plan
                if values:
                    progress_value = sum(values) / len(values)
            results.append(_indicator(
                learned[i + 1] - learned[first], min(kudos[i + 1] - kudos[first], 2),
                activity.energy[answer] if answer >= first else None, progress_value,
                answered[i + 1] > answered[first]))
        return results


def timeline(weeks: Sequence[Week], activity: Activity, today: date,
             tz: ZoneInfo) -> list[Indicator | None]:
    """One person's indicator for every week with a full window behind it (see Timeline)."""
    return Timeline(weeks, today, tz).of(activity)


# eNPS -----------------------------------------------------------------------------------------


def enps_category(value: int) -> str | None:
    if not ENPS_RANGE[0] <= value <= ENPS_RANGE[1]:
        return None
    return "promoter" if value >= 9 else "passive" if value >= 7 else "detractor"


@dataclass(frozen=True)
class Enps:
    """Employee Net Promoter Score: % promoters (9-10) minus % detractors (0-6)."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> int | None:
        if not self.answers:
            return None
        return round_half_up(100 * (self.promoters - self.detractors) / self.answers)

    def share(self, category: str) -> int | None:
        """The percentage of answers in one category: promoter, passive or detractor."""
        if not self.answers:
            return None
        return round_half_up(100 * getattr(self, category + "s") / self.answers)


def enps(values: Iterable[int]) -> Enps:
    """The eNPS of a list of 0-10 answers (out-of-range values are ignored)."""
    counts = {"promoter": 0, "passive": 0, "detractor": 0}
    for value in values:
        category = enps_category(value)
        if category:
            counts[category] += 1
    return Enps(counts["promoter"], counts["passive"], counts["detractor"])
