"""Civil language in a real browser: a rude reply is stopped with the span marked, and a
recommended phrase put in its place is sent."""

from playwright.sync_api import Page, expect

from estate.workorders import actions
from estate.workorders.models import Reply
from tests.browser.steps import open_action, sign_in


def test_a_forbidden_reply_is_blocked_and_a_suggested_phrase_sent(
    page: Page, live_server, transactional_db, bsw, reception, worker, repair_team
):
    order = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="repair", description="廚房水管漏水",
        location="3棟大堂", service_unit=repair_team, assignee=worker,
    )  # fmt: skip
    actions.accept(order, by=worker, channel="desk")
    actions.complete(order, work_done="更換接頭", by=worker, channel="desk")

    base = live_server.url
    sign_in(page, base, "reception")
    page.goto(f"{base}/orders/{order.pk}/")
    open_action(page, "reply")
    page.locator("[name='reply-reply_channel']").select_option(label="電話告知")
    box = page.locator("[name='reply-text']")
    box.fill("急什麼，等一下")
    # The check as she types marks the span before anything is sent.
    expect(page.get_by_test_id("forbidden-span")).to_have_text("急什麼，等一下")
    with page.expect_navigation():
        page.get_by_test_id("submit-reply").click()
    # Sent anyway: refused by the server, the text kept and the span marked.
    expect(page.locator(".invalid-feedback[data-field='text']")).to_contain_text("急什麼，等一下")
    expect(page.get_by_test_id("forbidden-span")).to_have_text("急什麼，等一下")
    assert not Reply.objects.exists()

    page.get_by_test_id("suggestion").first.click()
    expect(page.locator("[name='reply-text']")).to_have_value("請稍候，我先辦完這件事再給您辦。")
    expect(page.get_by_test_id("forbidden-span")).to_have_count(0)
    page.locator("[name='reply-text']").press("End")
    page.locator("[name='reply-text']").type("水管已修好。")
    with page.expect_navigation():
        page.get_by_test_id("submit-reply").click()
    expect(page.get_by_test_id("order-status")).to_contain_text("已回覆")
    assert Reply.objects.get().text == "請稍候，我先辦完這件事再給您辦。水管已修好。"


def test_a_phrase_is_inserted_from_the_picker_with_the_keyboard(
    page: Page, live_server, transactional_db, bsw, reception, worker, repair_team
):
    order = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="repair", description="門鎖壞了",
        location="5棟大堂", service_unit=repair_team, assignee=worker,
    )  # fmt: skip
    base = live_server.url
    sign_in(page, base, "reception")
    page.goto(f"{base}/orders/{order.pk}/")
    open_action(page, "update_requester")
    box = page.locator("[name='update_requester-text']")
    box.fill("師傅明天上午到。")
    box.press("End")  # the caret after what she wrote
    box.press("Alt+p")
    picker = page.get_by_test_id("phrase-picker-text").locator("visible=true")
    expect(picker).to_be_focused()
    picker.select_option("謝謝您的來電，再見！")
    expect(box).to_have_value("師傅明天上午到。謝謝您的來電，再見！")
