"""mkdocs-quiz <quiz> blocks: every question type, feedback, page options and located warnings."""

from pathlib import Path

import pytest

from learnpath.modules.parsing import parse_module
from learnpath.modules.quiz import Option, Question, blank_token, format_quiz, render_question
from learnpath.modules.quiz_options import QuizOptions, needed_to_pass, pass_mark_met

DATA = Path(__file__).parent / "data"

QUIZ = """<quiz>
What is the first step?
- [x] Describe the behaviour
- [ ] Judge the person

Behaviour can change.
</quiz>
"""


def quiz(inner: str) -> str:
    return f"<quiz>\n{inner}\n</quiz>\n"


def parse_body(body: str, front_matter: str = ""):
    """Parse a body below four lines of front matter, so body line n is file line n + 4."""
    front = "title: Quiz\nduration: 3" + (f"\n{front_matter}" if front_matter else "")
    return parse_module(f"---\n{front}\n---\n{body}", "quiz.md")


def warnings(parsed) -> list[tuple[int | None, str]]:
    return [(w.line, str(w.message)) for w in parsed.warnings]


# Question types ------------------------------------------------------------------------------

def test_one_correct_option_is_single_choice_with_its_explanation():
    parsed = parse_body("Intro.\n\n" + QUIZ)
    assert parsed.ok and parsed.warnings == []
    [question] = parsed.questions
    assert (question.kind, question.position, question.line, question.multiple) == (
        "single", 0, 7, False)
    assert question.prompt == "What is the first step?"
    assert [(o.text, o.correct) for o in question.options] == [
        ("Describe the behaviour", True), ("Judge the person", False)]
    assert question.explanation == "Behaviour can change."
    assert question.explanation_html == "<p>Behaviour can change.</p>"


def test_several_correct_options_are_multiple_choice():
    [question] = parse_body(quiz("Pick two\n- [x] a\n- [ ] b\n- [x] c")).questions
    assert question.kind == "multiple" and question.multiple
    assert [o.correct for o in question.options] == [True, False, True]


@pytest.mark.parametrize("options", [
    "- [X] right\n- [ ] wrong",
    "* [x] right\n* [ ] wrong",
    "- [x] right\n- [] wrong",
    "- [x]   right  \n\n- [ ] wrong",
])
def test_option_marker_variants_are_accepted(options):
    [question] = parse_body(quiz(f"Q?\n{options}")).questions
    assert [(o.text, o.correct) for o in question.options] == [("right", True), ("wrong", False)]


def test_a_single_option_question_is_a_question():
    parsed = parse_body(quiz("I have read the policy.\n- [x] Yes"))
    assert parsed.ok and parsed.warnings == []
    [question] = parsed.questions
    assert (question.kind, [o.text for o in question.options]) == ("single", ["Yes"])


def test_per_answer_feedback_belongs_to_the_option_above_it():
    [question] = parse_body(quiz(
        "What is 2 x 2?\n\n- [ ] 3\n> Nope, but *close*!\n- [x] 4\n> Amazing!\n- [ ] 6\n"
        "> No.\n> Stop it.\n\nAnything else is the explanation.")).questions
    assert [(o.text, o.feedback) for o in question.options] == [
        ("3", "Nope, but *close*!"), ("4", "Amazing!"), ("6", "No.\nStop it.")]
    assert question.options[0].feedback_html == "<p>Nope, but <em>close</em>!</p>"
    assert question.explanation == "Anything else is the explanation."


def test_a_quote_after_a_blank_line_is_part_of_the_explanation():
    [question] = parse_body(quiz("Q?\n- [x] a\n- [ ] b\n\n> A quote for everyone.")).questions
    assert question.options[1].feedback == ""
    assert "<blockquote>" in question.explanation_html


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_explanation_follows_the_options_with_or_without_a_blank_line(separator):
    [question] = parse_body(quiz(f"Q?\n- [x] a\n- [ ] b{separator}Because **a**.")).questions
    assert question.explanation == "Because **a**."
    assert question.explanation_html == "<p>Because <strong>a</strong>.</p>"


def test_fill_in_the_blank_has_one_blank_per_answer_and_an_explanation_after_a_rule():
    parsed = parse_body(quiz("Python was created by [[Guido van Rossum]] in [[ 1991 ]].\n\n---\n"
                             "Named after *Monty Python*."))
    assert parsed.ok and parsed.warnings == []
    [question] = parsed.questions
    assert (question.kind, question.blanks, question.options) == (
        "fill", ["Guido van Rossum", "1991"], [])
    assert question.prompt.startswith("Python was created by [[Guido van Rossum]]")
    assert blank_token(0) in question.prompt_html and blank_token(1) in question.prompt_html
    assert "Guido" not in question.prompt_html and "1991" not in question.prompt_html
    assert question.explanation_html == "<p>Named after <em>Monty Python</em>.</p>"


def test_fill_in_the_blank_without_a_rule_has_no_explanation():
    [question] = parse_body(quiz("The capital of France is [[Paris]].")).questions
    assert (question.kind, question.blanks, question.explanation) == ("fill", ["Paris"], "")


def test_question_may_span_several_lines_of_markdown_and_code():
    [question] = parse_body(quiz("Read this:\n\n```\n- [x] not an option\n```\n\nWhat *is* it?"
                                 "\n- [x] a\n- [ ] b")).questions
    assert "<code>- [x] not an option" in question.prompt_html
    assert "<em>is</em>" in question.prompt_html and len(question.options) == 2


def test_options_render_as_inline_markdown():
    [question] = parse_body(quiz("Q?\n- [x] Use `git log`\n- [ ] 2. Second step")).questions
    assert [o.html for o in question.options] == ["Use <code>git log</code>", "2. Second step"]


@pytest.mark.parametrize("fence", ["```", "~~~~", "```markdown"])
def test_quiz_inside_a_fenced_code_block_is_not_a_quiz(fence):
    closing = fence.rstrip("markdown")
    parsed = parse_body(f"{fence}\n{QUIZ}{closing}\n")
    assert parsed.ok and parsed.questions == [] and parsed.warnings == []
    assert "&lt;quiz&gt;" in parsed.html


def test_quiz_blocks_and_markers_are_removed_from_the_html():
    parsed = parse_body(f"Before.\n<!-- mkdocs-quiz intro -->\n{QUIZ}After.\n"
                        "<!-- mkdocs-quiz results -->\n")
    assert parsed.html == "<p>Before.</p>\n<p>After.</p>"
    assert parsed.warnings == [] and "<quiz>" in parsed.body


def test_quizzes_are_numbered_in_order_with_their_lines():
    second = quiz("Second?\n- [ ] a\n- [x] b")
    parsed = parse_body(f"Text.\n\n{QUIZ}\n## More\n\n{second}")
    assert [(q.position, q.line, q.prompt) for q in parsed.questions] == [
        (0, 7, "What is the first step?"), (1, 17, "Second?")]


def test_the_mkdocs_page_with_every_quiz_type_imports_with_located_warnings():
    path = DATA / "mkdocs-quiz.md"
    parsed = parse_module(path.read_bytes(), path.name)
    assert parsed.ok
    assert [q.kind for q in parsed.questions] == ["single", "multiple", "single", "fill", "single"]
    assert parsed.quiz_options == QuizOptions(shuffle_answers=True, pass_mark=75)
    [warning] = parsed.warnings
    assert warning.line == 59 and "no correct answer" in str(warning.message)
    assert "Which of these fruits are yellow?" in parsed.html  # kept as content


# Bad quizzes: never an error, always a located warning ----------------------------------------

@pytest.mark.parametrize(("body", "wanted", "line"), [
    (quiz("Question without options?\nJust text."), "no answer options", 7),
    (quiz("Q?\n- [ ] a\n- [ ] b"), "no correct answer", 7),
    (quiz("The answer is [[ ]]."), "empty blank", 7),
    (quiz("- [x] a\n- [ ] b"), "no question", 7),
    ("<quiz>\nQ?\n- [x] a\n- [ ] b\n", "never closed", 7),
    ("Text.\n</quiz>\n", "without an opening", 8),
    ("<?quiz?>\nquestion: Ready?\nanswer-correct: Yes!\n<?/quiz?>\n", "old mkdocs-quiz syntax",
     7),
])
def test_a_quiz_we_cannot_use_is_content_with_a_warning_on_its_line(body, wanted, line):
    parsed = parse_body("Intro.\n\n" + body)
    assert parsed.ok, parsed.errors
    assert parsed.questions == []
    [(warning_line, message)] = warnings(parsed)
    assert wanted in message and warning_line == line
    assert "quiz&gt;" not in parsed.html and "<quiz" not in parsed.html


def test_a_quiz_without_correct_answer_keeps_its_text_as_content():
    parsed = parse_body(quiz("Which is yellow?\n- [ ] Orange\n- [ ] Blueberry"))
    assert "Which is yellow?" in parsed.html and "Orange" in parsed.html


def test_an_empty_option_is_left_out_with_a_warning():
    parsed = parse_body(quiz("Q?\n- [x] a\n- [ ]\n- [ ] c"))
    [question] = parsed.questions
    assert [o.text for o in question.options] == ["a", "c"]
    assert warnings(parsed) == [(8, "This answer option is empty and is left out.")]


def test_text_between_options_moves_to_the_explanation_with_a_warning():
    parsed = parse_body(quiz("Q?\n- [x] a\n\nStray words.\n- [ ] b"))
    [question] = parsed.questions
    assert [o.text for o in question.options] == ["a", "b"]
    assert question.explanation == "Stray words."
    assert [line for line, _m in warnings(parsed)] == [9]


def test_unclosed_quiz_does_not_hide_the_next_quiz():
    parsed = parse_body("<quiz>\nQ?\n- [x] a\n- [ ] b\n\n" + QUIZ)
    assert [w.line for w in parsed.warnings] == [5]
    assert [q.line for q in parsed.questions] == [10]


# Page options --------------------------------------------------------------------------------

@pytest.mark.parametrize(("front_matter", "expected"), [
    ("", QuizOptions()),
    ("quiz:\n  shuffle_answers: true\n  show_correct: false",
     QuizOptions(shuffle_answers=True, show_correct=False)),
    ("quiz: disable", QuizOptions(enabled=False)),
    ("quiz:\n  enabled: false", QuizOptions(enabled=False)),
    ("pass: 80", QuizOptions(pass_mark=80)),
    ("pass: 66.7%", QuizOptions(pass_mark=67)),
    ("pass: 0", QuizOptions(pass_mark=0)),
])
def test_page_options_are_read_without_warnings(front_matter, expected):
    parsed = parse_body(QUIZ, front_matter)
    assert parsed.quiz_options == expected
    assert parsed.warnings == []


@pytest.mark.parametrize(("front_matter", "wanted"), [
    ("quiz:\n  auto_submit: false", "has no effect"),
    ("quiz:\n  confetti: false", "has no effect"),
    ("quiz:\n  sparkles: true", "Unknown quiz option sparkles"),
    ("quiz:\n  shuffle_answers: often", "must be true or false"),
    ("quiz: [1, 2]", "quiz must be"),
    ("pass: 120", "pass must be a percentage"),
    ("pass: most", "pass must be a percentage"),
])
def test_page_options_we_cannot_use_are_warnings_on_their_key_line(front_matter, wanted):
    parsed = parse_body(QUIZ, front_matter)
    assert parsed.ok and len(parsed.questions) == 1
    [(line, message)] = warnings(parsed)
    assert wanted in message and line == 4


def test_disabled_quizzes_are_plain_content():
    parsed = parse_body(QUIZ, "quiz: disable")
    assert parsed.questions == [] and parsed.warnings == []
    assert "What is the first step?" in parsed.html


@pytest.mark.parametrize(("right", "total", "mark", "met"), [
    (4, 5, 80, True), (3, 5, 80, False), (2, 3, 67, False), (2, 3, 66, True), (0, 2, 0, True),
    (2, 2, 100, True), (1, 2, 100, False),
])
def test_pass_mark_is_a_whole_percentage_of_questions_right(right, total, mark, met):
    assert pass_mark_met(right, total, mark) is met


def test_needed_to_pass_is_the_fewest_questions_right():
    assert [needed_to_pass(5, mark) for mark in (0, 50, 80, 100)] == [0, 3, 4, 5]


# Round trip (the question builder writes what the parser reads) --------------------------------

ROUND_TRIP = [
    Question("single", "What is the *first* step?", options=[
        Option("Describe the behaviour", True, "Yes: behaviour can change."),
        Option("Judge the person", False, "A judgement\nputs people on the defence.")],
        explanation="Behaviour can change."),
    Question("multiple", "Pick two", options=[Option("a", True), Option("b", False),
                                              Option("c", True)]),
    Question("single", "I have read it.", options=[Option("Yes", True)]),
    Question("fill", "The capital of France is [[Paris]].", blanks=["Paris"],
             explanation="Since 987."),
    Question("fill", "2 + 2 = [[4]]", blanks=["4"]),
]


@pytest.mark.parametrize("question", ROUND_TRIP, ids=lambda q: q.kind + ":" + q.prompt[:8])
def test_format_quiz_parses_back_to_the_same_question(question):
    expected = render_question(question)
    parsed = parse_body(format_quiz(question))
    assert parsed.warnings == []
    [again] = parsed.questions
    again.line = expected.line
    assert again == expected
