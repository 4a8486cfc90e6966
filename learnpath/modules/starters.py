"""The three starting points "new module" offers, in Dutch and English.

The text is in the module's language (not the author's interface language): a Dutch module
starts from Dutch text. Each starter is a valid module with one knowledge check.
"""

from learnpath.modules.quiz import Option, Question
from learnpath.modules.structured import compose_source
from learnpath.web.i18n import lazy_text as _l

STARTER_NAMES = {
    "concept": (_l("A concept in 5 minutes"),
                _l("One idea, why it matters, an example and a question.")),
    "howto": (_l("A how-to in steps"),
              _l("A task in numbered steps, with a tip and a check.")),
    "scenario": (_l("A scenario with a question"),
                 _l("A situation from work, a choice to make and feedback on each answer.")),
}

_TEXTS = {
    ("concept", "en"): (
        "Explain one idea in a few minutes.",
        "Start with why this matters to the learner, in one or two sentences.\n\n"
        "## The idea\n\nExplain the idea in plain words.\n\n"
        "## An example\n\nShow the idea at work in a situation the learner knows.\n\n"
        "!!! tip\n    One thing the learner can try today.",
        ("What is the idea in one sentence?", ["The right summary", "A common misunderstanding"],
         "Explain why the first answer is right.")),
    ("concept", "nl"): (
        "Leg in een paar minuten één idee uit.",
        "Begin met waarom dit ertoe doet voor de lerende, in een of twee zinnen.\n\n"
        "## Het idee\n\nLeg het idee uit in gewone woorden.\n\n"
        "## Een voorbeeld\n\nLaat het idee zien in een situatie die de lerende kent.\n\n"
        "!!! tip\n    Eén ding dat de lerende vandaag kan proberen.",
        ("Wat is het idee in één zin?", ["De juiste samenvatting", "Een veelgemaakte misvatting"],
         "Leg uit waarom het eerste antwoord klopt.")),
    ("howto", "en"): (
        "Do one task step by step.",
        "What you will be able to do after these steps, and when you need it.\n\n"
        "## Steps\n\n1. The first step.\n2. The second step.\n3. The third step.\n\n"
        "!!! tip\n    What goes wrong most often, and how to avoid it.",
        ("Which step comes first?", ["The first step", "The third step"],
         "The order matters because ...")),
    ("howto", "nl"): (
        "Doe één taak stap voor stap.",
        "Wat je na deze stappen kunt, en wanneer je het nodig hebt.\n\n"
        "## Stappen\n\n1. De eerste stap.\n2. De tweede stap.\n3. De derde stap.\n\n"
        "!!! tip\n    Wat het vaakst misgaat, en hoe je dat voorkomt.",
        ("Welke stap komt eerst?", ["De eerste stap", "De derde stap"],
         "De volgorde doet ertoe omdat ...")),
    ("scenario", "en"): (
        "A situation from work and a choice to make.",
        "## The situation\n\nDescribe a moment from work the learner will recognise: who, "
        "where, what is at stake.\n\n## What would you do?\n\nAnswer the question below, "
        "then read the feedback.",
        ("What do you do?", ["The best choice", "A tempting but weaker choice"],
         "Explain what makes the best choice work.")),
    ("scenario", "nl"): (
        "Een situatie uit het werk en een keuze die je maakt.",
        "## De situatie\n\nBeschrijf een moment uit het werk dat de lerende herkent: wie, "
        "waar, wat staat er op het spel.\n\n## Wat zou jij doen?\n\nBeantwoord de vraag "
        "hieronder en lees dan de feedback.",
        ("Wat doe je?", ["De beste keuze", "Een verleidelijke maar zwakkere keuze"],
         "Leg uit waarom de beste keuze werkt.")),
}


def starter_source(kind: str, language: str, title: str) -> str:
    """The first text of a new module from a starter (English where no Dutch text exists)."""
    summary, body, (prompt, answers, feedback) = _TEXTS.get(
        (kind, language), _TEXTS.get((kind, "en"), _TEXTS[("concept", "en")]))
    options = [Option(answers[0], True), Option(answers[1], False)]
    if kind == "scenario":
        good = "Goed gezien." if language == "nl" else "Well seen."
        weak = "Begrijpelijk, maar ..." if language == "nl" else "Understandable, but ..."
        options = [Option(answers[0], True, good), Option(answers[1], False, weak)]
    question = Question("single", prompt, options, explanation=feedback)
    fields = {"title": title, "summary": summary, "language": language, "duration": "5",
              "level": "beginner"}
    return compose_source(fields, f"# {title}\n\n{body}", [question])
