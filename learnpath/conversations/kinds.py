"""The starter check-in templates: the 30-day, the quarterly development and the stay
conversation, and the one shape every template has (starter or written by an author).

Each starter is a short list of questions in Dutch and English, taken from the starter modules
on these conversations (content/modules/*/het-30-dagengesprek.md, het-kwartaalgesprek.md,
het-stay-gesprek.md and the-30-day-conversation.md). Templates are content, not UI text: they
live in the check_in_templates table (migration 0017 seeds these three), where authors edit
them and add their own; templates.py falls back to a starter only while it has no row.
"""

from dataclasses import dataclass

from flask_babel import get_locale

LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class CheckInTemplate:
    key: str
    titles: dict[str, str]  # language -> title
    module_slugs: dict[str, str]  # language -> the module on this conversation (optional)
    questions: dict[str, tuple[str, ...]]

    def title_in(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("en") or self.key

    @property
    def title(self) -> str:
        """The title in the language of the current request."""
        locale = get_locale()
        return self.title_in(locale.language if locale else "en")

    def questions_in(self, language: str) -> tuple[str, ...]:
        return self.questions.get(language) or self.questions.get("en") or ()


# The starters, as migration 0017 seeds them.
TEMPLATES: dict[str, CheckInTemplate] = {t.key: t for t in (
    CheckInTemplate(
        key="thirty-day",
        titles={"en": "The 30-day conversation", "nl": "Het 30-dagengesprek"},
        module_slugs={"en": "the-30-day-conversation", "nl": "het-30-dagengesprek"},
        questions={
            "en": (
                "How does the job compare to what you expected when you signed?",
                "What do you need that you don't have yet? Tools, access, information?",
                "What do we do here that seems odd or overly complicated to you?",
                "Where would you like to be two months from now?",
            ),
            "nl": (
                "Hoe verhoudt de baan zich tot wat je verwachtte toen je tekende?",
                "Wat heb je nodig dat je nog niet hebt? Denk aan tools, toegang of informatie.",
                "Wat doen wij hier dat je vreemd of omslachtig vindt?",
                "Waar wil je over twee maanden staan?",
            ),
        }),
    CheckInTemplate(
        key="quarterly",
        titles={"en": "The quarterly development conversation",
                "nl": "Het kwartaalgesprek over ontwikkeling"},
        module_slugs={"nl": "het-kwartaalgesprek"},
        questions={
            "en": (
                "What are you most proud of from the past quarter?",
                "What went less well, and what did you learn from it?",
                "Where do you want to grow next quarter?",
                "What do you need from me to make that happen?",
            ),
            "nl": (
                "Waar ben je het meest trots op van het afgelopen kwartaal?",
                "Wat ging minder goed, en wat heb je daarvan geleerd?",
                "Waar wil je het komend kwartaal in groeien?",
                "Wat heb je van mij nodig om dit te laten lukken?",
            ),
        }),
    CheckInTemplate(
        key="stay",
        titles={"en": "The stay conversation", "nl": "Het stay-gesprek"},
        module_slugs={"nl": "het-stay-gesprek"},
        questions={
            "en": (
                "What do you look forward to when you start work on a Monday morning?",
                "What keeps you here, if you're completely honest?",
                "If you left tomorrow, what would the reason be?",
                "What can I do to make your work here better?",
            ),
            "nl": (
                "Waar kijk je naar uit als je maandagochtend aan je werk begint?",
                "Wat houdt je hier, als je heel eerlijk bent?",
                "Als je morgen zou vertrekken, wat zou daar de reden voor zijn?",
                "Wat kan ik doen om je werk hier beter te maken?",
            ),
        }),
)}
