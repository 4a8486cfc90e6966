"""A manager answers the team's closed month with an action plan; a team member sees it at home."""

from playwright.sync_api import Page, expect

from learnpath.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_manager_makes_an_action_plan_and_a_member_sees_it(browser, base_url):
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, "manager.cs@example.com")
    page.get_by_role("link", name="Team engagement").click()
    section = page.locator("section.plan-note")
    expect(section).to_contain_text("are in.")
    section.get_by_role("button", name="Make an action plan").click()
    expect(page.get_by_role("heading", name="Action plan for Customer Success")).to_be_visible()

    page.get_by_role("link", name="Recognition").click()
    expect(page.get_by_role("heading", name="2. Choose one or two actions for Recognition")) \
        .to_be_visible()
    expect(page.get_by_role("link", name="Recognising good work")).to_be_visible()

    # Nothing chosen: the error sits beside the actions, nothing is stored.
    page.get_by_role("button", name="Make the plan").click()
    expect(page.get_by_text("Choose one or two actions, or write your own.")).to_be_visible()

    # Three actions: refused beside the actions, with what was typed kept.
    page.get_by_label("A weekly thank-you round").check()
    page.get_by_label("Your own action").fill("Start the Monday stand-up with one thank-you")
    page.get_by_label("A second action of your own (optional)").fill("Kudos after each release")
    page.get_by_role("button", name="Make the plan").click()
    expect(page.get_by_text("Choose at most two actions")).to_be_visible()
    expect(page.get_by_label("Your own action")).to_have_value(
        "Start the Monday stand-up with one thank-you")
    page.get_by_label("A second action of your own (optional)").fill("")

    expect(page.get_by_label("A weekly thank-you round")).to_be_checked()
    page.get_by_role("button", name="Make the plan").click()
    expect(page.get_by_text("The action plan is made.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("A weekly thank-you round")
    expect(page.get_by_role("button", name="Make the plan")).to_have_count(0)

    member = browser.new_context(base_url=base_url).new_page()
    sign_in(member, "sophie.bos@example.com")
    plan = member.locator("article.plan-note")
    expect(plan.get_by_role("heading", name="What Customer Success is working on")) \
        .to_be_visible()
    expect(plan).to_contain_text("A weekly thank-you round")
    expect(plan).to_contain_text("Start the Monday stand-up with one thank-you")
    expect(plan.get_by_role("link", name="Recognising good work")).to_be_visible()
