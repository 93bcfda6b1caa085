"""The head opens the dashboard, sees a missed target in red and follows it to the orders."""

from playwright.sync_api import Page, expect

from estate.timerules.models import Clock
from tests.browser.steps import sign_in

RED = "rgb(220, 53, 69)"  # Bootstrap's danger


def test_head_follows_a_missed_target_to_its_orders(
    page: Page,
    live_server,
    transactional_db,
    november,
    head,
):
    late = Clock.objects.get(rule="complaint_dispatch", state="breached").work_order
    base = live_server.url
    sign_in(page, base, "head")
    page.goto(f"{base}/reports/?period=2026-11")
    row = page.locator("tr[data-measure=complaint_dispatch]")
    missed = row.get_by_test_id("mark-missed")
    expect(missed).to_be_visible()
    expect(missed).to_have_css("background-color", RED)
    expect(row).to_contain_text("50.0%")
    expect(page.locator("#trend-chart canvas")).to_be_visible()  # ECharts drew the trend
    expect(page.get_by_test_id("trend-measure")).not_to_have_value("")

    with page.expect_navigation():
        missed.click()
    table = page.get_by_test_id("drill")
    first = table.locator("tbody tr").first
    expect(first).to_contain_text(late.number)
    expect(first.locator("td[data-missed]")).to_have_css("color", RED)

    first.locator("input[name=reason]").fill("接待員正處理急症")
    with page.expect_navigation():
        first.get_by_role("button").click()
    expect(table.locator("tbody tr").first.locator("input[name=reason]")).to_have_value(
        "接待員正處理急症"
    )
    with page.expect_navigation():
        table.get_by_role("link", name=late.number).click()
    expect(page.get_by_test_id("order-number")).to_contain_text(late.number)
