"""Content language: the real BCP 47 language from front matter or folder, `lang` and `dir`
on the page, and the catalog's language facet listing the real languages (issue 17)."""

import re
from pathlib import Path

import pytest

from learnpath.extensions import db
from learnpath.modules import services
from learnpath.modules.importer import import_paths, import_upload
from learnpath.web.i18n import language_name, text_direction

COLLECTION = Path(__file__).resolve().parent / "data" / "multilingual"


@pytest.fixture
def collection(app):
    report = import_paths([COLLECTION])
    assert report.ok
    db.session.commit()


def test_front_matter_language_wins_and_is_stored_canonically(app):
    report = import_upload("kotlin.md", b"---\nlanguage: pt_br\n---\n# Kotlin\n\nTexto.\n")
    assert report.files[0].status == "created"
    module = services.get_module("kotlin")
    assert module.language == module.current_version.language == "pt-BR"


@pytest.mark.parametrize(("tag", "direction"), [
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("zh-CN", "ltr"),
    ("nl", "ltr"), ("not a tag", "ltr")])
def test_text_direction(app, tag, direction):
    assert text_direction(tag) == direction


@pytest.mark.parametrize(("slug", "lang", "direction", "text"), [
    ("python-ar", "ar", "rtl", "بايثون لغة برمجة"),
    ("python-zh-cn", "zh-CN", "ltr", "编程语言"),
    ("python", "en", "ltr", "reads almost like English"),
])
def test_the_article_carries_its_language_and_direction(client, login_as, collection,
                                                        slug, lang, direction, text):
    login_as()
    html = client.get(f"/modules/{slug}").get_data(as_text=True)
    assert f'<article class="module" lang="{lang}" dir="{direction}">' in html
    assert text in html


def test_the_catalog_language_facet_lists_the_real_languages(client, login_as, collection):
    login_as()
    html = client.get("/modules").get_data(as_text=True)
    for tag in ("en", "nl", "de", "ar", "zh-CN", "pt-BR"):
        assert f'name="language" value="{tag}"' in html, tag
    with client.application.test_request_context():
        assert language_name("de") == "German"
    assert "German" in html and "Arabic" in html
    filtered = client.get("/modules", query_string={"language": "zh-cn"}).get_data(as_text=True)
    assert 'href="/modules/python-zh-cn"' in filtered
    # Other languages of the group are reachable from the result ("Also in:"), not results.
    results = re.sub(r'<p class="search-translations".*?</p>', "", filtered, flags=re.S)
    assert 'href="/modules/python"' not in results and 'href="/modules/python-ar"' not in results
    assert 'href="/modules/python" hreflang="en">English</a>' in filtered
    assert 'name="language" value="zh-CN" checked' in filtered
    arabic = client.get("/modules", query_string={"language": "ar"}).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in arabic  # the Arabic hit in the results reads right to left
