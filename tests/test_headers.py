"""What every answer tells the browser: a strict Content-Security-Policy, no framing, no referrer
to other sites, no copies of pages with personal data; redirects stay on the site; exported
spreadsheets never carry a live formula."""

import csv
import io
import re
from pathlib import Path

from django.urls import reverse

from estate.core.tables import read_table, write_csv

TEMPLATES = Path(__file__).resolve().parent.parent / "estate" / "templates"


def test_every_page_carries_a_strict_policy(client, reception):
    for url in ("/accounts/login/", "/portal/sign-in/"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    client.force_login(reception)
    answer = client.get(reverse("core:home"))
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_needs_inline_script_or_style():
    """The policy allows none, so none may be written: no <script> without src, no <style>, no
    style= or on…= attribute, no htmx js: expression."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style\b",
            r"\sstyle=\"",
            r"\son[a-z]+=\"",
            r"js:",
        ):
            found += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, text)
            ]
    assert found == []


def test_pages_for_the_signed_in_are_never_kept(client, reception, leaking_pipe):
    client.force_login(reception)
    for url in (
        reverse("core:home"),
        reverse("workorders:detail", args=[leaking_pipe.pk]),
        reverse("workorders:print", args=[leaking_pipe.pk]),
        "/api/v1/work-orders/",
    ):
        assert "no-store" in client.get(url).headers["Cache-Control"], url


def test_the_delivery_form_returns_only_to_a_page_of_this_site(client, bsw, issued, cashier):
    from estate.billing.models import BillRun

    run = BillRun.objects.get()
    client.force_login(cashier)
    url = reverse("billing:deliver", args=[run.pk])
    away = client.post(url, {"statement": [], "next": "https://evil.example/phish"})
    assert away["Location"] == reverse("billing:run_detail", args=[run.pk])
    sneaky = client.post(url, {"statement": [], "next": "//evil.example/"})
    assert sneaky["Location"] == reverse("billing:run_detail", args=[run.pk])
    here = client.post(url, {"statement": [], "next": "/billing/?quarter=2026Q4"})
    assert here["Location"] == "/billing/?quarter=2026Q4"


def test_csv_exports_carry_no_live_formula_and_import_back_unchanged():
    rows = [
        ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "\tx"],
        ["+8613812341234", "-5.00", "3-1202", "陳美玲", ""],
    ]
    written = list(csv.reader(io.StringIO(write_csv(rows).decode("utf-8-sig"))))
    assert [cell[:1] for cell in written[0]] == ["'"] * 5  # shown as text by Excel and WPS
    assert written[1] == rows[1]  # numbers and plain text stay as they are
    assert read_table("back.csv", write_csv(rows)) == rows
