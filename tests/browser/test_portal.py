"""The resident portal at a phone's size: 3-1202 reports a leaking tap with a photo, follows it
through the desk's dispatch and the repair, confirms it and rates it 5; the desk sees the rating
on the order as its return visit."""

from playwright.sync_api import FilePayload, Page, expect

from estate.accounts.models import User
from estate.frontdesk.models import ServiceItem
from estate.properties.models import Resident
from estate.workorders import actions
from estate.workorders.models import WorkOrder
from tests.browser.steps import sign_in
from tests.factories import PASSWORD
from tests.files import picture

PNG = picture("PNG", (64, 48))  # a real image: uploads are checked by their content


def test_resident_reports_follows_confirms_and_rates(
    page: Page,
    live_server,
    transactional_db,
    bsw,
    reception,
    worker,
    repair_team,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    chen = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=chen)
    ServiceItem.objects.create(
        office=bsw, name="水龍頭維修", kind="repair", procedure="上門檢查\n更換", fee_kind="free",
        service_unit=repair_team,
    )  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    page.goto(f"{base}/portal/sign-in/")
    page.locator("[name=phone]").fill("138 1234 1234")
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("sign-in-password").click()
    page.get_by_test_id("text-size").click()  # larger text, kept on this phone
    expect(page.locator("html")).to_have_class("large-text")
    page.get_by_test_id("report").click()
    expect(page.locator("html")).to_have_class("large-text")
    # The form starts on the resident's home; choosing the item shows what to expect (HTMX).
    expect(page.locator("[name=unit] option:checked")).to_have_text("3-1202")
    page.locator("[name=service_item]").select_option(label="水龍頭維修")
    expect(page.get_by_test_id("item-info")).to_contain_text("上門檢查")
    expect(page.get_by_test_id("item-fee")).to_be_visible()
    page.locator("[name=description]").fill("廚房水龍頭一直滴水")
    page.locator("[name=photos]").set_input_files(
        files=[FilePayload(name="tap.png", mimeType="image/png", buffer=PNG)]
    )
    with page.expect_navigation():
        page.get_by_test_id("send-report").click()
    expect(page.get_by_test_id("portal-status")).to_have_text("新建")
    order_url = page.url

    order = WorkOrder.objects.get()
    assert order.attachments.count() == 1
    actions.dispatch(order, service_unit=repair_team, assignee=worker, by=reception, channel="desk")
    page.reload()
    expect(page.get_by_test_id("portal-status")).to_have_text("已派單")
    actions.accept(order, by=worker, channel="desk")
    actions.complete(order, work_done="更換閥芯", by=worker, channel="desk")
    page.reload()
    expect(page.get_by_test_id("portal-status")).to_have_text("已完成")
    expect(page.get_by_test_id("work-done")).to_have_text("更換閥芯")
    with page.expect_navigation():
        page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("confirm")).to_have_count(0)  # once: no second note
    expect(page.get_by_test_id("answered")).to_be_visible()
    page.get_by_test_id("rate-form").locator("input[value='5']").check()
    page.get_by_test_id("rate-form").locator("textarea[name=comment]").fill("師傅很準時")
    with page.expect_navigation():
        page.get_by_test_id("rate").click()
    expect(page.get_by_test_id("rated")).to_contain_text("非常滿意")
    assert page.url == order_url

    sign_in(page, base, "reception")
    page.goto(f"{base}/orders/{order.pk}/")
    expect(page.get_by_test_id("order-visits")).to_contain_text("非常滿意")
    expect(page.get_by_test_id("order-visits")).to_contain_text("師傅很準時")
