"""Page-level knowledge-check options from a module's front matter.

    quiz:                      # the mkdocs-quiz page options that make sense here
      enabled: true            # false (or `quiz: disable`): the <quiz> blocks are plain text
      shuffle_answers: false   # show the options in an order of their own for each learner
      show_correct: true       # false: never reveal the correct answers, only right/wrong
    pass: 80                   # percent of questions right needed for "Mark as done"

A module with a knowledge check needs every question right (pass 100) unless it says
otherwise. Options that only steer mkdocs-quiz's JavaScript are accepted with a warning.
Pure functions: read at import (with a Report, for warnings) and when a page is shown.
"""

from dataclasses import dataclass

from learnpath.modules.problems import Report
from learnpath.web.i18n import lazy_text as _l

DEFAULT_PASS_MARK = 100
_SWITCHES = ("enabled", "shuffle_answers", "show_correct")
# Options of mkdocs-quiz that steer its own JavaScript; our check is served by the server.
_NO_EFFECT = {"auto_submit", "disable_after_submit", "show_progress", "progress_sidebar_position",
              "confetti", "language", "embed_source", "enabled_by_default"}
_OFF_WORDS = {"disable", "disabled", "off", "false", "no"}
_ON_WORDS = {"enable", "enabled", "on", "true", "yes"}


@dataclass(frozen=True)
class QuizOptions:
    enabled: bool = True
    shuffle_answers: bool = False
    show_correct: bool = True
    pass_mark: int = DEFAULT_PASS_MARK


def quiz_options(front_matter: dict, report: Report | None = None) -> QuizOptions:
    """Read `quiz:` and `pass:`; a value we cannot use is a warning and the default."""
    report = report or Report()
    values = _switches(front_matter.get("quiz"), report)
    return QuizOptions(**values, pass_mark=_pass_mark(front_matter.get("pass"), report))


def _switches(value, report: Report) -> dict:
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"enabled": value}
    if isinstance(value, str) and value.strip().lower() in _OFF_WORDS | _ON_WORDS:
        return {"enabled": value.strip().lower() in _ON_WORDS}
    if not isinstance(value, dict):
        report.warn(_l("quiz must be a list of options such as 'shuffle_answers: true', or "
                       "'disable'; it is not used."), "quiz")
        return {}
    values = {}
    for key, setting in value.items():
        if key in _SWITCHES and isinstance(setting, bool):
            values[key] = setting
        elif key in _SWITCHES:
            report.warn(_l("The quiz option %(key)s must be true or false; the default is used.",
                           key=key), "quiz")
        elif key in _NO_EFFECT:
            report.warn(_l("The quiz option %(key)s has no effect in learnpath.", key=key), "quiz")
        elif key != "auto_number":  # our questions are always numbered
            report.warn(_l("Unknown quiz option %(key)s is not used.", key=str(key)), "quiz")
    return values


def _pass_mark(value, report: Report) -> int:
    if value is None:
        return DEFAULT_PASS_MARK
    number = value
    if isinstance(value, str):
        number = value.strip().removesuffix("%").strip()
        try:
            number = float(number)
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 <= number <= 100:
        report.warn(_l("pass must be a percentage from 0 to 100, like 'pass: 80'; %(default)d is "
                       "used.", default=DEFAULT_PASS_MARK), "pass")
        return DEFAULT_PASS_MARK
    return round(number)


def pass_mark_met(right: int, total: int, pass_mark: int) -> bool:
    """Whether `right` of `total` questions reaches the pass mark (in whole percents)."""
    return total == 0 or right * 100 >= pass_mark * total


def needed_to_pass(total: int, pass_mark: int) -> int:
    """The fewest questions right out of `total` that reach the pass mark."""
    return next(n for n in range(total + 1) if pass_mark_met(n, total, pass_mark))
