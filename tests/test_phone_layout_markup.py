"""Phone layout in the HTML (issue 19): the menu is a details element, wide tables are
focusable named regions; the browser tests in tests/e2e/test_phone_layout.py measure them."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "learnpath" / "templates"


def test_navigation_sits_in_a_menu_button_that_needs_no_javascript(client, login_as):
    login_as("employee")
    html = client.get("/").get_data(as_text=True)
    nav = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    menu = nav.split('<details class="nav-menu">')[1].split("</details>")[0]
    assert "<summary>Menu</summary>" in menu
    assert 'href="/modules' in menu and "Sign out" in menu


def test_every_table_wrapper_is_a_named_focusable_region():
    wrappers = []
    for path in TEMPLATES.rglob("*.html"):
        wrappers += re.findall(r'<div class="table-wrap"[^>]*>', path.read_text())
    assert len(wrappers) > 15
    for tag in wrappers:
        assert 'tabindex="0"' in tag and 'role="region"' in tag and "aria-label=" in tag, tag


def test_chart_tables_are_named_focusable_regions_too(app):
    from learnpath.engagement import charts

    with app.test_request_context():
        html = str(charts.bar_chart("b", [("A", 10, "engaged")], title="t", description="d",
                                    label_name="l", value_name="v", missing="-"))
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="' in html


def test_the_filter_drawer_counts_active_filters_in_dutch(client, login_as, app):
    login_as("employee")
    client.post("/language", data={"locale": "nl", "next": "/"})
    html = client.get("/modules?language=nl").get_data(as_text=True)
    if "filter-drawer" not in html:  # no module in this test database: no facets at all
        from learnpath.modules.importer import import_paths
        from tests.e2e.conftest import CONTENT
        with app.app_context():
            assert import_paths([CONTENT], content_root=CONTENT).ok
        html = client.get("/modules?language=nl").get_data(as_text=True)
    assert '<details class="filter-drawer">' in html
    assert "<summary>Filters (1 actief)</summary>" in html


def test_stacked_tables_become_cards_on_phones():
    css = (TEMPLATES.parent / "static" / "css" / "app.css").read_text()
    block = css[css.index("@media (max-width: 600px) {\n  table.stack-table"):]
    assert "table.stack-table tr, table.stack-table td { display: block" in block
    assert "td[data-label]::before { content: attr(data-label)" in block


def test_page_titles_shrink_on_phones_so_dutch_compounds_fit():
    css = (TEMPLATES.parent / "static" / "css" / "app.css").read_text()
    assert "h1 { font-size: 1.65rem; hyphens: auto; overflow-wrap: break-word; }" in css
