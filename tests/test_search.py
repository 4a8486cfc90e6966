"""Catalog search: language analysis, ranking, facets, highlighting, suggestions, visibility."""

import pytest

from learnpath import search
from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.search.query import parse
from learnpath.skills import services as skills

SKILLS = """
- slug: giving-feedback
  name: {nl: Feedback geven, en: Giving feedback}
- slug: coaching
  name: {nl: Coachen, en: Coaching}
- slug: planning
  name: {nl: Plannen, en: Planning}
"""


def source(title, body="Some text.", language="en", summary="", duration=5, level="beginner",
           skill_slugs=(), tags=()):
    return (f"---\ntitle: {title}\nsummary: {summary or 'A short module.'}\n"
            f"language: {language}\nduration: {duration}\nlevel: {level}\n"
            f"skills: [{', '.join(skill_slugs)}]\ntags: [{', '.join(tags)}]\n---\n\n"
            f"# {title}\n\n{body}\n")


@pytest.fixture
def publish(app):
    skills.import_skills(SKILLS)
    db.session.commit()

    def factory(slug, title, body="Some text.", **options):
        module = authoring.create_module(slug, source(title, body, **options),
                                        options.get("language", "en"))
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


def titles(result):
    return [hit.version.title for hit in result.hits]


def test_dutch_stemming_finds_other_forms_of_a_verb(publish):
    publish("feedback-nl", "Feedback geven die landt", "Zo geef je feedback die landt.",
            language="nl")
    assert titles(search.search("feedback gegeven")) == ["Feedback geven die landt"]
    assert titles(search.search("de feedback")) == ["Feedback geven die landt"]  # stop word


def test_english_stemming_and_spelling_variants(publish):
    publish("recognition", "Saying thanks", "Recognition matters more than money.")
    assert titles(search.search("recognising")) == ["Saying thanks"]
    assert titles(search.search("recognized")) == ["Saying thanks"]


def test_each_module_is_analysed_in_its_own_language(publish):
    publish("nl-module", "Vergaderen", "Wij vergaderen elke week.", language="nl")
    publish("en-module", "Meetings", "We meet every week.")
    assert titles(search.search("vergaderingen")) == ["Vergaderen"]
    assert titles(search.search("meeting")) == ["Meetings"]


def test_accents_do_not_matter(publish):
    publish("efficient", "Efficiënt werken", "Een efficiënt gesprek.", language="nl")
    assert titles(search.search("efficient")) == ["Efficiënt werken"]


def test_a_title_match_ranks_above_a_body_match(publish):
    publish("body", "Running meetings",
            "Delegation is mentioned here. Delegation again, and delegation once more.")
    publish("title", "Delegation basics", "How to hand over work.")
    assert titles(search.search("delegation")) == ["Delegation basics", "Running meetings"]


def test_words_are_and_ed_with_an_or_fallback(publish):
    publish("a", "Coaching questions", "Ask open questions.")
    publish("b", "Coaching habits", "Keep it short.")
    result = search.search("coaching questions")
    assert titles(result) == ["Coaching questions"] and not result.matched_any
    fallback = search.search("coaching zebra")
    assert set(titles(fallback)) == {"Coaching questions", "Coaching habits"}
    assert fallback.matched_any


def test_phrases_or_and_exclusion(publish):
    publish("a", "Giving feedback", "Feedback that lands with the other person.")
    publish("b", "Lands and borders", "Other lands have other habits.")
    assert titles(search.search('"feedback that lands"')) == ["Giving feedback"]
    assert set(titles(search.search("feedback OR borders"))) == {"Giving feedback",
                                                                 "Lands and borders"}
    assert titles(search.search("lands -feedback")) == ["Lands and borders"]
    assert titles(search.search("lands NOT feedback")) == ["Lands and borders"]


def test_the_query_syntax_is_small_and_forgiving():
    parsed = parse('feedback OR coaching "clear goals" -email NOT spam retro* title:x (((')
    assert [[c.text for c in group] for group in parsed.groups] == [
        ["feedback", "coaching"], ["clear goals"], ["retro"], ["title"], ["x"]]
    assert [c.text for c in parsed.excluded] == ["email", "spam"]
    assert parsed.groups[2][0].prefix and parsed.groups[1][0].phrase
    assert parse("*").empty and parse("AND").empty and parse("OR OR").empty
    assert parse('"unclosed phrase').groups[0][0].phrase
    assert parse("retro").typing and not parse("retro ").typing
    assert len(parse("x" * 5000).text) == 200
    assert parse("a\x00b\u202ec").text == "a b c"


def test_the_last_word_matches_as_a_prefix_while_typing(publish):
    publish("retro", "Running a retrospective", "Look back together.")
    assert titles(search.search("retrosp")) == ["Running a retrospective"]
    assert titles(search.search("retr*")) == ["Running a retrospective"]


def test_snippets_highlight_matches_and_escape_html(publish):
    publish("html", "Safe output", "Write <b>bold</b> text; never trust &lt;script&gt; tags.")
    hit = search.search("script").hits[0]
    snippet = str(hit.snippet)
    assert "<mark>script</mark>" in snippet
    assert "<script>" not in snippet and "&lt;" in snippet
    assert "<b>" not in snippet
    assert str(search.search("safe").hits[0].title) == "<mark>Safe</mark> output"


def test_a_typo_shows_the_corrected_results_at_once(publish):
    # Changed on purpose (issue 18): the corrected results are shown instead of only a link.
    publish("safety", "Psychological safety in practice", "Teams that feel safe learn more.")
    result = search.search("psycholgical")
    assert titles(result) == ["Psychological safety in practice"]
    assert (result.query, result.corrected_from) == ("psychological", "psycholgical")
    literal = search.search("psycholgical", literal=True)
    assert literal.total == 0 and literal.suggestion == "psychological"
    assert literal.corrected_from is None
    assert search.search("psychological").corrected_from is None


def test_facets_count_and_combine_with_the_query_and_each_other(publish):
    publish("a", "Feedback one", language="en", duration=4, level="beginner",
            skill_slugs=["giving-feedback"])
    publish("b", "Feedback twee", language="nl", duration=8, level="advanced",
            skill_slugs=["giving-feedback", "coaching"])
    publish("c", "Feedback three", language="en", duration=12, level="advanced",
            skill_slugs=["coaching"])
    publish("d", "Planning ahead", language="en", duration=3, skill_slugs=["planning"])

    result = search.search("feedback", locale="nl")
    counts = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert result.total == 3
    assert counts["language"] == {"en": 2, "nl": 1}
    assert counts["level"] == {"beginner": 1, "advanced": 2}
    assert counts["skill"] == {"giving-feedback": 2, "coaching": 2}
    assert counts["duration"] == {"5": 1, "10": 2, "long": 1}
    skill_labels = {v.value: v.label for f in result.facets if f.name == "skill"
                    for v in f.values}
    assert skill_labels["coaching"] == "Coachen"

    narrowed = search.search("feedback", filters={"language": ["en"], "skill": ["coaching"]})
    assert titles(narrowed) == ["Feedback three"]
    counts = {f.name: {v.value: v.count for v in f.values} for f in narrowed.facets}
    assert counts["language"] == {"en": 1, "nl": 1}  # its own filter is left out
    assert counts["skill"]["giving-feedback"] == 1

    either = search.search("", filters={"skill": ["planning", "coaching"]})
    assert set(titles(either)) == {"Feedback twee", "Feedback three", "Planning ahead"}
    short = search.search("", filters={"duration": "5"})
    assert set(titles(short)) == {"Feedback one", "Planning ahead"}


def test_sorting_and_pagination(publish):
    for number, minutes in enumerate([7, 3, 9, 5]):
        publish(f"m{number}", f"Module {number}", duration=minutes)
    assert titles(search.search("", sort="newest")) == [
        "Module 3", "Module 2", "Module 1", "Module 0"]
    assert titles(search.search("module", sort="shortest")) == [
        "Module 1", "Module 3", "Module 0", "Module 2"]
    first = search.search("", per_page=3)
    assert first.pages == 2 and len(first.hits) == 3
    last = search.search("", page=99, per_page=3)
    assert last.page == 2 and len(last.hits) == 1


def test_drafts_unpublished_and_archived_modules_never_appear(publish):
    kept = publish("kept", "Zebra crossing", "Published zebra text.")
    hidden = publish("hidden", "Zebra hidden", "Zebra text.")
    archived = publish("archived", "Zebra archive", "Zebra text.")
    authoring.create_module("draft", source("Zebra draft", "Zebra text."))
    authoring.unpublish(hidden)
    authoring.archive(archived)
    db.session.commit()
    assert titles(search.search("zebra")) == ["Zebra crossing"]
    assert titles(search.search("")) == ["Zebra crossing"]
    assert kept.status == "published"


def test_snippets_come_from_the_published_version_not_the_draft(publish):
    module = publish("versions", "Versioned module", "The published walrus text.")
    authoring.save_draft(module, source("Versioned module", "A secret narwhal draft."),
                        module.edit_count)
    db.session.commit()
    assert search.search("narwhal").total == 0
    hit = search.search("walrus").hits[0]
    assert "walrus" in str(hit.snippet) and "narwhal" not in str(hit.snippet)


def test_a_republished_module_is_found_once_with_its_new_text(publish):
    module = publish("twice", "Changing module", "First otter text.")
    authoring.publish(module, None, source("Changing module", "Second beaver text."))
    db.session.commit()
    assert search.search("otter").total == 0
    assert titles(search.search("beaver")) == ["Changing module"]
    assert titles(search.search("changing")) == ["Changing module"]


def test_the_index_changes_only_when_the_transaction_commits(publish):
    module = authoring.create_module("pending", source("Pending penguin", "Penguin text."))
    authoring.publish(module, None)
    assert search.search("penguin").total == 0  # flushed, not committed
    db.session.rollback()
    assert search.search("penguin").total == 0
    module = authoring.create_module("pending", source("Pending penguin", "Penguin text."))
    authoring.publish(module, None)
    db.session.commit()
    assert search.search("penguin").total == 1


ODD_QUERIES = [
    "", " ", "*", "**", "?", '"', '""', '"unclosed phrase', "AND", "OR OR", "NOT", "-",
    "(((", ")))", "title:", "title:feedback", "feedback~2", "[a TO z]", "{}", "^2",
    "a" * 5000, "feedback " * 500, "\x00", "fee\x00dback", "\u202eevil", "😀 🚀",
    "مرحبا بالعالم", "שלום", "日本語のテキスト", "'; DROP TABLE modules; --", "1=1 OR 'a'='a'",
    "<script>alert(1)</script>", "<b>bold</b>", "&amp; &lt;", "%00%27", "\\", "\\\\'",
    "feedback*", "*feedback", "f*", "-feedback", "--feedback", "feedback -", "OR feedback",
    "feedback OR", "feedback AND AND", "\t\n\r", "\u200b", "\ufeff", "ǅemal", "İstanbul",
]


def test_odd_queries_give_a_result(publish):
    publish("feedback", "Feedback basics", "How to give feedback.")
    for text in ODD_QUERIES:
        result = search.search(text)
        assert isinstance(result, search.SearchResult), text
        assert len(result.query) <= 200
