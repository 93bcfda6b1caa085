"""An emergency in a real browser: opened at the desk, a responder checks in from a phone, leadership approves."""

from playwright.sync_api import Page, expect

from tests.browser.steps import sign_in


def test_emergency_from_desk_to_approved_report(
    page: Page, live_server, transactional_db, bsw, reception, head, leader, repair_team, worker
):
    repair_team.duty_officers.set([worker])
    base = live_server.url
    sign_in(page, base, "reception")
    page.goto(f"{base}/desk/")
    page.get_by_test_id("emergency").click()
    page.locator("select[name=category]").select_option("lift")
    page.locator("input[name=location]").fill("5棟2號電梯")
    page.locator("textarea[name=description]").fill("電梯停在兩層之間，有人被困")
    page.get_by_label("維修班").check()
    page.get_by_test_id("open-emergency").click()
    page.wait_for_load_state("networkidle")
    responders = page.get_by_test_id("responders")
    expect(responders.locator("[data-person=worker]")).to_contain_text("尚未到場")
    expect(responders.locator("[data-person=head]")).to_be_visible()
    emergency_url = page.url

    page.set_viewport_size({"width": 390, "height": 844})  # the responder's phone
    sign_in(page, base, "worker")
    page.goto(emergency_url)
    page.get_by_test_id("check-in").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("responders").locator("[data-person=worker]")).to_contain_text(
        "到場於"
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "reception")
    page.goto(emergency_url)
    page.locator("input[name=occurred_at]").fill("2026-11-26T09:58")
    page.locator("input[name=place]").fill("5棟2號電梯")
    page.locator("textarea[name=what_happened]").fill("電梯故障停在兩層之間，一名住戶被困 12 分鐘")
    page.locator("textarea[name=actions_taken]").fill("維修工到場手動盤車放人")
    page.locator("textarea[name=causes]").fill("門鎖觸點老化")
    page.locator("textarea[name=lessons]").fill("更換觸點，加密巡檢")
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("report-status")).to_contain_text("已提交待審批")

    sign_in(page, base, "leader")
    page.goto(emergency_url)
    page.get_by_test_id("approve-report").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("report-status")).to_contain_text("已批准歸檔")
    expect(page.get_by_role("link", name="歸檔 PDF")).to_be_visible()
