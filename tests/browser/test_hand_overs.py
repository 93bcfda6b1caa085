"""Nothing handed over goes nowhere, in a real browser: a remark handed to the head is on the
head's own queue; a resident's online report waits on the desk's dispatch list and the desk is
told; an emergency with a mistyped unit sends its alert at once."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from estate.accounts.models import User
from estate.billing import payments
from estate.frontdesk.models import ServiceItem
from estate.notifications.models import Notification
from estate.properties.models import Resident
from estate.workorders.models import WorkOrder
from tests.browser.steps import sign_in
from tests.factories import PASSWORD


def test_a_remark_handed_to_the_head_is_on_the_heads_queue(
    page: Page, live_server, transactional_db, bsw, issued, cashier, head
):
    payments.receive_payment(
        issued["3-1201"], amount=Decimal("100.00"), method="cash", by=cashier,
        remark="樓道燈壞了很久沒人修",
    )  # fmt: skip
    base = live_server.url
    sign_in(page, base, "cashier")
    page.goto(f"{base}/billing/remarks/?office={bsw.pk}")
    page.get_by_role("button", name="轉交主任").click()
    page.wait_for_load_state("networkidle")
    order = WorkOrder.objects.get()

    sign_in(page, base, "head")
    page.goto(f"{base}/orders/?mine=true")
    expect(page.get_by_role("link", name=order.number)).to_be_visible()
    page.goto(f"{base}/notifications/")
    expect(page.get_by_test_id("inbox")).to_contain_text(order.number)


def test_an_online_report_waits_on_the_desks_dispatch_list(
    page: Page, live_server, transactional_db, bsw, reception, repair_team
):
    chen = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=chen)
    ServiceItem.objects.create(
        office=bsw, name="水龍頭維修", kind="repair", procedure="上門檢查", fee_kind="free",
        service_unit=repair_team,
    )  # fmt: skip
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/portal/sign-in/")
    page.locator("[name=phone]").fill("13812341234")
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("sign-in-password").click()
    page.get_by_test_id("report").click()
    page.locator("[name=service_item]").select_option(label="水龍頭維修")
    page.locator("[name=unit]").select_option(label="3-1202")
    page.locator("[name=description]").fill("廚房水龍頭一直滴水")
    with page.expect_navigation():
        page.get_by_test_id("send-report").click()
    order = WorkOrder.objects.get()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "reception")
    page.goto(f"{base}/desk/")
    expect(page.get_by_test_id("to-dispatch")).to_contain_text(order.number)
    expect(page.get_by_test_id("notifications")).to_contain_text("1")
    assert Notification.objects.filter(recipient=reception, kind="online_request").exists()


def test_an_emergency_with_a_mistyped_unit_sends_its_alert(
    page: Page, live_server, transactional_db, bsw, reception, head, repair_team, worker
):
    repair_team.duty_officers.set([worker])
    base = live_server.url
    sign_in(page, base, "reception")
    page.goto(f"{base}/desk/")
    page.get_by_test_id("emergency").click()
    page.locator("select[name=category]").select_option("fire")
    page.locator("input[name=unit]").fill("3-12O2")
    page.locator("textarea[name=description]").fill("廚房起火，有煙")
    page.get_by_label("維修班").check()
    page.get_by_test_id("open-emergency").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("responders").locator("[data-person=worker]")).to_be_visible()
    expect(page.locator(".alert-warning")).to_contain_text("3-12O2")
    assert Notification.objects.filter(kind="emergency", recipient=worker).exists()
    assert Notification.objects.filter(kind="emergency", recipient=head).exists()
