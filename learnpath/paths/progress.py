"""Progress and status arithmetic for enrolments: pure functions, no database."""

from dataclasses import dataclass
from datetime import date

STATUSES = ("not_started", "in_progress", "completed", "on_track", "behind", "overdue")


@dataclass(frozen=True)
class Progress:
    done: int
    required: int
    status: str
    next_module_id: int | None = None

    @property
    def percent(self) -> int:
        if self.required == 0:
            return 100
        return min(100, round(100 * self.done / self.required))


def expected_fraction(enrolled_on: date, due: date, today: date) -> float:
    """The share of the work that should be done by today if it is spread evenly."""
    total = (due - enrolled_on).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (today - enrolled_on).days / total))


def status_for(done: int, required: int, *, completed: bool, enrolled_on: date,
               due: date | None, today: date) -> str:
    """The status shown for an enrolment.

    Completed wins. With a due date: overdue after it, behind when less is done than the
    time elapsed, else on track. Without one: not started or in progress.
    """
    if completed or (required > 0 and done >= required):
        return "completed"
    if due is not None:
        if today > due:
            return "overdue"
        share_done = done / required if required else 1.0
        if share_done < expected_fraction(enrolled_on, due, today):
            return "behind"
        return "on_track"
    return "in_progress" if done > 0 else "not_started"


def progress_from(required: list[int], done: set[int], enrolment, today: date) -> Progress:
    """An enrolment's progress from its path's required module ids (in order) and the ids
    the person completed."""
    finished = [m for m in required if m in done]
    next_module = next((m for m in required if m not in done), None)
    status = status_for(len(finished), len(required), completed=enrolment.state == "completed",
                        enrolled_on=enrolment.enrolled_at.date(), due=enrolment.due_date,
                        today=today)
    return Progress(len(finished), len(required), status, next_module)
