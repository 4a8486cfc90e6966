"""Signing in for the browser tests, at phone size by default (375 x 740)."""

from playwright.sync_api import Browser, Page, expect

from learnpath.demo import DEMO_PASSWORD

PHONE = {"width": 375, "height": 740}


def signed_in_page(browser: Browser, base_url: str, email: str, *, javascript: bool = True,
                   viewport=None, width: int | None = None) -> Page:
    """A new context signed in as `email` (demo password), on the home page."""
    if viewport is None:
        viewport = {**PHONE, "width": width} if width else PHONE
    context = browser.new_context(base_url=base_url, viewport=viewport,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.wait_for_load_state("load")  # style sheets too: tests measure boxes and widths
    return page


def assert_fits(page: Page, width: int = PHONE["width"]) -> None:
    """No sideways scrolling at `width`, measured once the page and its style sheets have loaded
    (measured earlier, an unstyled page can be wider than the styled one), naming what sticks out
    when it fails."""
    page.wait_for_load_state("load")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(
            "w => [...document.querySelectorAll('body *')].filter(e => "
            "e.getBoundingClientRect().right > w + 5).map(e => e.tagName + '.' + e.className + "
            "': ' + (e.textContent || '').trim().slice(0, 40)).slice(0, 5)", width)
        raise AssertionError(f"{page.url} is {scroll} px wide at {width} px: {wide}")
