"""Property-based tests of the indicator on random histories (DESIGN.md section 6).

The indicator must never punish what it is meant to encourage: enrolling in a path never
lowers this week's or next week's indicator; completing a module or giving kudos never lowers
it in any week whose window holds it; a person without signals has no figure (None).
Pure functions, so these run in milliseconds per example.
"""

from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.engagement import indicator as ind
from learnpath.engagement.indicator import Activity, PathHistory

AMS = ZoneInfo("Europe/Amsterdam")
N = 9  # input weeks: 6 results
WEEKS = ind.weeks_ending(date(2026, 11, 22), N, AMS)
TODAY = WEEKS[-1].sunday
FIRST = ind.WINDOW_WEEKS - 1  # the week index of the first result


@st.composite
def paths(draw, *, allow_ended: bool = True):
    week = draw(st.integers(0, N - 1))
    enrolled_at = WEEKS[week].start + timedelta(hours=draw(st.integers(0, 167)))
    required = draw(st.integers(1, 6))
    enrolled_on = enrolled_at.astimezone(AMS).date()
    due = draw(st.one_of(st.none(), st.integers(0, 120).map(
        lambda days: enrolled_on + timedelta(days=days))))
    done_before = draw(st.integers(0, required))
    done, done_by = done_before, []
    for _week in range(N):
        done = min(required, done + draw(st.integers(0, 2)))
        done_by.append(done)
    ended_at = None
    if allow_ended and draw(st.booleans()):
        ended_at = WEEKS[draw(st.integers(week, N - 1))].start + timedelta(hours=draw(
            st.integers(0, 167)))
        ended_at = max(ended_at, enrolled_at + timedelta(minutes=1))
    return PathHistory(required=required, enrolled_at=enrolled_at, ended_at=ended_at, due=due,
                       done_before=done_before, done_by=tuple(done_by),
                       completed=ended_at is not None and draw(st.booleans()))


@st.composite
def activities(draw):
    small = st.integers(0, 2)
    return Activity(
        completions=draw(st.lists(small, min_size=N, max_size=N)),
        kudos=draw(st.lists(small, min_size=N, max_size=N)),
        energy=draw(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=N, max_size=N)),
        paths=draw(st.lists(paths(), max_size=3)),
        answers=draw(st.lists(st.integers(0, 1), min_size=N, max_size=N)),
    )


def results(activity: Activity):
    return ind.timeline(WEEKS, activity, TODAY, AMS)


def not_lower(before, after) -> bool:
    """`after` is no lower than `before`: a figure stays a figure, and does not drop."""
    if before is None:
        return True
    return after is not None and after.value >= before.value


@settings(max_examples=300, deadline=None)
@given(activities(), paths(allow_ended=False))
def test_enrolling_never_lowers_this_or_next_week(activity, new_path):
    before = results(activity)
    after = results(replace(activity, paths=[*activity.paths, new_path]))
    week = WEEKS.index(next(w for w in WEEKS if w.start <= new_path.enrolled_at < w.end))
    for index in (week, week + 1):
        if FIRST <= index < N:
            assert not_lower(before[index - FIRST], after[index - FIRST]), index


@st.composite
def completions(draw, activity):
    """A module completed at some moment, counting as a step of some of the paths."""
    week = draw(st.integers(0, N - 1))
    moment = WEEKS[week].start + timedelta(hours=draw(st.integers(0, 167)))
    chosen = draw(st.lists(st.booleans(), min_size=len(activity.paths),
                           max_size=len(activity.paths)))
    return week, moment, chosen


def complete_module(activity: Activity, week: int, moment, chosen) -> Activity:
    completions = list(activity.completions)
    completions[week] += 1
    new_paths = []
    for path, counts in zip(activity.paths, chosen, strict=True):
        if counts and path.done_by[week] < path.required:
            done_by = tuple(done + (i >= week) for i, done in enumerate(path.done_by))
            path = replace(path, done_by=done_by)
            if done_by[week] >= path.required and path.active_at(moment) and path.ended_at is None:
                path = replace(path, ended_at=moment, completed=True)  # the last step
        new_paths.append(path)
    return replace(activity, completions=completions, paths=new_paths)


def window_holding(week: int) -> range:
    """Result indexes whose 4-week window holds this input week."""
    return range(max(week, FIRST) - FIRST, min(week + ind.WINDOW_WEEKS, N) - FIRST)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_completing_a_module_never_lowers_it(data):
    activity = data.draw(activities())
    week, moment, chosen = data.draw(completions(activity))
    before = results(activity)
    after = results(complete_module(activity, week, moment, chosen))
    for index in window_holding(week):
        assert not_lower(before[index], after[index]), index


@settings(max_examples=300, deadline=None)
@given(activities(), st.integers(0, N - 1))
def test_giving_kudos_never_lowers_it(activity, week):
    kudos = list(activity.kudos)
    kudos[week] += 1
    before, after = results(activity), results(replace(activity, kudos=kudos))
    for index in window_holding(week):
        assert not_lower(before[index], after[index]), index
        assert after[index] is not None  # kudos given is a signal


def signal_in_window(activity: Activity, index: int) -> bool:
    window = range(index, index + ind.WINDOW_WEEKS)
    return any(activity.completions[i] or activity.kudos[i] or activity.answers[i]
               or activity.energy[i] is not None for i in window)


@settings(max_examples=300, deadline=None)
@given(activities())
def test_without_signals_there_is_no_figure(activity):
    quiet = replace(activity, paths=[])
    for index, result in enumerate(results(quiet)):
        assert (result is None) == (not signal_in_window(quiet, index))
    silent = Activity.empty(N)
    fresh = [replace(p, due=None, done_before=0, done_by=(0,) * N, ended_at=None)
             for p in activity.paths]
    for index, result in enumerate(results(replace(silent, paths=fresh))):
        end = WEEKS[index + FIRST].sunday
        if all(ind.in_grace(p.enrolled_at.astimezone(AMS).date(), end) for p in fresh):
            assert result is None  # only paths just joined with nothing done: no signal


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_finishing_a_path_never_lowers_it(data):
    """The last step of a path: the path ends (completed) and must count as on plan while
    the window holds it, not drop out of Progress (which would lower a mean above the other
    paths')."""
    activity = data.draw(activities())
    last = data.draw(paths(allow_ended=False))
    week = data.draw(st.integers(WEEKS.index(next(
        w for w in WEEKS if w.start <= last.enrolled_at < w.end)), N - 1))
    moment = max(WEEKS[week].start + timedelta(hours=data.draw(st.integers(0, 167))),
                 last.enrolled_at + timedelta(minutes=1))
    # One step short of the end from the week before on; done otherwise as drawn.
    short = tuple(min(done, last.required - 1) if i < week else last.required - 1
                  for i, done in enumerate(last.done_by))
    last = replace(last, done_by=short, done_before=min(last.done_before, last.required - 1))
    activity = replace(activity, paths=[last, *activity.paths])
    chosen = [True] + [False] * (len(activity.paths) - 1)
    before = results(activity)
    after = results(complete_module(activity, week, moment, chosen))
    assert complete_module(activity, week, moment, chosen).paths[0].completed
    for index in window_holding(week):
        assert not_lower(before[index], after[index]), index
