"""An employee answers the weekly pulse and gives kudos; the colleague sees them at home."""

from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_employee_answers_the_pulse_and_gives_kudos(browser, base_url):
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, "emma.smit@example.com")
    page.get_by_label("4 Good").check()
    page.locator("form:has(input[value=energy])").get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you! You can change your answer")).to_be_visible()
    expect(page.get_by_label("4 Good")).to_be_checked()

    page.get_by_role("link", name="Kudos").click()
    page.get_by_label("Colleague").select_option(label="Noah Meijer")
    page.get_by_label("Message").fill("Thanks for pairing on the release notes!")
    page.get_by_role("button", name="Send kudos").click()
    expect(page.get_by_text("Kudos sent to Noah Meijer.")).to_be_visible()
    expect(page.locator(".wall")).to_contain_text("Thanks for pairing on the release notes!")

    colleague = browser.new_context(base_url=base_url).new_page()
    sign_in(colleague, "noah.meijer@example.com")
    expect(colleague.get_by_role("heading", name="You received kudos")).to_be_visible()
    expect(colleague.locator("main")).to_contain_text("Emma Smit")
    colleague.get_by_role("button", name="Got it").click()
    expect(colleague.get_by_role("heading", name="You received kudos")).to_have_count(0)
