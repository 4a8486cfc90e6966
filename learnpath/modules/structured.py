"""The form editor's view of a module file: front-matter fields, a body and questions.

`split_source` reads a file into what the form shows; `compose_source` writes the form back
into one Markdown file. Keys the form does not know are kept as they were, so a file opened
and saved in the form editor loses nothing. Pure functions, no database.
"""

import re
from dataclasses import dataclass, field

import yaml

from learnpath.modules import quiz_builder
from learnpath.modules.frontmatter import split_front_matter
from learnpath.modules.problems import Problem, Report
from learnpath.modules.quiz import Question

FIELDS = ("title", "summary", "language", "duration", "level", "skills", "tags",
          "translation_of")
LIST_FIELDS = ("skills", "tags")


@dataclass
class Split:
    fields: dict
    extra: dict  # front-matter keys the form has no field for, kept as they are
    body: str
    questions: list[Question]
    problems: list[Problem] = field(default_factory=list)  # front matter that does not parse
    kept_quizzes: int = 0
    quizzes_moved: bool = False

    @property
    def readable(self) -> bool:
        return not self.problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def split_source(source: str) -> Split:
    """Read a module file into form fields, body and questions."""
    lines = (source or "").split("\n")
    report = Report()
    front_matter, body_start = split_front_matter(lines, report)
    body = "\n".join(lines[body_start:]).lstrip("\n")
    fields = {key: _text(front_matter.get(key)) for key in FIELDS}
    fields["title"] = fields["title"] or _text(front_matter.get("name"))
    fields["summary"] = fields["summary"] or _text(front_matter.get("description"))
    fields["language"] = fields["language"] or _text(front_matter.get("lang"))
    fields["skills"] = [s.strip() for s in fields["skills"].split(",") if s.strip()]
    used = set(FIELDS) | ({"name"} if front_matter.get("title") is None else set()) \
        | ({"description"} if front_matter.get("summary") is None else set()) \
        | ({"lang"} if front_matter.get("language") is None else set())
    extra = {k: v for k, v in front_matter.items() if k not in used}
    read = quiz_builder.read_quizzes(body)
    return Split(fields, extra, read.body, read.questions, report.errors, read.kept, read.moved)


def _list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _duration(value: str):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 6 else value or None


def front_matter_text(fields: dict, extra: dict | None = None) -> str:
    """The YAML between the --- lines, keys in the order authors expect."""
    data = {}
    for key in FIELDS:
        value = fields.get(key)
        if key in LIST_FIELDS:
            value = _list(value)
        elif key == "duration":
            value = _duration(value)
        else:
            value = " ".join(str(value or "").split()) or None
        if value not in (None, "") and not (key == "translation_of" and not value):
            data[key] = value
    data.setdefault("skills", [])
    data.setdefault("tags", [])
    data.update(extra or {})
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=1000)


def compose_source(fields: dict, body: str, questions, extra: dict | None = None) -> str:
    """One Markdown file from the form: front matter, body, then the knowledge check."""
    body = re.sub(r"\n{3,}", "\n\n", (body or "").replace("\r\n", "\n").strip("\n"))
    quizzes = quiz_builder.to_markdown(questions)
    parts = [f"---\n{front_matter_text(fields, extra)}---", body, quizzes]
    return "\n\n".join(part for part in parts if part) + "\n"
