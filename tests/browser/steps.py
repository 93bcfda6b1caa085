"""Steps a person takes in the browser, shared by the browser tests."""

import re

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def open_action(page: Page, action: str) -> None:
    """Unfold an action's form; the page may show it unfolded already (a click would fold it)."""
    button = page.get_by_test_id(f"action-{action}")
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    # Bootstrap animates the fold: fields are filled once it has settled.
    expect(page.locator(f"#act-{action}")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator(f"#act-{action}.collapsing")).to_have_count(0)


def do(
    page: Page,
    action: str,
    fields: dict[str, str] | None = None,
    selects: dict[str, str] | None = None,
) -> None:
    open_action(page, action)
    for name, value in (fields or {}).items():
        page.locator(f"[name='{action}-{name}']").fill(value)
    for name, label in (selects or {}).items():
        page.locator(f"[name='{action}-{name}']").select_option(label=label)
    # Wait for the page the form leads to, not for the one the click was made on.
    with page.expect_navigation():
        page.get_by_test_id(f"submit-{action}").click()
