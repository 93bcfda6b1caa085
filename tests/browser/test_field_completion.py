"""The worker finishing a job on a phone (360 px wide, a finger): the materials used are added
from the office's list, and the requester signs on the screen before the job is completed."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from estate.workorders import actions, signatures
from estate.workorders.models import Material, MaterialUse
from tests.browser.steps import open_action, sign_in


def finger_stroke(page: Page, points: list[tuple[float, float]]) -> None:
    """Draw with one finger: touch events through Chrome's DevTools protocol, which the page
    receives as pointer events of type "touch", as from a phone's screen."""
    cdp = page.context.new_cdp_session(page)
    first, *rest = points
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [dict(x=first[0], y=first[1])]},
    )
    for x, y in rest:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [dict(x=x, y=y)]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_materials_and_the_signature_from_a_phone(
    browser, live_server, transactional_db, bsw, worker, leaking_pipe
):
    Material.objects.create(office=bsw, name="水管接頭", unit="個", unit_price=Decimal("12.50"))
    order = actions.start(
        actions.accept(leaking_pipe, by=worker, channel="field"), by=worker, channel="field"
    )
    context = browser.new_context(
        locale="zh-TW", viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
    )
    refused: list[str] = []
    context.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "worker")
    page.goto(f"{base}/orders/{order.pk}/")

    page.locator("select[name='material-material']").select_option(label="水管接頭 (個)")
    page.locator("input[name='material-quantity']").fill("2")
    with page.expect_navigation():
        page.get_by_test_id("add-material").click()
    expect(page.get_by_test_id("material-line")).to_contain_text("水管接頭")
    assert MaterialUse.objects.get().quantity == Decimal("2")

    open_action(page, "complete")
    page.locator("[name='complete-work_done']").fill("更換水管接頭")
    pad = page.get_by_test_id("signature-pad").locator("canvas")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    assert box["width"] > 250
    left, top = box["x"] + 20, box["y"] + box["height"] / 2
    finger_stroke(page, [(left + i * 10, top + (i % 4) * 6 - 9) for i in range(25)])
    signed = page.locator("[name='complete-signature']").input_value()
    assert signed.startswith("data:image/png;base64,")
    page.get_by_role("button", name="清除").click()
    assert page.locator("[name='complete-signature']").input_value() == ""
    finger_stroke(page, [(left + i * 10, top - (i % 3) * 8) for i in range(20)])
    with page.expect_navigation():
        page.get_by_test_id("submit-complete").click()
    expect(page.get_by_test_id("order-status")).to_contain_text("已完成")
    expect(page.get_by_test_id("signature").locator("img")).to_be_visible()
    assert signatures.signature_of(order) is not None
    assert refused == []
    context.close()
