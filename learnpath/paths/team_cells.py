"""The manager's matrix, made ready to print: every cell's texts worked out once in Python.

A team page shows up to thousands of cells; a template macro, a translation lookup, a date
format and a URL build per cell cost more than the rest of the page. Here each distinct text
is made once a request (the steps line per (done, required), the due line per day) and the
withdraw URL from one built URL; the template prints the fields.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from learnpath.web.dates import show_day

_SENTINEL = 987654321


@dataclass(frozen=True, slots=True)
class Cell:
    done: int
    max: int
    percent: int
    label: str
    steps: str
    status: str
    status_name: str
    due: str
    withdraw_url: str  # "" once the path is completed: nothing to withdraw


def with_cells(matrix: list[dict], status_names: dict, locale: str) -> list[dict]:
    """Replace each assigned slot (path, enrolment, progress) of the team_matrix rows by a
    Cell; runs of empty cells stay numbers."""
    names = {key: str(name) for key, name in status_names.items()}
    steps: dict[tuple[int, int], str] = {}
    dues: dict = {}
    url_parts = url_for("paths.unassign", enrolment_id=_SENTINEL).split(str(_SENTINEL))
    for block in matrix:
        for row in block["rows"]:
            name = row["person"].display_name
            row["slots"] = [slot if isinstance(slot, int) else
                            _cell(slot, name, locale, names, steps, dues, url_parts)
                            for slot in row["slots"]]
    return matrix


def _cell(slot, name, locale, names, steps, dues, url_parts) -> Cell:
    path, enrolment, progress = slot
    key = (progress.done, progress.required)
    if key not in steps:
        steps[key] = ngettext("%(done)d of %(num)d step", "%(done)d of %(num)d steps",
                              progress.required, done=progress.done)
    due = ""
    if enrolment.due_date:
        if enrolment.due_date not in dues:
            dues[enrolment.due_date] = _("due %(date)s", date=show_day(enrolment.due_date))
        due = dues[enrolment.due_date]
    return Cell(done=progress.done, max=progress.required or 1, percent=progress.percent,
                label=f"{name}: {path.title(locale)}", steps=steps[key],
                status=progress.status, status_name=names[progress.status], due=due,
                withdraw_url=str(enrolment.id).join(url_parts)
                if enrolment.state == "active" else "")
