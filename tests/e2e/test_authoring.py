"""An author writes a module in the browser, previews it, publishes it and sees it live."""

import re

from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD

MARKDOWN = """---
title: Running a stand-up in ten minutes
summary: Keep the daily stand-up short and useful.
duration: 4
---

# Running a stand-up in ten minutes

Everyone answers **one** question: what is in your way?

<quiz>
What does a short stand-up focus on?
- [x] What is in the way
- [ ] A full status report

Obstacles are what the team can act on together.
</quiz>
"""


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_author_previews_and_publishes_a_new_module(page: Page):
    sign_in(page, "author@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Authoring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modules")
    page.get_by_role("link", name="New module").first.click()
    page.get_by_role("link", name="Or start from an empty Markdown file").click()

    page.get_by_label("Address (slug)").fill("e2e-stand-up")
    page.get_by_label("Language").select_option("en")
    page.get_by_label("Text (Markdown)").fill(MARKDOWN)
    page.get_by_role("button", name="Preview", exact=True).click()

    preview = page.locator("#preview-body")
    expect(preview.get_by_role("heading", name="Running a stand-up in ten minutes")
           ).to_be_visible()
    expect(preview.get_by_text("What does a short stand-up focus on?")).to_be_visible()
    expect(page.get_by_text("No problems found")).to_be_visible()
    expect(page.get_by_label("Text (Markdown)")).to_have_value(MARKDOWN)

    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(re.compile(r"/author/e2e-stand-up/edit$"))
    expect(page.get_by_text("The module is created as a draft")).to_be_visible()

    # The live preview follows the text without pressing a button.
    source = page.get_by_label("Text (Markdown)")
    source.press("Control+End")
    source.type("\n## Live preview works\n")
    expect(preview.get_by_role("heading", name="Live preview works")).to_be_visible()

    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    expect(page.locator(".tag-published")).to_have_text("Published")
    expect(page.get_by_text("Version 1", exact=True)).to_be_visible()

    page.get_by_role("link", name="Open the learner page").click()
    expect(page).to_have_url(re.compile(r"/modules/e2e-stand-up$"))
    expect(page.get_by_role("heading", name="Live preview works")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
