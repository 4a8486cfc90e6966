"""What a viewer may see of group figures: the threshold and the complementary rule.

Figures are shown when at least k people contribute (k = ANONYMITY_THRESHOLD, never below 3).
Engagement figures exist only for primary teams and the organisation, a partition, so the one
way left to work out a hidden figure is the organisation total minus the shown teams; the
complementary rule closes it.
"""

from dataclasses import dataclass, field
from typing import Any

from learnpath.engagement.indicator import Week

# Metrics with their own contributor count; "people" (the contributors: people with an
# indicator) covers the indicator, its trend, Rhythm, Recognition, the bands and the
# participation rates.
METRICS = ("people", "progress", "voice", "enps")
METRIC_OF_COMPONENT = {"rhythm": "people", "progress": "progress", "voice": "voice",
                       "recognition": "people"}
# Why a figure is hidden: nobody contributes; fewer than k do; shown, it would let a hidden
# team's figure be worked out by subtraction; the team as a whole is hidden.
REASONS = ("none", "too_few", "subtraction", "group_hidden")


@dataclass
class Figure:
    """One aggregate: a value, or the reason it is hidden."""

    value: Any = None
    hidden: str | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass
class GroupFigures:
    key: int | None  # team id; None for the organisation
    name: str
    people: int  # members counted when the week closed (N)
    week: Week
    enps_month: str
    hidden: str | None = None
    contributors: int = 0  # of those, people with an indicator: "n of N gave a signal"
    primary: bool = True  # False: not anyone's primary team, so no engagement figures
    indicator: Figure = field(default_factory=Figure)
    components: dict[str, Figure] = field(default_factory=dict)
    bands: Figure = field(default_factory=Figure)  # {band: (count, percent)}
    # A week without a shown figure is None: a gap in the chart, never 0.
    trend: list[tuple[Week, int | None]] = field(default_factory=list)
    enps: Figure = field(default_factory=Figure)  # indicator.Enps
    learning: Figure = field(default_factory=Figure)  # % of members with a completion
    pulse: Figure = field(default_factory=Figure)  # % of members who answered the pulse
    # The group's charts drawn from these figures, per language (dashboard_views): cached
    # figures carry them along, so they are dropped exactly when the figures are.
    charts: dict[str, dict] = field(default_factory=dict, compare=False, repr=False)

    @property
    def shown(self) -> bool:
        return self.hidden is None


def plan_visibility(counts: dict[Any, dict[str, int]], k: int) -> dict[Any, dict[str, str | None]]:
    """Decide per team and metric whether it is shown (None) or why not.

    The teams are the groups under one parent the viewer can see (the organisation).

    `counts` holds, for every team of the parent, how many people contribute to each metric.
    A metric is shown when at least k contribute. When exactly one team has a hidden figure
    that someone contributes to, the next smallest shown team is hidden too, so the hidden one
    cannot be computed by subtracting the others from the parent's total.
    """
    plan: dict[Any, dict[str, str | None]] = {key: {} for key in counts}
    for metric in METRICS:
        for key, team_counts in counts.items():
            n = team_counts.get(metric, 0)
            group = plan[key].get("people")
            if metric != "people" and group is not None:
                plan[key][metric] = "group_hidden" if group != "none" else "none"
            elif n <= 0:
                plan[key][metric] = "none"
            elif n < k:
                plan[key][metric] = "too_few"
            else:
                plan[key][metric] = None
        exposed = [key for key in counts
                   if plan[key][metric] is not None and counts[key].get(metric, 0) > 0]
        shown = [key for key in counts if plan[key][metric] is None]
        if len(exposed) == 1 and shown:
            smallest = min(shown, key=lambda key: (counts[key].get(metric, 0), str(key)))
            plan[smallest][metric] = "subtraction"
    return plan


def reason_for(n: int, k: int) -> str | None:
    return "none" if n <= 0 else "too_few" if n < k else None


def own_plan(people_reason: str | None, counts: dict[str, int], k: int) -> dict:
    """The group-level decision, then each metric on the group's own contributors."""
    plan = {"people": people_reason}
    for metric in METRICS[1:]:
        if people_reason is not None:
            plan[metric] = "none" if people_reason == "none" else "group_hidden"
        else:
            plan[metric] = reason_for(counts.get(metric, 0), k)
    return plan
