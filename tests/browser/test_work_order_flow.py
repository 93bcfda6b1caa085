"""A day at the desk in a real browser: a call becomes an order that is dispatched, done, replied to and closed."""

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import do, sign_in


def test_call_to_closed_order(
    page: Page, live_server, transactional_db, bsw, reception, repair_lead, worker, repair_team
):
    base = live_server.url
    sign_in(page, base, "reception")
    page.goto(f"{base}/desk/")
    page.get_by_test_id("requester-search").fill("3-1202")
    page.get_by_test_id("choose-3-1202").click()
    page.locator("textarea[name=intent]").fill("廚房水管漏水")
    page.locator("input[name=outcome][value=work_order]").check()
    page.locator("select[name='order-service_unit']").select_option(label="維修班")
    page.get_by_test_id("log-contact").click()
    page.wait_for_load_state("networkidle")
    # The message names the new order (the desk's list below links it too).
    page.get_by_role("alert").get_by_role("link", name=re.compile(r"BSW-\d{8}-0001")).click()
    expect(page.get_by_test_id("order-status")).to_contain_text("已派單")
    order_url = page.url

    sign_in(page, base, "repair_lead")
    page.goto(order_url)
    do(page, "assign", selects={"assignee": "worker"})

    sign_in(page, base, "worker")
    page.goto(order_url)
    do(page, "accept")
    do(page, "start")
    do(page, "complete", fields={"work_done": "更換廚房水管接頭", "materials_used": "接頭一個"})
    expect(page.get_by_test_id("order-status")).to_contain_text("已完成")

    sign_in(page, base, "reception")
    page.goto(order_url)
    do(
        page,
        "reply",
        fields={"text": "水管已修好，請您查看"},
        selects={"reply_channel": "電話告知"},
    )
    do(page, "close")
    expect(page.get_by_test_id("order-status")).to_contain_text("已關閉")

    steps = page.get_by_test_id("timeline").locator("li")
    expect(steps).to_have_count(8)
    actions = [steps.nth(i).get_attribute("data-action") for i in range(8)]
    assert actions == [
        "open",
        "dispatch",
        "assign",
        "accept",
        "start",
        "complete",
        "reply",
        "close",
    ]
    expect(steps.nth(2)).to_contain_text("worker")
    expect(steps.nth(5)).to_contain_text("更換廚房水管接頭")
