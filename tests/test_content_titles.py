"""Titles and summaries of files written for other tools (issue 17): a heading is the title
only when it opens the body, else the file name, prettified; the summary is the first real
paragraph, never a fenced-div marker, admonition, tab, heading, code, table or comment."""

from pathlib import Path

import pytest

from learnpath.modules.parsing import parse_module, pretty_file_name

DATA = Path(__file__).resolve().parent / "data" / "titles"


@pytest.mark.parametrize(("name", "title", "summary"), [
    ("gebruik-van-feedback.md", "Gebruik van feedback",
     "Feedback helpt alleen als iemand er iets mee kan: concreet, op tijd en vriendelijk."),
    ("01-introduction_to-shell.md", "Introduction to shell",
     "Humans and computers commonly interact in many different ways, such as through a "
     "keyboard."),
    ("setext.md", "Working with the shell",
     "The shell is a program where users can type commands."),
])
def test_title_and_summary_of_files_from_other_tools(name, title, summary):
    parsed = parse_module((DATA / name).read_bytes(), name)
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert (parsed.title, parsed.summary) == (title, summary)


@pytest.mark.parametrize(("name", "pretty"), [
    ("further-reading.md", "Further reading"), ("02-episode_two.md", "Episode two"),
    ("content/nl/c++.md", "C++"), ("2024.md", "2024"), ("python.markdown", "Python")])
def test_pretty_file_name(name, pretty):
    assert pretty_file_name(name) == pretty


def test_a_multi_line_comment_is_not_the_summary():
    parsed = parse_module("<!--\nDraft notes\nfor authors\n-->\n\nThe real text.\n", "x.md")
    assert parsed.summary == "The real text."


def test_a_paragraph_before_the_only_heading_keeps_the_file_name_as_title():
    parsed = parse_module("Some text.\n\n## Further reading\n\nLinks.\n", "shell-basics.md")
    assert parsed.title == "Shell basics"
