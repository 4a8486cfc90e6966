"""Parsing and validating one module file: front matter, fallbacks, bad input and quizzes."""

import hashlib
from pathlib import Path

import pytest

from learnpath.modules.frontmatter import estimate_minutes
from learnpath.modules.parsing import MAX_FILE_BYTES, parse_module, slug_from_filename

CATALOG = Path(__file__).parent.parent / "content" / "modules"

QUIZ = """<quiz>
What is the first step?
- [x] Describe the behaviour
- [ ] Judge the person

Behaviour can change.
</quiz>
"""


def module(front_matter: str | None = None, body: str = "Some text.\n") -> str:
    if front_matter is None:
        return body
    return f"---\n{front_matter}\n---\n{body}"


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def only_error(parsed):
    assert len(parsed.errors) == 1, messages(parsed.errors)
    return parsed.errors[0]


# Slugs, titles, languages, summaries -------------------------------------------------------

@pytest.mark.parametrize(("filename", "slug"), [
    ("Feedback Geven.md", "feedback-geven"),
    ("content/modules/nl/het-30-dagengesprek.md", "het-30-dagengesprek"),
    ("Één_twee  drie!.MD", "een-twee-drie"),
    ("notes.markdown", "notes"),
])
def test_slug_comes_from_the_file_name(filename, slug):
    assert slug_from_filename(filename) == slug


@pytest.mark.parametrize(("front_matter", "body", "title"), [
    ("title: From title\nname: From name", "# From heading\n", "From title"),
    ("name: From name", "# From heading\n", "From name"),
    (None, "## From **first** heading\n\n# Second\n", "From first heading"),
    # A heading further down names a section, not the module (issue 17).
    (None, "Intro.\n\n## Further reading\n\n# Second\n", "Feedback geven"),
    (None, "<!-- note -->\n\n\n# Opening\n", "Opening"),
    ("title: ''", "### Deep heading ###\n", "Deep heading"),
    (None, "No heading at all.\n", "Feedback geven"),
])
def test_title_falls_back_from_title_to_name_to_heading_to_file_name(front_matter, body, title):
    parsed = parse_module(module(front_matter, body), "feedback-geven.md")
    assert parsed.title == title
    assert parsed.ok, messages(parsed.errors)


def test_heading_inside_a_code_fence_is_not_the_title():
    # Nor is one after the code: only a heading that opens the body is the title (issue 17).
    parsed = parse_module("```markdown\n# Not this\n```\n\n# Nor this\n", "code-first.md")
    assert parsed.title == "Code first"


@pytest.mark.parametrize(("front_matter", "folder", "default", "language"), [
    ("language: nl", "en", "en", "nl"),
    ("lang: NL", None, "en", "nl"),
    (None, "nl", "en", "nl"),
    (None, None, "nl", "nl"),
    (None, None, "en", "en"),
])
def test_language_comes_from_front_matter_then_folder_then_default(
        front_matter, folder, default, language):
    parsed = parse_module(module(front_matter), "x.md", default_language=default,
                          folder_language=folder)
    assert parsed.language == language
    assert parsed.ok


def test_language_different_from_the_folder_is_warned():
    parsed = parse_module(module("title: x\nlanguage: en"), "x.md", folder_language="nl")
    assert parsed.language == "en"
    assert [warning.line for warning in parsed.warnings] == [3]


@pytest.mark.parametrize(("front_matter", "body", "summary"), [
    ("summary: Given\ndescription: Other", "Text.\n", "Given"),
    ("description: From description", "Text.\n", "From description"),
    (None, "# Title\n\n- a list\n- item\n\nThe *first* paragraph\nover two lines.\n\nSecond.\n",
     "The first paragraph over two lines."),
    (None, "!!! tip\n    Not this.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nThis.\n", "This."),
    (None, "# Only a heading\n", ""),
])
def test_summary_falls_back_to_the_first_paragraph(front_matter, body, summary):
    assert parse_module(module(front_matter, body), "x.md").summary == summary


def test_summary_from_a_long_paragraph_is_cut_on_a_word_boundary():
    parsed = parse_module("word " * 100, "x.md")
    assert parsed.summary.endswith("word…")
    assert len(parsed.summary) <= 201


@pytest.mark.parametrize("source", ["Just Markdown.\n", "---\n---\nBody.\n", "---\n...\nBody.\n"])
def test_file_without_or_with_empty_front_matter_is_valid(source):
    parsed = parse_module(source, "plain.md")
    assert parsed.ok, messages(parsed.errors)
    assert parsed.front_matter == {}
    assert (parsed.level, parsed.skills, parsed.translation_of) == ("beginner", [], None)


def test_front_matter_may_close_with_dots():
    parsed = parse_module("---\ntitle: Dots\n...\nBody.\n", "x.md")
    assert (parsed.title, parsed.body) == ("Dots", "Body.\n")


def test_source_is_kept_verbatim_with_normalised_newlines():
    raw = "\ufeff---\r\ntitle: x\r\n---\r\nText.\r\n\r\n" + QUIZ.replace("\n", "\r\n")
    parsed = parse_module(raw.encode("utf-8"), "x.md")
    assert parsed.source == raw.removeprefix("\ufeff").replace("\r\n", "\n")
    assert "<quiz>" in parsed.body and "title" not in parsed.body
    assert parsed.content_hash == hashlib.sha256(parsed.source.encode()).hexdigest()


# Duration, level, skills, unknown keys ------------------------------------------------------

@pytest.mark.parametrize("value", ["5", "'5'", "5 min", "5m", "5 minutes", "5.0"])
def test_duration_accepts_minutes_in_several_spellings(value):
    parsed = parse_module(module(f"duration: {value}"), "x.md")
    assert (parsed.duration, parsed.duration_estimated) == (5, False)


@pytest.mark.parametrize(("words", "questions", "minutes"), [
    (0, 0, 1), (100, 0, 1), (1000, 0, 5), (200, 1, 2), (700, 2, 5), (3000, 0, 15),
])
def test_estimate_is_200_words_a_minute_plus_half_a_minute_per_question(words, questions, minutes):
    assert estimate_minutes(words, questions) == minutes


def test_absent_duration_is_estimated_from_the_text_and_questions():
    parsed = parse_module("lorem ipsum " * 300 + "\n\n" + QUIZ + "\n" + QUIZ, "x.md")
    assert parsed.word_count == 600
    assert (parsed.duration, parsed.duration_estimated) == (4, True)
    assert parsed.warnings == []


@pytest.mark.parametrize(("source", "line"), [
    (module("duration: 15"), 2),
    ("word " * 2400, None),
])
def test_module_over_ten_minutes_is_warned_as_not_micro(source, line):
    parsed = parse_module(source, "x.md")
    assert parsed.ok
    [warning] = parsed.warnings
    assert "not a micro module" in str(warning) and warning.line == line


def test_module_of_exactly_ten_minutes_is_micro():
    assert parse_module(module("duration: 10"), "x.md").warnings == []


def test_level_is_case_insensitive_and_defaults_to_beginner():
    assert parse_module(module("level: Advanced"), "x.md").level == "advanced"
    assert parse_module(module("title: x"), "x.md").level == "beginner"


@pytest.mark.parametrize("value", ["[Feedback Geven, communicatie]", "Feedback Geven, communicatie",
                                   "\n  - feedback-geven\n  - Communicatie\n  - communicatie"])
def test_skills_and_tags_are_a_list_or_comma_separated_text(value):
    parsed = parse_module(module(f"skills: {value}\ntags: {value}"), "x.md")
    assert parsed.skills == parsed.tags == ["feedback-geven", "communicatie"]


def test_unknown_keys_are_warned_with_their_line_not_rejected():
    parsed = parse_module(module("title: x\nauthor: me\ndate: 2024-01-01"), "x.md")
    assert parsed.ok
    assert [(w.line, w.field) for w in parsed.warnings] == [(3, "author"), (4, "date")]
    assert parsed.front_matter["author"] == "me"


def test_duplicate_key_is_warned():
    parsed = parse_module(module("title: a\ntitle: b"), "x.md")
    assert parsed.title == "b"
    assert [w.line for w in parsed.warnings] == [3]


def test_translation_of_is_a_slug():
    assert parse_module(module("translation_of: Feedback-Geven"), "x.md").translation_of == (
        "feedback-geven")


# Bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("front_matter", "line", "column"), [
    ("title: ok\nsummary: a: b", 3, 11),
    ("title: ok\nskills: [a, b\nlevel: x", 4, 6),
])
def test_invalid_yaml_is_located_by_file_line_and_column(front_matter, line, column):
    error = only_error(parse_module(module(front_matter), "x.md"))
    assert (error.line, error.column) == (line, column)
    assert str(error).startswith(f"line {line}, column {column}: The front matter is not valid")


@pytest.mark.parametrize("front_matter", ["- a\n- b", "just a string", "42"])
def test_front_matter_that_is_not_a_mapping_is_an_error_on_line_1(front_matter):
    error = only_error(parse_module(module(front_matter), "x.md"))
    assert error.line == 1 and "must be a mapping of keys to values" in str(error)


def test_unclosed_front_matter_is_an_error_on_line_1():
    error = only_error(parse_module("---\ntitle: x\n\nBody without end.\n", "x.md"))
    assert error.line == 1 and "never closed" in str(error)


@pytest.mark.parametrize("front_matter", [
    "title: !!python/object/apply:os.system ['echo hi']",
    "base: &b [1]\ncopy: *b",
])
def test_unsafe_yaml_features_are_refused(front_matter):
    parsed = parse_module(module(front_matter), "x.md")
    assert not parsed.ok and parsed.front_matter == {}


@pytest.mark.parametrize(("source", "line", "column"), [
    (b"---\ntitle: x\n---\n\nCaf\xe9 latin-1\n", 5, 4),
    (b"\xff\xfeabc", 1, 1),
    ("ok\n\ud800", 2, 1),
])
def test_text_that_is_not_utf8_is_located(source, line, column):
    error = only_error(parse_module(source, "x.md"))
    assert "not UTF-8" in str(error) and (error.line, error.column) == (line, column)


def test_binary_file_is_an_error():
    parsed = parse_module(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.md")
    assert "binary file" in str(only_error(parsed))
    assert parsed.source == "" and parsed.questions == []


@pytest.mark.parametrize("source", [b"a" * (MAX_FILE_BYTES + 1), "é" * (MAX_FILE_BYTES // 2 + 1)])
def test_file_over_the_size_limit_is_an_error(source):
    assert "256 KB" in str(only_error(parse_module(source, "big.md")))


@pytest.mark.parametrize(("front_matter", "wanted"), [
    ("level: expert", "beginner, intermediate, advanced"),
    ("language: xx", "zh-CN"),  # fr is a content language now (DESIGN 5); xx is none
    ("duration: 0", "minutes"),
    ("duration: -3", "minutes"),
    ("duration: soon", "minutes"),
    ("duration: 2.5", "minutes"),
    ("duration: true", "minutes"),
    ("skills: {a: 1}", "list"),
    ("tags: [[nested]]", "list"),
    ("title: [a, b]", "text"),
    ("translation_of: 12", "slug"),
])
def test_bad_field_value_is_an_error_on_its_line(front_matter, wanted):
    error = only_error(parse_module(module(f"summary: s\n{front_matter}"), "x.md"))
    assert error.line == 3 and wanted in str(error)


@pytest.mark.parametrize(("front_matter", "field"), [
    ("title: " + "t" * 201, "title"),
    ("summary: " + "s" * 501, "summary"),
])
def test_too_long_title_or_summary_is_an_error(front_matter, field):
    error = only_error(parse_module(module(front_matter), "x.md"))
    assert error.field == field and error.line == 2


def test_problem_reads_without_an_app_context():
    parsed = parse_module("---\ntitle: [\n---\n", "x.md")
    assert str(parsed.errors[0]).startswith("line 2, column 9: The front matter is not valid YAML")


# Quizzes: tests/test_quiz_parsing.py


# The starter catalog -----------------------------------------------------------------------

CATALOG_FILES = sorted(CATALOG.glob("**/*.md"))


def test_starter_catalog_is_present():
    assert len(CATALOG_FILES) >= 24


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_starter_module_parses_without_errors(path):
    parsed = parse_module(path.read_bytes(), path.name, folder_language=path.parent.name)
    assert parsed.ok, messages(parsed.errors)
    assert parsed.language == path.parent.name
    assert len(parsed.questions) >= 1
    assert 3 <= parsed.duration <= 10
