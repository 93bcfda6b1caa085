"""What pages and paper show people: money and counts with thousands separators (one helper,
one filter; the API keeps plain decimals), and no requirement codes outside tooltips."""

import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from estate.billing.models import Statement
from estate.core.money import grouped
from tests.figures_fixtures import NOW, at


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12345.6"), "12,345.60"),
        (Decimal("1234567.891"), "1,234,567.89"),
        (Decimal("-1234.5"), "-1,234.50"),
        (Decimal("-0.5"), "-0.50"),
        (Decimal("999.99"), "999.99"),
        (Decimal("0"), "0.00"),
        (Decimal("-0.001"), "0.00"),  # never "-0.00"
        (0, "0"),
        (7, "7"),
        (12345, "12,345"),
        (1234567890, "1,234,567,890"),
        (-4000, "-4,000"),
        (None, ""),
        ("", ""),
        ("—", "—"),
    ],
)
def test_money_and_counts_are_grouped_in_thousands(value, shown):
    assert grouped(value) == shown
    template = Template("{% load numbers %}[{{ value|thousands }}]")
    assert template.render(Context({"value": value})) == f"[{shown}]"


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_statement_page_pdf_and_run_show_grouped_amounts_and_the_api_plain_ones(
    client, cashier, issued
):
    client.force_login(cashier)
    statement = Statement.objects.get(unit__address="3-1201")
    page = client.get(reverse("billing:statement", args=[statement.pk])).content.decode()
    assert 'data-testid="owed">1,630.50<' in page
    assert "1630.50" not in page
    run = client.get(reverse("billing:run_detail", args=[statement.run_id])).content.decode()
    assert "1,630.50" in run
    assert "1,630.50" in pdf_text(
        client.get(reverse("billing:statement_pdf", args=[statement.pk])).content
    )
    api = client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert api["total"] == "1630.50"


REQUIREMENT = re.compile(r"R-[A-C][0-9]")
TITLE = re.compile(r'\stitle="[^"]*"')


def codes_outside_tooltips(html: str) -> list[str]:
    return REQUIREMENT.findall(TITLE.sub("", html))


def test_requirement_codes_are_only_tooltips_on_staff_pages(client, november, head):
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        dashboard = client.get(reverse("reports:dashboard"), {"period": "2026-11"})
        others = [
            client.get(reverse("reports:company"), {"period": "2026-11"}),
            client.get(
                reverse("reports:drill", args=["complaint_dispatch"]), {"period": "2026-11"}
            ),
            client.get(reverse("core:home")),
        ]
    html = dashboard.content.decode()
    assert 'title="R-A2.0">' in html  # the complaint dispatch rule's code, on hover
    assert codes_outside_tooltips(html) == []
    for page in others:
        assert page.status_code == 200
        assert codes_outside_tooltips(page.content.decode()) == []
