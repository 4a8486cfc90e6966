"""The search-driven catalog page: form, results, facets, status, odd input and queries."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnpath import search
from learnpath.extensions import db
from learnpath.modules import authoring
from learnpath.skills import services as skills

SKILLS = """
- slug: giving-feedback
  name: {nl: Feedback geven, en: Giving feedback}
- slug: coaching
  name: {nl: Coachen, en: Coaching}
"""


def source(title, body="Some text.", language="en", duration=5, level="beginner",
           skill_slugs=()):
    return (f"---\ntitle: {title}\nsummary: About {title.lower()}.\nlanguage: {language}\n"
            f"duration: {duration}\nlevel: {level}\nskills: [{', '.join(skill_slugs)}]\n---\n\n"
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


def page(client, **params):
    response = client.get("/modules", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_catalog_page_has_a_labelled_search_box_and_lists_everything(client, login_as,
                                                                         publish):
    login_as()
    publish("a", "Giving feedback", skill_slugs=["giving-feedback"])
    publish("b", "Coaching questions", language="nl", skill_slugs=["coaching"])
    html = page(client)
    assert re.search(r'<label for="catalog-q">Search the catalog</label>', html)
    assert 'name="q"' in html and 'aria-labelledby="catalog-heading"' in html
    assert "Giving feedback" in html and "Coaching questions" in html
    assert "2 modules" in html


def test_results_show_highlights_duration_level_skills_and_done(client, login_as, publish):
    login_as()
    publish("a", "Giving feedback", "Feedback that lands.", duration=4, level="intermediate",
            skill_slugs=["giving-feedback", "coaching"])
    publish("b", "Planning", "Plan the week.")
    client.post("/modules/a/complete")
    html = page(client, q="feedback")
    assert "<mark>feedback</mark>" in html.lower()
    assert "4 minutes" in html and "Intermediate" in html
    assert "Giving feedback" in html and "Coaching" in html  # skill names
    assert "Done" in html
    assert "Planning" not in html


def test_skill_names_follow_the_interface_language(client, login_as, publish):
    login_as(locale="nl")
    publish("a", "Giving feedback", skill_slugs=["coaching"])
    assert "Coachen" in page(client)


def test_facets_are_links_or_checkboxes_in_a_get_form_and_combine(client, login_as, publish):
    login_as()
    publish("a", "Feedback one", duration=4, skill_slugs=["giving-feedback"])
    publish("b", "Feedback two", language="nl", duration=12, skill_slugs=["coaching"])
    html = page(client, q="feedback")
    assert 'type="checkbox" name="skill" value="coaching"' in html
    assert 'type="radio" name="duration" value="5"' in html
    filtered = page(client, q="feedback", skill="coaching", language="nl")
    assert 'href="/modules/b"' in filtered and 'href="/modules/a"' not in filtered
    assert 'value="coaching" checked' in filtered
    assert "1 module" in filtered


def test_sorting_pagination_and_did_you_mean_links_keep_the_search(client, login_as, publish):
    login_as()
    for number in range(23):
        publish(f"m{number}", f"Psychology module {number}")
    html = page(client, q="psychology", sort="newest")
    assert 'rel="next"' in html
    assert "sort=newest" in html and "page=2" in html
    second = page(client, q="psychology", sort="newest", page="2")
    assert "Page 2 of 2" in second
    # Changed on purpose (issue 18): a typo shows the corrected results at once, with a link
    # back to the literal search, which offers the correction as "Did you mean".
    corrected = page(client, q="psycholgy")
    assert "Showing results for" in corrected and ">psychology</a>" in corrected
    assert "literal=1" in corrected and "</mark> module 9" in corrected
    literal = page(client, q="psycholgy", literal="1")
    assert "Did you mean" in literal and ">psychology</a>" in literal


def test_modules_of_my_active_paths_are_marked_in_the_catalog(client, login_as, make_user,
                                                              publish):
    from learnpath.extensions import db
    from learnpath.paths import enrolments
    from learnpath.paths.catalog import import_path_text

    user = login_as()
    publish("a", "Giving feedback")
    publish("b", "Running meetings")
    import_path_text("title: Feedback path\nsteps:\n  - {module: a}\n", "paths/fb.yml")
    db.session.commit()
    assert "In one of your paths" not in page(client)
    enrolments.enrol(make_user(), enrolments.get_path("fb"))  # someone else's path: no mark
    db.session.commit()
    assert "In one of your paths" not in page(client)
    enrolments.enrol(user, enrolments.get_path("fb"))
    db.session.commit()
    html = page(client)
    assert html.count("In one of your paths") == 1
    assert html.index("Giving feedback") < html.index("In one of your paths")


ODD = ["", "*", '"', "AND", "OR OR", "(((", "title:", "😀", "\u202eabc", "שלום עולם",
       "<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000, "%", "\\", "-", "feedback*"]


def test_odd_queries_render_a_normal_page_with_the_query_escaped(client, login_as, publish):
    login_as()
    publish("a", "Giving feedback", "Use <b>care</b> &amp; <i>tact</i>.")
    for text in ODD:
        html = page(client, q=text, sort="bogus", page="-3", skill="<x>", level="nope",
                    duration="99", language="xx")
        assert "<script>alert" not in html
        assert "Traceback" not in html
    for params in ({"q": "\x00"}, {"language": "\x00"}, {"q": "a\x1bb"}):
        response = client.get("/modules", query_string=params)  # learnpath/text_input.py
        assert response.status_code == 400 and "control characters" in response.get_data(
            as_text=True)
    html = page(client, q="<script>alert(1)</script> feedback")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; feedback" in html


def test_the_partial_response_is_just_the_results_region(client, login_as, publish):
    login_as()
    publish("a", "Giving feedback")
    html = page(client, q="feed", partial="1")
    assert html.lstrip().startswith("{#") is False
    assert 'id="search-region"' in html and "<html" not in html
    assert "<mark>" in html


def test_page_queries_do_not_grow_with_results(client, login_as, publish, queries):
    login_as()
    for number in range(3):
        publish(f"a{number}", f"Feedback {number}", skill_slugs=["coaching"])
    page(client, q="feedback")
    with queries() as small:
        page(client, q="feedback")
    for number in range(3, 15):
        publish(f"a{number}", f"Feedback {number}", skill_slugs=["giving-feedback"])
    page(client, q="feedback")
    with queries() as large:
        page(client, q="feedback")
    assert len(large) == len(small)
    assert len(large) <= 10


def test_the_catalog_needs_sign_in(client):
    assert client.get("/modules?q=feedback").status_code == 302


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), sort=st.text(max_size=10),
       page_number=st.integers(min_value=-5, max_value=10_000),
       skill=st.lists(st.text(max_size=30), max_size=3))
def test_any_input_gives_a_result_object(publish_once, text, sort, page_number, skill):
    result = search.search(text, filters={"skill": skill, "duration": [text[:3]]}, sort=sort,
                           page=page_number)
    assert isinstance(result, search.SearchResult)
    assert 1 <= result.page <= result.pages
    for hit in result.hits:
        assert "<script" not in str(hit.snippet) + str(hit.title) + str(hit.summary)


@pytest.fixture
def publish_once(publish):
    publish("a", "Giving feedback", "Use <script>care</script> and tact.")
    publish("b", "Feedback geven", "Met zorg en tact.", language="nl")
