"""The engagement indicator (DESIGN.md section 6): hand-worked examples, table-driven."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from learnpath.engagement import indicator as ind
from learnpath.engagement.indicator import Activity, PathHistory, PathPlan

AMS = ZoneInfo("Europe/Amsterdam")
PAST_DUE = dict(enrolled_on=date(2026, 1, 1), due=date(2026, 2, 1))
DAY = date(2026, 11, 25)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


def plan(done, required=10, stepped=False, **dates) -> PathPlan:
    dates = dates or PAST_DUE
    return PathPlan(required=required, done=done, stepped_in_window=stepped, **dates)


# Components ------------------------------------------------------------------------------------


@pytest.mark.parametrize("weeks,expected", [(0, 0), (1, 25), (2, 50), (3, 75), (4, 100),
                                            (5, 100), (-1, 0)])
def test_rhythm_is_weeks_with_a_completion_times_25(weeks, expected):
    assert ind.rhythm(weeks) == expected


@pytest.mark.parametrize("answer,expected", [(None, None), (1, 0), (2, 25), (3, 50), (4, 75),
                                             (5, 100), (0, None), (6, None)])
def test_voice_maps_the_energy_scale_to_0_100(answer, expected):
    assert ind.voice(answer) == expected


@pytest.mark.parametrize("kudos,expected", [(0, 0), (1, 50), (2, 100), (9, 100)])
def test_recognition_steps(kudos, expected):
    assert ind.recognition(kudos) == expected


@pytest.mark.parametrize("path,day,expected", [
    # Due in 30 days, 15 passed: half of 10 steps expected.
    (plan(2, enrolled_on=date(2026, 1, 1), due=date(2026, 1, 31)), date(2026, 1, 16), 40),
    (plan(5, enrolled_on=date(2026, 1, 1), due=date(2026, 1, 31)), date(2026, 1, 16), 100),
    (plan(8, enrolled_on=date(2026, 1, 1), due=date(2026, 1, 31)), date(2026, 1, 16), 100),
    # Enrolled today: nothing expected yet, so on plan.
    (plan(0, enrolled_on=date(2026, 1, 1), due=date(2026, 1, 31)), date(2026, 1, 1), 100),
    # Past the due date everything is expected.
    (plan(3), date(2026, 3, 1), 30),
    # Due on the day of enrolment: everything expected at once; behind plan in the first 14
    # days, so left out (joining never lowers the indicator), counted after them.
    (plan(4, enrolled_on=date(2026, 1, 1), due=date(2026, 1, 1)), date(2026, 1, 1), None),
    (plan(4, enrolled_on=date(2026, 1, 1), due=date(2026, 1, 1)), date(2026, 1, 15), 40),
    # Just joined, nothing done, no due date: left out; after 14 days it counts as 0.
    (plan(0, enrolled_on=date(2026, 1, 1), due=None), date(2026, 1, 14), None),
    (plan(0, enrolled_on=date(2026, 1, 1), due=None), date(2026, 1, 15), 0),
    # A path without required steps expects nothing.
    (plan(0, required=0), date(2026, 3, 1), 100),
    # No due date: on plan when a step was done in the window, else 0.
    (plan(1, stepped=True, enrolled_on=date(2026, 1, 1), due=None), date(2026, 3, 1), 100),
    (plan(9, stepped=False, enrolled_on=date(2026, 1, 1), due=None), date(2026, 3, 1), 0),
])
def test_path_progress_against_plan(path, day, expected):
    if expected is None:
        assert ind.path_progress(path, day) is None
    else:
        assert ind.path_progress(path, day) == pytest.approx(expected)


def test_progress_is_the_mean_over_active_paths_and_absent_without_one():
    assert ind.progress([plan(10), plan(4)], DAY) == pytest.approx(70)
    assert ind.progress([], DAY) is None


# The indicator ---------------------------------------------------------------------------------

# (completion weeks, kudos, energy, paths, expected indicator, band, hand-worked)
CASES = [
    (4, 2, 5, [plan(10)], 100, "engaged", "every component full"),
    (2, 2, 4, [], 64, "neutral", "(0.4*50 + 0.2*75 + 0.1*100) / 0.7 = 64.29"),
    (1, 1, None, [plan(1, stepped=True, enrolled_on=date(2026, 1, 1), due=None)], 56, "neutral",
     "(0.4*25 + 0.3*100 + 0.1*50) / 0.8 = 56.25"),
    (3, 0, 3, [plan(5)], 55, "neutral", "0.4*75 + 0.3*50 + 0.2*50 + 0.1*0 = 55"),
    (0, 0, None, [plan(6)], 23, "at_risk", "0.3*60 / 0.8 = 22.5 rounds half up to 23"),
    (0, 2, None, [plan(0)], 13, "at_risk", "0.1*100 / 0.8 = 12.5 rounds half up to 13"),
    (4, 0, 1, [], 57, "neutral", "(0.4*100 + 0.2*0 + 0) / 0.7 = 57.14"),
    (4, 1, None, [], 90, "engaged", "(0.4*100 + 0.1*50) / 0.5 = 90"),
    (2, 1, 3, [plan(10), plan(0)], 50, "neutral",
     "0.4*50 + 0.3*50 + 0.2*50 + 0.1*50 = 50: Progress is the mean of 100 and 0"),
]


@pytest.mark.parametrize("weeks,kudos,energy,paths,expected,band,worked", CASES,
                         ids=[case[-1] for case in CASES])
def test_indicator_hand_worked(weeks, kudos, energy, paths, expected, band, worked):
    result = ind.indicator(completion_weeks=weeks, kudos=kudos, energy=energy, plans=paths,
                           day=DAY)
    assert (result.value, result.band) == (expected, band)


def test_absent_components_are_left_out_not_counted_as_zero():
    result = ind.indicator(completion_weeks=4, kudos=2, energy=None, plans=[], day=DAY)
    assert result.components == {"rhythm": 100, "progress": None, "voice": None,
                                 "recognition": 100}
    assert result.present == ["rhythm", "recognition"]
    assert result.value == 100


@pytest.mark.parametrize("components,expected", [
    ({"rhythm": 0, "progress": 60, "voice": None, "recognition": 0}, 23),  # 22.5
    ({"rhythm": 0, "progress": None, "voice": None, "recognition": 100}, 20),
    ({"rhythm": None, "progress": None, "voice": None, "recognition": None}, None),
    ({"rhythm": 25, "progress": 35, "voice": 50, "recognition": 0}, 31),  # 30.5
])
def test_combine_renormalises_and_rounds_half_up(components, expected):
    assert ind.combine(components) == expected


@pytest.mark.parametrize("value,band", [(100, "engaged"), (70, "engaged"), (69, "neutral"),
                                        (40, "neutral"), (39, "at_risk"), (0, "at_risk")])
def test_bands(value, band):
    assert ind.band(value) == band


@pytest.mark.parametrize("value,expected", [(22.5, 23), (12.5, 13), (64.2857, 64), (0.5, 1),
                                            (-12.5, -12), (49.49999, 49), (30.499999999999996,
                                                                             31)])
def test_round_half_up(value, expected):
    assert ind.round_half_up(value) == expected


# Weeks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("moment,label", [
    # Winter (UTC+1): Sunday 23:30 local is Sunday 22:30 UTC, still that week.
    (local(date(2026, 11, 29), 23, 30), "2026-W48"),
    # Monday 00:30 local is Sunday 23:30 UTC, yet the next week.
    (local(date(2026, 11, 30), 0, 30), "2026-W49"),
    # Summer (UTC+2): Sunday 23:30 local is 21:30 UTC.
    (local(date(2026, 6, 28), 23, 30), "2026-W26"),
    (local(date(2026, 6, 29), 0, 30), "2026-W27"),
    # ISO years: 2026 has 53 weeks, and 3 January 2027 still belongs to it.
    (local(date(2027, 1, 3), 23, 59), "2026-W53"),
    (local(date(2027, 1, 4), 0, 0), "2027-W01"),
    # A UTC timestamp as stored (naive values from SQLite are UTC too).
    (datetime(2026, 11, 29, 23, 30), "2026-W49"),
])
def test_week_of_uses_the_local_iso_week(moment, label):
    assert ind.week_of(moment, AMS).label == label


def test_week_boundaries_are_local_midnights_in_utc():
    week = ind.week_containing(date(2026, 11, 25), AMS)
    assert week.monday == date(2026, 11, 23) and week.sunday == date(2026, 11, 29)
    assert week.start == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert week.end == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    # The week of the switch to summer time is an hour short.
    dst = ind.week_containing(date(2026, 3, 29), AMS)
    assert dst.end - dst.start == timedelta(hours=167)


def test_weeks_ending_counts_back_oldest_first():
    weeks = ind.weeks_ending(date(2026, 1, 7), 4, AMS)
    assert [w.label for w in weeks] == ["2025-W51", "2025-W52", "2026-W01", "2026-W02"]
    assert all(a.end == b.start for a, b in zip(weeks, weeks[1:], strict=False))


def test_month_labels():
    assert ind.month_label(date(2026, 11, 25)) == "2026-11"
    assert ind.month_label(ind.previous_month(date(2026, 1, 15))) == "2025-12"


# A person over weeks ---------------------------------------------------------------------------


def _weeks(count=7):
    return ind.weeks_ending(DAY, count, AMS)


def test_timeline_slides_a_four_week_window():
    weeks = _weeks()  # 7 weeks in, 4 windows out
    activity = Activity.empty(7)
    activity.completions[0] = 3  # three completions in one week count as one week
    activity.completions[4] = 1
    activity.kudos[1] = 1
    activity.energy[2] = 5
    activity.energy[3] = 2  # later answer wins
    results = ind.timeline(weeks, activity, DAY, AMS)
    assert [r.components["rhythm"] for r in results] == [25, 25, 25, 25]
    assert [r.components["recognition"] for r in results] == [50, 50, 0, 0]
    assert [r.components["voice"] for r in results] == [25, 25, 25, 25]
    assert len(results) == 4


def test_timeline_voice_drops_out_after_four_weeks():
    weeks = _weeks()
    activity = Activity.empty(7)
    activity.energy[0] = 4
    activity.kudos[3] = 1  # a signal in every window, so each week has an indicator
    results = ind.timeline(weeks, activity, DAY, AMS)
    assert [r.components["voice"] for r in results] == [75, None, None, None]


def test_no_signal_is_no_figure_not_zero():
    """Without a completion, knowledge check, pulse answer, kudos or counting path the person
    has no indicator (None): not 0, not at risk."""
    assert ind.indicator(completion_weeks=0, kudos=0) is None
    assert ind.indicator(completion_weeks=0, kudos=0, energy=None, plans=[], day=DAY) is None
    # A knowledge-check answer alone is a signal: Rhythm and Recognition count, both 0.
    answered = ind.indicator(completion_weeks=0, kudos=0, answered=True)
    assert (answered.value, answered.band) == (0, "at_risk")
    # A path just joined with nothing done is no signal; past its grace period it is one.
    fresh = plan(0, enrolled_on=DAY - timedelta(days=3), due=None)
    assert ind.indicator(completion_weeks=0, kudos=0, plans=[fresh], day=DAY) is None
    stale = plan(0, enrolled_on=DAY - timedelta(days=30), due=None)
    assert ind.indicator(completion_weeks=0, kudos=0, plans=[stale], day=DAY).value == 0
    results = ind.timeline(_weeks(), Activity.empty(7), DAY, AMS)
    assert results == [None] * 4


def _history(**overrides):
    weeks = _weeks()
    values = dict(required=4, enrolled_at=weeks[0].start - timedelta(days=30), ended_at=None,
                  due=None, done_before=0, done_by=(0, 0, 1, 1, 1, 1, 1))
    values.update(overrides)
    return PathHistory(**values)


def test_timeline_path_without_due_date_is_on_plan_while_steps_happen():
    activity = Activity.empty(7)
    activity.paths.append(_history())
    results = ind.timeline(_weeks(), activity, DAY, AMS)
    # A step in week 2: windows ending weeks 3, 4 and 5 contain it, the one ending 6 not.
    assert [r.components["progress"] for r in results] == [100, 100, 100, 0]


def test_timeline_counts_a_path_only_while_it_is_active():
    weeks = _weeks()
    activity = Activity.empty(7)
    # Enrolled during week 4, a step in week 2 counts as done; no due date.
    activity.paths.append(_history(enrolled_at=weeks[4].start + timedelta(hours=1)))
    # Completed at Monday 00:00 of week 5: still active at the end of week 4. No steps.
    activity.paths.append(_history(ended_at=weeks[5].start, done_by=(0,) * 7))
    results = ind.timeline(weeks, activity, DAY, AMS)
    # Week 3: only the second path (0); week 4: both (100 and 0); week 5: the first, its step
    # in the window (100); week 6: the first, its step out of the window (0).
    assert [r.components["progress"] for r in results] == [0, 50, 100, 0]


def test_timeline_expected_steps_use_the_end_of_each_week_and_today_for_this_week():
    weeks = _weeks()
    enrolled = local(weeks[0].monday, 9).astimezone(UTC)
    # 42 days from enrolment to due date, 6 required steps: one step expected per week.
    activity = Activity.empty(7)
    activity.paths.append(_history(required=6, enrolled_at=enrolled,
                                   due=weeks[0].monday + timedelta(days=42),
                                   done_by=(1, 2, 2, 2, 2, 2, 2)))
    results = ind.timeline(weeks, activity, DAY, AMS)
    # Week 3 ends on day 27: 27/42*6 = 3.86 expected, 2 done -> 51.85; week 6 uses today
    # (day 44 > 42: all 6 expected) -> 33.3.
    values = [r.components["progress"] for r in results]
    assert values[0] == pytest.approx(2 / (6 * 27 / 42) * 100)
    assert values[-1] == pytest.approx(2 / 6 * 100)


# eNPS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answers,score,split", [
    ([10, 9, 8, 7, 6, 0], 0, (33, 33, 33)),
    ([10, 10, 10, 0], 50, (75, 0, 25)),
    ([9, 7, 7], 33, (33, 67, 0)),
    ([0, 0, 6, 9, 9, 9, 9, 9], 25, (63, 0, 38)),  # 62.5 and 37.5 round half up
    ([6, 5, 4], -100, (0, 0, 100)),
    ([10, 11, -1], 100, (100, 0, 0)),  # out-of-range answers are ignored
])
def test_enps_promoters_minus_detractors(answers, score, split):
    result = ind.enps(answers)
    assert result.score == score
    assert (result.share("promoter"), result.share("passive"),
            result.share("detractor")) == split


def test_enps_without_answers_has_no_score():
    result = ind.enps([])
    assert result.score is None and result.answers == 0 and result.share("promoter") is None
