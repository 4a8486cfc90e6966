"""Search analyses each content language with its own stemmer where whoosh has one, a neutral
analysis otherwise (issue 17): German, French, Portuguese stems and stop words; Arabic and
Chinese pages found by their words; an index of an older schema rebuilt on first use."""

import json
from pathlib import Path

import pytest

from learnpath import search
from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.modules.importer import import_paths
from learnpath.search import facets, index
from learnpath.search.analysis import NEUTRAL, analysis_for, analysis_key

COLLECTION = Path(__file__).resolve().parent / "data" / "multilingual"


def _source(title, body, language):
    return (f"---\ntitle: {title}\nsummary: {title}.\nlanguage: {language}\nduration: 5\n"
            f"level: beginner\n---\n\n# {title}\n\n{body}\n")


@pytest.fixture
def publish(app):
    def factory(slug, title, body, language):
        module = authoring.create_module(slug, _source(title, body, language), language)
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


@pytest.fixture
def collection(app):
    assert import_paths([COLLECTION]).ok
    db.session.commit()


def slugs(text, **options):
    return [hit.module.slug for hit in search.search(text, **options).hits]


def all_words(text):
    """The modules having every word as typed (no fallback to any word, no correction)."""
    result = search.search(text)
    if result.matched_any or result.corrected_from is not None:
        return []
    return [hit.module.slug for hit in result.hits]


@pytest.mark.parametrize(("tag", "key"), [
    ("en", "en"), ("en-GB", "en"), ("nl", "nl"), ("nl-BE", "nl"), ("de", "de"), ("de-AT", "de"),
    ("fr", "fr"), ("pt-BR", "pt"), ("es-419", "es"), ("nb", "no"), ("ru", "ru"),
    ("zh-CN", NEUTRAL), ("ar", NEUTRAL), ("ja", NEUTRAL), ("tr", NEUTRAL), (None, "en")])
def test_each_language_maps_to_its_analysis(tag, key):
    assert analysis_key(tag) == key


def test_german_stemming_finds_inflected_forms(publish):
    publish("buch", "Lesen", "Ein gutes Buch öffnet Türen.", "de")
    publish("haeuser", "Wohnen", "Alte Häuser erzählen Geschichten.", "de")
    assert slugs("Bücher") == ["buch"]
    assert slugs("Buch ") == ["buch"]
    assert slugs("Haus ") == ["haeuser"]
    hit = search.search("Bücher").hits[0]
    assert "<mark>Buch</mark>" in str(hit.snippet)


def test_german_stop_words_are_not_required(publish):
    publish("buch", "Lesen", "Ein gutes Buch öffnet Türen.", "de")
    publish("andere", "Anderes", "Das ist nicht über Literatur, nur über die Arbeit.", "de")
    assert all_words("über Bücher") == ["buch"]


def test_french_stop_words_do_not_match_everything(publish):
    publish("reunions", "Réunions efficaces", "Préparer une réunion courte.", "fr")
    publish("teletravail", "Télétravail", "Les équipes à distance et des outils partagés.",
            "fr")
    assert all_words("des réunions") == ["reunions"]
    assert all_words("les réunions") == ["reunions"]


def test_brazilian_portuguese_uses_the_portuguese_stemmer(collection):
    assert all_words("programações") == ["python-pt-br"]  # the text: "programação"
    assert all_words("programacao") == ["python-pt-br"]  # typed without accents


def test_an_arabic_page_is_found_by_its_words(collection):
    assert slugs("برمجة") == ["python-ar"]
    assert slugs("تقرأ") == ["python-ar"]  # the text writes it with a vowel mark: تُقرأ


def test_a_chinese_page_is_found_by_words_inside_a_run_of_characters(collection):
    assert slugs("编程") == ["python-zh-cn"]
    assert slugs("编程语言") == ["python-zh-cn"]
    assert slugs("语言编程") == []  # the characters in another order are not the phrase
    assert "<mark>" in str(search.search("编程").hits[0].snippet)


def test_the_neutral_analysis_pairs_chinese_characters():
    neutral = analysis_for(NEUTRAL)
    assert neutral.terms("Python是一种编程语言") == [
        ("python",), ("是一",), ("一种",), ("种编",), ("编程",), ("程语",), ("语言",)]
    assert neutral.terms("书") == [("书",)]
    assert neutral.terms("Déjà vu, the") == [("deja",), ("vu",), ("the",)]  # no stop words


def test_an_english_and_dutch_catalog_searches_only_english_and_dutch_fields(publish):
    publish("meetings", "Meetings", "We meet every week.", "en")
    publish("vergaderen", "Vergaderen", "Wij vergaderen elke week.", "nl")
    publish("meetings-gb", "Organising", "Organising is an art.", "en-GB")
    assert slugs("organizing") == ["meetings-gb"]
    assert facets.for_searcher(index.current().searcher()).analyses == ("en", "nl")


def test_a_dutch_regional_variant_is_analysed_as_dutch(publish):
    publish("feedback-be", "Feedback geven", "Zo geef je feedback die landt.", "nl-BE")
    assert all_words("feedback gegeven") == ["feedback-be"]
    assert all_words("de feedback") == ["feedback-be"]  # a Dutch stop word


def test_an_index_of_the_previous_schema_is_rebuilt_on_first_use(app, publish):
    publish("buch", "Lesen", "Ein gutes Buch öffnet Türen.", "de")
    meta_file = Path(app.config["SEARCH_INDEX_DIR"]) / index.META_FILE
    meta = json.loads(meta_file.read_text())
    meta["schema"] = index.SCHEMA_VERSION - 1
    meta_file.write_text(json.dumps(meta))
    index.current().forget()
    assert slugs("Bücher") == ["buch"]
    rebuilt = json.loads(meta_file.read_text())
    assert rebuilt["schema"] == index.SCHEMA_VERSION and rebuilt["build"] != meta["build"]
