"""The learner's own language first (issue 19): in the catalog among equals, and in the first
step the home page suggests, which is never a translation of a module already finished."""

import pytest

from learnpath import search
from learnpath.extensions import db
from learnpath.modules import authoring, learning


def _source(title, language, duration=5):
    return (f"---\ntitle: {title}\nsummary: About {title.lower()}.\nlanguage: {language}\n"
            f"duration: {duration}\nlevel: beginner\n---\n\n# {title}\n\nFeedback text.\n")


@pytest.fixture
def publish(app):
    def factory(slug, title, language, duration=5, translation_of=None):
        module = authoring.create_module(slug, _source(title, language, duration), language)
        authoring.link_translation(module, translation_of)
        authoring.publish(module, None)
        db.session.commit()
        return module

    return factory


@pytest.fixture
def catalog(publish):
    # The Dutch ones are newer: before, an English reader saw them all first.
    publish("en-one", "English one", "en")
    publish("en-two", "English two", "en-GB")
    for n in range(3):
        publish(f"nl-{n}", f"Nederlands {n}", "nl")


def _slugs(locale, **options):
    return [hit.module.slug for hit in search.search(locale=locale, **options).hits]


def test_the_plain_listing_starts_with_the_readers_language(catalog):
    assert _slugs("en")[:2] == ["en-two", "en-one"]  # en-GB is English too
    assert _slugs("nl")[:3] == ["nl-2", "nl-1", "nl-0"]
    assert set(_slugs("en")) == set(_slugs("nl"))  # nothing is hidden, only ordered


def test_own_language_decides_between_equals_under_other_sorts(publish):
    publish("nl-short", "Kort", "nl", duration=3)
    publish("en-short", "Short", "en", duration=3)
    publish("nl-long", "Lang", "nl", duration=9)
    assert _slugs("en", sort="shortest") == ["en-short", "nl-short", "nl-long"]
    assert _slugs("nl", sort="shortest") == ["nl-short", "en-short", "nl-long"]
    assert _slugs("en", sort="newest") == ["nl-long", "en-short", "nl-short"]  # newest wins


def test_the_catalog_page_lists_english_first_for_an_english_reader(client, login_as, catalog):
    login_as(locale="en")
    html = client.get("/modules").get_data(as_text=True)
    assert html.index("English one") < html.index("Nederlands 2")


def test_the_first_step_is_in_the_persons_language(make_user, publish):
    publish("nl-quick", "Snel", "nl", duration=2)
    publish("en-slower", "Slower", "en", duration=6)
    assert learning.suggest_module(make_user(), "en").slug == "en-slower"
    assert learning.suggest_module(make_user(), "nl").slug == "nl-quick"
    assert learning.suggest_module(make_user()).slug == "nl-quick"  # no language: shortest


def test_a_translation_of_a_finished_module_is_not_suggested(make_user, publish):
    english = publish("feedback", "Feedback", "en", duration=3)
    publish("feedback-nl", "Feedback geven", "nl", duration=3, translation_of="feedback")
    other = publish("coaching-nl", "Coachen", "nl", duration=8)
    person = make_user()
    learning.complete_module(person, english)
    db.session.commit()
    assert learning.suggest_module(person, "en") == other


def test_the_home_page_suggests_in_the_persons_language(client, login_as, publish):
    publish("nl-quick", "Snel", "nl", duration=2)
    publish("en-slower", "Slower", "en", duration=6)
    login_as(locale="en")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/modules/en-slower" lang="en">Slower</a>' in html
