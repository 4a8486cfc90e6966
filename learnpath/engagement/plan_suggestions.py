"""Suggested actions for an action plan, per focus, each linked to a starter-catalog module.

A suggestion is stored in a plan by its key, so it is shown in the reader's language; its
module is the variant in that language when the catalog has one, else the other.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from learnpath.extensions import db
from learnpath.modules.models import Module
from learnpath.web.i18n import lazy_text as _l


@dataclass(frozen=True)
class Suggestion:
    key: str
    text: object  # a lazy translated string
    modules: tuple[str, ...]  # module slugs, one per language, in order of preference


SUGGESTIONS: dict[str, tuple[Suggestion, ...]] = {
    "rhythm": (
        Suggestion("learning-moment", _l("A ten-minute learning moment in the weekly team "
                                         "meeting: one short module, then what we take from it"),
                   ("microlearning-habits",)),
        Suggestion("learning-slot", _l("Everyone blocks one fixed half hour a week for "
                                       "learning, and we protect it for each other"),
                   ("microlearning-habits",)),
    ),
    "progress": (
        Suggestion("path-step-in-one-on-one", _l("Agree on one next step of a growth path "
                                                 "with each person in this month's one-on-one"),
                   ("a-good-one-on-one", "een-goede-een-op-een")),
        Suggestion("clear-learning-time", _l("Make clear what is expected: how much time for "
                                             "learning, and which path matters most now"),
                   ("making-expectations-clear", "verwachtingen-helder-maken")),
    ),
    "voice": (
        Suggestion("short-retro", _l("A short retrospective every two weeks: what helps us, "
                                     "what gets in the way"),
                   ("running-a-retrospective",)),
        Suggestion("safe-round", _l("Open the weekly meeting with a round: what is on your "
                                    "mind this week?"),
                   ("psychological-safety-in-practice",
                    "psychologische-veiligheid-in-de-praktijk")),
        Suggestion("ask-feedback", _l("The manager asks the team for feedback on one thing, "
                                      "and says what was done with it"),
                   ("asking-for-feedback",)),
    ),
    "recognition": (
        Suggestion("thank-you-round", _l("A weekly thank-you round: everyone names one thing "
                                         "a colleague did well"),
                   ("recognising-good-work", "goed-werk-erkennen")),
        Suggestion("specific-praise", _l("Give specific feedback on good work at least once a "
                                         "week, in the moment"),
                   ("giving-feedback-that-lands", "feedback-geven-die-landt")),
    ),
    "enps": (
        Suggestion("stay-conversations", _l("Hold a stay conversation with each team member "
                                            "this month: what keeps you here, what would make "
                                            "you leave?"),
                   ("het-stay-gesprek",)),
        Suggestion("priorities-together", _l("Look at the workload together and agree what we "
                                             "stop doing"),
                   ("nee-zeggen-tegen-prioriteiten",)),
        Suggestion("development-conversations", _l("Plan a development conversation with each "
                                                   "person this quarter"),
                   ("het-kwartaalgesprek",)),
    ),
}
BY_KEY = {s.key: s for suggestions in SUGGESTIONS.values() for s in suggestions}


def suggestions_for(focus: str) -> tuple[Suggestion, ...]:
    return SUGGESTIONS.get(focus, ())


def modules_for(keys, locale: str) -> dict[str, Module]:
    """The published module of each suggestion key, in the reader's language where there is
    one (one query for all keys)."""
    wanted = {key: BY_KEY[key].modules for key in keys if key in BY_KEY}
    slugs = {slug for modules in wanted.values() for slug in modules}
    if not slugs:
        return {}
    found = {m.slug: m for m in db.session.scalars(
        select(Module).options(selectinload(Module.current_version))
        .where(Module.slug.in_(slugs), Module.status == "published",
                             Module.current_version_id.is_not(None)))}
    chosen = {}
    for key, candidates in wanted.items():
        present = [found[slug] for slug in candidates if slug in found]
        if present:
            chosen[key] = next((m for m in present if m.language == locale), present[0])
    return chosen


FOCUS_NAMES = {"rhythm": _l("Rhythm"), "progress": _l("Progress"), "voice": _l("Voice"),
               "recognition": _l("Recognition"), "enps": _l("eNPS")}
FOCUS_HINTS = {
    "rhythm": _l("Learning a little, regularly, in the flow of work."),
    "progress": _l("Moving forward on growth paths, as planned."),
    "voice": _l("How people feel about their work and growth, and whether they say so."),
    "recognition": _l("Colleagues noticing and naming good work."),
    "enps": _l("Whether people would recommend working here."),
}
