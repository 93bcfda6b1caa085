"""A return visit in a real browser: a low score reopens the order; the suggestion waits for an answer."""

from playwright.sync_api import Page, expect

from estate.accounts.roles import Role
from estate.visits.models import ReturnVisit
from estate.workorders import actions
from tests.browser.steps import sign_in
from tests.factories import staff


def test_low_score_reopens_and_suggestion_is_answered(
    page: Page, live_server, transactional_db, bsw, reception, worker, repair_team
):
    staff("manager", Role.MANAGER, bsw)
    order = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="repair", description="衛生間漏水", location="3棟大堂",
        service_unit=repair_team, assignee=worker,
    )  # fmt: skip
    actions.accept(order, by=worker, channel="desk")
    actions.complete(order, work_done="更換密封圈", by=worker, channel="desk")
    visit = ReturnVisit.objects.get(work_order=order)

    base = live_server.url
    sign_in(page, base, "reception")
    page.goto(f"{base}/visits/")
    page.get_by_test_id(f"record-{visit.pk}").click()
    page.locator("select[name=score]").select_option("2")
    page.locator("textarea[name=suggestions]").fill("希望維修師傅上門前先打電話")
    page.get_by_test_id("save-visit").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/orders/{order.pk}/")
    expect(page.get_by_test_id("order-status")).to_contain_text("重新打開")

    sign_in(page, base, "manager")
    page.goto(f"{base}/visits/items/")
    item = page.get_by_test_id("items").locator("[data-item]").first
    expect(item).to_contain_text("希望維修師傅上門前先打電話")
    item.locator("input[name=answer]").fill("已要求維修班上門前電話預約")
    item.locator("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("items")).not_to_contain_text("希望維修師傅上門前先打電話")
    expect(page.get_by_test_id("unanswered-count")).to_have_text("0")
