"""Ranking a learner would call right (issue 18), each rule on a small collection."""

import pytest

from learnpath import search
from learnpath.extensions import db
from learnpath.modules import authoring

FILLER = {"en": "Some other words about the weather, the garden and lunch. ",
          "nl": "Nog wat woorden over het weer, de tuin en de lunch. "}


def source(title, body, language, translation_of=None):
    extra = f"translation_of: {translation_of}\n" if translation_of else ""
    return (f"---\ntitle: {title}\nsummary: A module.\nlanguage: {language}\nduration: 5\n"
            f"{extra}---\n\n# {title}\n\n{body}\n")


@pytest.fixture
def publish(app):
    def factory(slug, title, body, language="en", translation_of=None, filler=0):
        text = body + "\n\n" + FILLER[language] * filler
        module = authoring.create_module(slug, source(title, text, language, translation_of),
                                        language)
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def slugs(result):
    return [hit.module.slug for hit in result.hits]


def test_list_comprehension_finds_the_module_about_it_first(publish):
    publish("moonscript", "MoonScript tour", "## Syntax\n\nWhitespace matters.\n\n"
            "## Comprehensions\n\nLike a list comprehension elsewhere, it builds a table.",
            filler=20)
    publish("rst", "Writing reStructuredText", "A bullet list is easy. Reading "
            "comprehension matters more than markup.", filler=3)
    publish("python", "List comprehensions in Python",
            "## What a list comprehension is\n\nA list comprehension builds a list from "
            "another one.\n\n## Filtering\n\nAdd an if to a list comprehension.", filler=10)
    assert slugs(search.search("list comprehension")) == ["python", "moonscript", "rst"]


def test_a_module_about_closures_beats_ones_mentioning_them_in_passing(publish):
    publish("short-mention", "Groovy basics", "Groovy has closures too.")
    publish("long-mention", "Swift in Turkish", "Closures come later.", filler=40)
    publish("javascript", "Functions in JavaScript",
            "## What a closure is\n\nA closure keeps the variables of its scope. A closure "
            "is created each time a function is.\n\n## Private state\n\nA counter closure.",
            filler=15)
    assert slugs(search.search("closure"))[0] == "javascript"


def test_pointers_rank_the_c_module_first_and_title_and_headings_above_body(publish):
    publish("brainfuck", "Brainfuck", "Move the pointer left and right.", language="nl")
    publish("c", "Pointers in C", "A pointer holds an address.", filler=20)
    publish("go", "Go for beginners", "## Pointers\n\nGo has no pointer arithmetic.",
            filler=20)
    publish("zig", "Zig", "Pointers, pointers and more pointers in the body.", filler=2)
    assert slugs(search.search("pointers")) == ["c", "go", "zig", "brainfuck"]


def test_a_typo_shows_results_for_the_correction_in_either_language(publish):
    publish("python", "Python basics", "Variables and loops.")
    publish("vergaderen", "Goed voorbereid", "Een vergadering begint met een doel.",
            language="nl")
    result = search.search("pyhton")
    assert slugs(result) == ["python"] and result.corrected_from == "pyhton"
    assert result.query == "python"
    dutch = search.search("vergaderign", locale="nl")  # a word only in the body
    assert slugs(dutch) == ["vergaderen"] and dutch.query == "vergadering"
    assert search.search("pyhton", literal=True).total == 0


def test_translations_collapse_into_one_result_in_the_learners_language(publish):
    publish("monads", "Haskell monads", "A monad in Haskell chains computations.")
    publish("monaden", "Monaden in Haskell", "Een monad in Haskell koppelt berekeningen.",
            language="nl", translation_of="monads")
    publish("io", "Haskell IO", "The IO monad in Haskell.")
    english = search.search("haskell monad", locale="en")
    assert sorted(slugs(english)) == ["io", "monads"] and english.total == 2
    hit = next(h for h in english.hits if h.module.slug == "monads")
    assert [m.slug for m in hit.translations] == ["monaden"]
    dutch = search.search("haskell monad", locale="nl")
    assert "monaden" in slugs(dutch) and "monads" not in slugs(dutch)


def test_a_group_without_the_learners_language_shows_what_it_has(publish):
    publish("alleen-nl", "Draaitabellen", "Een draaitabel vat rijen samen.", language="nl")
    assert slugs(search.search("draaitabel", locale="en")) == ["alleen-nl"]


def test_the_learners_language_comes_first_among_equals(publish):
    publish("k-en", "Kubernetes", "Kubernetes.")
    publish("k-nl", "Kubernetes", "Kubernetes.", language="nl")
    assert slugs(search.search("kubernetes", locale="en")) == ["k-en", "k-nl"]
    assert slugs(search.search("kubernetes", locale="nl")) == ["k-nl", "k-en"]


def test_exact_matches_rank_above_prefix_expansions(publish):
    publish("retrospective", "Running a retrospective", "Retrospective questions.")
    publish("retro", "Retro games", "A short note on old consoles.", filler=10)
    # "retro" is still being typed: its exact term matches little, so prefixes join in, below.
    assert slugs(search.search("retro")) == ["retro", "retrospective"]


def test_expansions_are_not_used_when_exact_terms_match_enough(publish):
    for number in range(5):
        publish(f"test-{number}", f"Test number {number}", "A test.")
    publish("testing", "Testimonials", "Kind words.")
    assert "testing" not in slugs(search.search("test"))


def test_adjacent_words_rank_above_scattered_ones(publish):
    publish("scattered", "Notes", "The minutes were long. Every meeting ends with a "
            "summary.", filler=2)
    publish("adjacent", "Records", "Long notes were kept. Every summary ends with meeting "
            "minutes.", filler=2)
    assert slugs(search.search("meeting minutes")) == ["adjacent", "scattered"]


def test_adjacency_survives_a_segment_whose_postings_were_all_replaced(publish, caplog):
    publish("a", "Records", "Every summary ends with meeting minutes.")
    b = publish("b", "Meeting minutes", "Kept short.")
    search.rebuild()  # one segment holding both
    authoring.publish(b, None, source=source("Notes", "Kept short.", "en"))
    db.session.commit()  # b's old document is deleted in that segment
    assert slugs(search.search("meeting minutes")) == ["a"]
    assert "failed" not in caplog.text  # answered from the index, not after a repair
