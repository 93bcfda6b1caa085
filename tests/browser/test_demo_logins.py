"""Every demo login works in a real browser, in all three languages, and shows only its own office."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

PASSWORD = "estate-demo-2026"
BSW = "碧水灣管理處"
CAMPUS = "後勤管理處客戶服務中心"


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("seed_demo", verbosity=0)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def switch_language(page: Page, code: str) -> None:
    page.locator(f'[data-testid="language-switcher"] button[value="{code}"]').click()
    page.wait_for_load_state("networkidle")


def test_reception_sees_bsw_units_and_switches_languages(page: Page, live_server, demo):
    sign_in(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/registry/units/?q=3-1202")
    table = page.get_by_test_id("unit-table")
    expect(table).to_contain_text("3-1202")
    expect(table).to_contain_text(BSW)
    expect(page.locator("h1")).to_have_text("單元")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    switch_language(page, "zh-hans")
    expect(page.locator("h1")).to_have_text("单元")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("unit-table")).to_contain_text("3-1202")

    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Units")
    expect(page.get_by_role("columnheader", name="Address")).to_be_visible()

    switch_language(page, "zh-hant")
    expect(page.locator("h1")).to_have_text("單元")


def test_search_as_you_type_filters_the_list(page: Page, live_server, demo):
    sign_in(page, live_server.url, "reception")
    page.goto(f"{live_server.url}/registry/units/")
    page.get_by_role("searchbox").fill("3-120")
    expect(page.get_by_test_id("unit-table").locator("tbody tr").first).to_contain_text("3-120")
    expect(page).to_have_url(re.compile(r"q=3-120"))


STAFF = {
    "reception": BSW,
    "manager": BSW,
    "head": BSW,
    "repair_lead": BSW,
    "clean_lead": BSW,
    "worker": BSW,
    "cashier": BSW,
    "campus_desk": CAMPUS,
}
FIELD = {"repair_lead", "clean_lead", "worker"}


def test_every_demo_login_in_every_language_sees_only_its_office(page: Page, live_server, demo):
    for username, office in STAFF.items():
        page.context.clear_cookies()
        sign_in(page, live_server.url, username)
        if username in FIELD:
            expect(page).to_have_url(re.compile(r"/orders/jobs/$"))  # they land on their jobs
        page.goto(f"{live_server.url}/?overview=1")
        for language in ("zh-hant", "zh-hans", "en"):
            switch_language(page, language)
            cards = page.get_by_test_id("office-card")
            expect(cards).to_have_count(1)
            # Office names are data, shown as stored, whatever the UI language.
            expect(cards.first).to_contain_text(office)

    for username in ("leader", "admin"):
        page.context.clear_cookies()
        sign_in(page, live_server.url, username)
        for language in ("zh-hant", "zh-hans", "en"):
            switch_language(page, language)
            expect(page.get_by_test_id("office-card")).to_have_count(2)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "resident")
    for language in ("zh-hant", "zh-hans", "en"):
        switch_language(page, language)
        expect(page.get_by_test_id("my-household")).to_contain_text("3-1202")
    assert "/portal/" in page.url
