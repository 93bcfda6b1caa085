"""A quarter's fees in a real browser: the cashier previews and issues the 2026Q4 run for one
building, opens its PDF, takes a partial payment with a remark and sees the collection rate move."""

from playwright.sync_api import Page, expect

from estate.billing.models import Remark
from tests.billing_fixtures import read
from tests.browser.steps import sign_in


def test_cashier_runs_the_quarter_for_a_building_and_takes_a_payment(
    page: Page, live_server, transactional_db, bsw, fees, cashier
):
    read(fees["meter"], "1000.00", "1500.00")
    base = live_server.url
    sign_in(page, base, "cashier")
    page.goto(f"{base}/billing/?office={bsw.pk}&quarter=2026Q4")
    expect(page.get_by_test_id("collection-today")).to_contain_text("—")  # nothing billed yet
    page.get_by_test_id("new-run").click()
    page.locator("[name=quarter]").fill("2026Q4")
    page.locator("[name=building]").select_option(label="3棟")
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("preview-total")).to_have_text("4,113.75")
    with page.expect_navigation():
        page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("statements").locator("tbody tr")).to_have_count(3)
    run_url = page.url

    pdf_url = page.get_by_test_id("building-pdf").first.get_attribute("href")
    pdf = page.request.get(f"{base}{pdf_url}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.goto(f"{base}/billing/?office={bsw.pk}&quarter=2026Q4")
    expect(page.get_by_test_id("collection-today-amount").first).to_have_text("0.00%")
    page.goto(run_url)
    page.get_by_test_id("statement-3-1202").click()
    page.locator("[name=pay-amount]").fill("443.00")
    page.locator("[name=pay-method]").select_option(label="現金")
    page.locator("[name=pay-remark]").fill("下季度能否按月繳費？")
    with page.expect_navigation():
        page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("owed")).to_have_text("1,000.00")
    expect(page.get_by_test_id("remarks")).to_contain_text("下季度能否按月繳費？")
    assert Remark.objects.get().answered_at is None

    page.goto(f"{base}/billing/?office={bsw.pk}&quarter=2026Q4")
    # 443.00 of 4,113.75 yuan = 10.768…%
    expect(page.get_by_test_id("collection-today-amount").first).to_have_text("10.77%")
