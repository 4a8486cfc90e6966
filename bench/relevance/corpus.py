"""The modules of the relevance set: starter catalog, hand-written topics, and generated pages.

- content/modules: the starter catalog, with its translation groups (translation_of).
- topics.py: one module per topic and language (translations of each other), plus RELATED
  pages (near-duplicates and neighbouring topics). Their bodies are padded with generated
  filler text to vary lengths, so a topic page is not always the shortest page.
- Pages that mention a topic only in passing: generated text with one sentence naming the
  topic, at three lengths (short ones are the trap for plain length normalisation).
- Filler modules of generated text (word-pair model of the starter catalog) up to the total.

Every module is (key, group, language, title, summary, html). Groups are what is judged.
"""

import html as html_lib
import random
import re
from pathlib import Path

import yaml

from learnpath.modules.rendering import render_markdown

from .topics import RELATED, SECTIONED, TOPICS

ROOT = Path(__file__).resolve().parents[2]
MENTIONS = {
    "en": ["This module is not about {m}; that comes later in the path.",
           "Some teams also bring up {m} at this point, but only briefly.",
           "(A side note: {m} are covered in another module.)"],
    "nl": ["Deze module gaat niet over {m}; dat komt later in het leerpad.",
           "Sommige teams noemen hier ook {m}, maar alleen kort.",
           "(Terzijde: {m} komen in een andere module aan bod.)"],
}
MENTION_LENGTHS = (1, 6, 25)  # filler paragraphs around the passing mention


def _starter():
    for path in sorted((ROOT / "content" / "modules").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front)
        language = meta.get("language", path.parent.name)
        slug = path.stem
        other = meta.get("translation_of")
        group = slug if language == "en" or not other else other
        html, _toc = render_markdown(re.sub(r"<quiz>.*?</quiz>", "", body, flags=re.DOTALL))
        yield slug, group, language, meta["title"], meta.get("summary", ""), html


def _paragraphs(writer, count: int) -> str:
    return "".join(f"\n<p>{html_lib.escape(' '.join(writer.sentence() for _ in range(3)))}</p>"
                   for _ in range(count))


def _topic_html(title: str, sections, filler: str) -> str:
    parts = [f"<h1>{html_lib.escape(title)}</h1>"]
    for heading, paragraph in sections:
        parts.append(f"<h2>{html_lib.escape(heading)}</h2>\n<p>{html_lib.escape(paragraph)}</p>")
    return "\n".join(parts) + filler


def build(writers: dict, total: int = 340, seed: int = 5) -> list[tuple]:
    rng = random.Random(seed)
    modules = list(_starter())
    for key, topic in TOPICS.items():
        for language in ("en", "nl"):
            if language not in topic:
                continue
            title, summary, sections = topic[language]
            filler = _paragraphs(writers[language], rng.choice((0, 1, 3, 8)))
            modules.append((f"{key}-{language}", key, language, title, summary,
                            _topic_html(title, sections, filler)))
    for key, (language, title, summary, body) in RELATED.items():
        filler = _paragraphs(writers[language], rng.choice((0, 2, 5)))
        modules.append((key, key, language, title, summary,
                        f"<h1>{html_lib.escape(title)}</h1>\n<p>{html_lib.escape(body)}</p>"
                        + filler))
    for key, (language, title, summary, sections) in SECTIONED.items():
        filler = _paragraphs(writers[language], rng.choice((4, 8, 12)))
        modules.append((key.replace("@", "-"), key.split("@")[0], language, title, summary,
                        _topic_html(title, sections, filler)))
    for key, topic in TOPICS.items():
        for language, mention in topic["mention"].items():
            writer = writers[language]
            for number, length in enumerate(MENTION_LENGTHS):
                title = " ".join(writer.sentence(3, 6).rstrip(".").split()[:6])
                sentence = MENTIONS[language][number].format(m=mention)
                before = _paragraphs(writer, length // 2)
                after = _paragraphs(writer, length - length // 2)
                body = (f"<h1>{html_lib.escape(title)}</h1>{before}"
                        f"\n<p>{html_lib.escape(sentence)}</p>{after}")
                group = f"{key}~mention-{language}-{number}"
                modules.append((group, group, language, title, writer.sentence(8, 14), body))
    number = 0
    while len(modules) < total:
        language = ("en", "nl")[number % 2]
        writer = writers[language]
        title = " ".join(writer.sentence(3, 7).rstrip(".").split()[:7])
        body = f"<h1>{html_lib.escape(title)}</h1>" + _paragraphs(writer, rng.randint(1, 20))
        modules.append((f"filler-{number}", f"filler-{number}", language, title,
                        writer.sentence(8, 16), body))
        number += 1
    return modules
