"""A person who never saw our Markdown makes a module in the form editor: a starter, two
questions from the builder, an image, a preview on a phone, publish, then the Markdown view
and back."""

import re

from PIL import Image
from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _png(path):
    Image.new("RGB", (40, 20), (20, 120, 60)).save(path, "PNG")
    return path


def test_author_builds_and_publishes_a_module_with_the_form_editor(page: Page, tmp_path):
    sign_in(page, "author@example.com")
    page.goto("/author/")
    page.get_by_role("link", name="New module").first.click()
    expect(page).to_have_url(re.compile(r"/author/write$"))
    page.get_by_label("A concept in 5 minutes").check()
    page.get_by_label("Title").fill("Saying No!")
    page.get_by_label("Language of the module").select_option("en")
    page.get_by_label("Address (slug)").fill("Saying No!")
    page.get_by_role("button", name="Create and start writing").click()
    expect(page).to_have_url(re.compile(r"/author/saying-no/write$"))
    expect(page.get_by_text("became 'saying-no'")).to_be_visible()

    # The starter's question is replaced with two of our own from the builder.
    page.get_by_role("button", name="Remove question 1").click()
    page.get_by_role("button", name="Add a single-choice question").click()
    card = page.locator("#question-0")
    card.get_by_label("Question", exact=True).fill("What do you say first?")
    card.get_by_label("Answer 1", exact=True).fill("What I can do instead")
    card.get_by_label("Feedback on answer 1").fill("Yes: an alternative keeps the door open.")
    card.get_by_label("Answer 2", exact=True).fill("Sorry, sorry, sorry")
    card.locator("#q-0-correct-0").check()
    page.get_by_role("button", name="Add a fill-in-the-blank question").click()
    page.locator("#question-1").get_by_label("Sentence with the blank").fill(
        "A clear no is kinder than a vague [[maybe]].")

    # An image through the toolbar-free form (works without JavaScript too).
    page.get_by_label("Image file").set_input_files(_png(tmp_path / "chart.png"))
    page.get_by_label("Describe the image").fill("A green chart")
    page.get_by_role("button", name="Upload and insert").click()
    expect(page.get_by_text("The image is added at the end of the text")).to_be_visible()

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    # On a phone, the preview is a tab.
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("tab", name="Preview").click()
    preview = page.locator("#preview-body")
    expect(preview.get_by_text("What do you say first?")).to_be_visible()
    expect(preview.locator("img[alt='A green chart']")).to_be_visible()
    expect(page.locator("#writer-estimate")).to_contain_text("minute")
    page.get_by_role("tab", name="Write").click()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()

    # The Markdown underneath is plain mkdocs-quiz, and it comes back into the builder.
    page.get_by_role("link", name="Edit as Markdown").click()
    source = page.get_by_label("Text (Markdown)")
    expect(source).to_have_value(re.compile(r"- \[x\] What I can do instead\n> Yes: an "))
    expect(source).to_have_value(re.compile(r"\[\[maybe\]\]"))
    expect(source).to_have_value(re.compile(r"!\[A green chart\]\(/module-assets/\d+/chart\.png\)"))
    page.get_by_role("link", name="Back to the form editor").click()
    expect(page.locator("#q-0-opt-0-text")).to_have_value("What I can do instead")
    expect(page.locator("#q-1-prompt")).to_have_value(
        "A clear no is kinder than a vague [[maybe]].")

    page.goto("/modules/saying-no")
    expect(page.locator("img[alt='A green chart']")).to_be_visible()
