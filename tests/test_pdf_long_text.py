"""Documents never break: every PDF the app prints lays out text as long as its forms and models
accept (the longest allowed value in every text field), flowing onto more pages, through the views
that serve it (200, never a reportlab LayoutError's 500).

Each long value starts and ends with a marker of its own (``F01始`` … ``F01終``); the test finds
both in the PDF's text, so a value was neither dropped nor cut. Long values are Chinese with long
unbroken runs (no place to break but between characters), an unbroken run of digits and letters,
markup characters, and, in text fields, line breaks and empty lines."""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import models
from django.urls import reverse
from pypdf import PageObject, PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from estate.accounts.models import User
from estate.billing.models import Payment, Statement, StatementLine
from estate.core.pdf import register_font
from estate.emergencies.models import IncidentReport, Responder
from estate.notices.models import Notice
from estate.portal.forms import ReportForm
from estate.properties.models import Office, Resident, ServiceUnit, Unit
from estate.timerules.models import Clock
from estate.visits.models import OpinionItem, ReturnVisit
from estate.workorders.models import WorkOrder, WorkOrderEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEXT_FIELD = 4000  # a text field without a form limit: a few thousand characters

RUN = "水管漏水維修完畢住戶滿意" * 25  # 300 characters, nowhere to break but between them
LATIN = "WO" + "0123456789ABCDEF" * 12  # 194, one unbroken "word"
MARKUP = "<b>&amp; 5 > 3 < 4 & 'x' \"y\"</b>"
LINES = f"{RUN}\n{LATIN}\n\n{MARKUP}\n"

_tags = itertools.count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def limit(model: type[models.Model], field: str) -> int:
    found = getattr(model._meta.get_field(field), "max_length", None)
    assert isinstance(found, int), f"{model.__name__}.{field} has a max_length"
    return found


def long_text(length: int, *, lines: bool = True) -> str:
    """``length`` characters between a start and an end marker of their own."""
    tag = f"F{next(_tags):02d}"
    start, end = f"{tag}始", f"{tag}終"
    filler = "".join(itertools.repeat(LINES if lines else RUN + LATIN + MARKUP, 2 + length // 300))
    text = start + filler[: length - len(start) - len(end)] + end
    assert len(text) == length
    return text


def longest(model: type[models.Model], field: str) -> str:
    return long_text(limit(model, field), lines=False)


def squeeze(text: str) -> str:
    return "".join(text.split())


def markers(value: str) -> tuple[str, str]:
    return squeeze(value)[:4], squeeze(value)[-4:]


def off_the_page(reader: PdfReader) -> list[str]:
    """Text lines that run off the paper at either side (a plain string in a table cell does
    not wrap: a long one runs over its neighbours and off the page, to the left when the cell
    is right-aligned)."""
    return [line for page in reader.pages for line in _runs_off(page)]


def _runs_off(page: PageObject) -> list[str]:
    font, width, found = register_font(), float(page.mediabox.width), []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        left = tm[4] * cm[0] + cm[4]
        right = left + stringWidth(text, font, size) * (tm[0] * cm[0] or 1)
        if text.strip() and (left < 0 or right > width):
            found.append(f"page {page.page_number}: {text[:20]}…")

    page.extract_text(visitor_text=visit)
    return found


def assert_pdf(content: bytes, *values: str, pages: int = 1) -> str:
    """A real PDF of at least ``pages`` pages with every value's start and end in its text."""
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= pages, f"{len(reader.pages)} pages"
    assert not off_the_page(reader)
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for value in values:
        for marker in markers(value):
            assert marker in text, f"{marker} missing"
    return text


@pytest.fixture
def long_names(bsw, reception, head, worker, repair_team, leader):
    """The office, team, people and unit 3-1202 with the longest names their fields take."""
    names = {"office": longest(Office, "name"), "team": longest(ServiceUnit, "name")}
    Office.objects.filter(pk=bsw.pk).update(
        name=names["office"], phone="1" * limit(Office, "phone")
    )
    ServiceUnit.objects.filter(pk=repair_team.pk).update(name=names["team"])
    for user in (reception, head, worker, leader):
        names[user.username] = longest(User, "display_name")
        User.objects.filter(pk=user.pk).update(display_name=names[user.username])
    address = "3-" + "1" * (limit(Unit, "address") - 2)
    Unit.objects.filter(office=bsw, address="3-1202").update(address=address)
    names["address"] = address
    return names


# 服務工作單 -----------------------------------------------------------------------------------


def test_work_order_with_the_longest_texts_flows_over_pages(
    client, bsw, reception, worker, repair_team, long_names
):
    from estate.workorders import actions

    description = long_text(ReportForm.base_fields["description"].max_length)
    assert len(description) == 2000  # the resident's report form's own limit
    texts = {
        "location": longest(WorkOrder, "location"),
        "requester_name": longest(WorkOrder, "requester_name"),
        "promise_reason": longest(WorkOrder, "promise_reason"),
        "work_done": long_text(TEXT_FIELD),
        "materials_used": long_text(TEXT_FIELD),
    }
    note = long_text(TEXT_FIELD)
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        order = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description=description,
            unit=Unit.objects.get(office=bsw, floor=12), location=texts["location"],
            requester_name=texts["requester_name"], service_unit=repair_team, assignee=worker,
        )  # fmt: skip
        actions.comment(order, text=note, by=reception, channel="desk")
    number = "BSW-" + "9" * (limit(WorkOrder, "number") - 4)
    WorkOrder.objects.filter(pk=order.pk).update(
        number=number,
        promise_reason=texts["promise_reason"],
        work_done=texts["work_done"],
        materials_used=texts["materials_used"],
        promised_at=at("2026-11-27 10:00"),
    )
    assert WorkOrderEvent.objects.filter(work_order=order, note=note).exists()
    client.force_login(reception)
    response = client.get(reverse("workorders:print", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = assert_pdf(
        response.content, description, note, *texts.values(), long_names["office"],
        long_names["team"], long_names["worker"], long_names["reception"], pages=4,
    )  # fmt: skip
    assert number in text
    assert long_names["address"] in text
    assert squeeze(MARKUP) in text  # markup characters are text, not markup


def test_a_residents_2000_character_report_prints(client, bsw, reception):
    """The hardening issue's case as it was: the portal's longest description, nothing else long."""
    from estate.workorders import actions

    description = "漏" * ReportForm.base_fields["description"].max_length
    order = actions.open_work_order(
        office=bsw, by=reception, channel="portal", kind="repair", description=description,
        unit=Unit.objects.get(office=bsw, address="3-1202"),
    )  # fmt: skip
    client.force_login(reception)
    response = client.get(reverse("workorders:print", args=[order.pk]))
    assert response.status_code == 200
    text = assert_pdf(response.content, pages=2)
    assert text.count("漏") >= 2000


# 突發事件處理表 ------------------------------------------------------------------------------


@pytest.fixture
def fire(bsw, reception, head, repair_team, repair_lead, worker):
    from estate.emergencies import actions

    repair_team.duty_officers.set([worker])
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        return actions.open_emergency(
            office=bsw, by=reception, channel="desk", category="fire", description="地下車庫冒煙",
            service_units=[repair_team], location="2棟地下車庫",
        )  # fmt: skip


def test_a_long_incident_report_is_approved_archived_and_served(
    client, fire, reception, leader, long_names
):
    from estate.emergencies import actions

    fields = {
        "place": longest(IncidentReport, "place"),
        "what_happened": long_text(TEXT_FIELD),
        "people_involved": long_text(TEXT_FIELD),
        "injuries_and_losses": long_text(TEXT_FIELD),
        "actions_taken": long_text(TEXT_FIELD),
        "causes": long_text(TEXT_FIELD),
        "lessons": long_text(TEXT_FIELD),
    }
    role = longest(Responder, "role")
    Responder.objects.filter(emergency=fire).update(role=role)
    with time_machine.travel(at("2026-11-26 12:00"), tick=False):
        report = actions.save_report(
            fire, by=reception, occurred_at=at("2026-11-26 09:58"), **fields
        )
        actions.submit_report(report, by=reception)
        client.force_login(leader)
        response = client.post(reverse("emergencies:review", args=[fire.pk]), {"approve": "1"})
        # Within the same frozen day: the session signed in above is not yet expired.
        served = client.get(reverse("emergencies:report_pdf", args=[fire.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.archived_pdf
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    content = b"".join(served.streaming_content)
    text = assert_pdf(
        content, *fields.values(), role, long_names["office"], long_names["leader"], pages=6
    )
    assert fire.work_order.number in text


# Statements, the building's bundle, receipts, reminders ---------------------------------------


@pytest.fixture
def long_bills(issued: object, long_names: dict[str, str]) -> dict[str, list[str]]:
    """The issued 2026Q4 statements with the longest payer, number, item and basis."""
    texts: dict[str, list[str]] = {}
    for index, statement in enumerate(Statement.objects.order_by("pk")):
        number = f"BSW-2026Q4-{index}-" + "8" * (limit(Statement, "number") - 13)
        payer = longest(Statement, "payer")
        Statement.objects.filter(pk=statement.pk).update(number=number, payer=payer)
        lines: list[str] = []
        for line in statement.lines.all():
            line.description = longest(StatementLine, "description")
            line.basis = longest(StatementLine, "basis")
            line.save(update_fields=["description", "basis"])
            lines += [line.description, line.basis]
        texts[number] = [payer, *lines]
    return texts


def test_statements_and_the_building_bundle_with_the_longest_texts(
    signed_in, cashier, bsw, long_bills, long_names
):
    client = signed_in(cashier)
    statements = list(Statement.objects.order_by("pk"))
    for statement in statements:
        response = client.get(reverse("billing:statement_pdf", args=[statement.pk]))
        assert response.status_code == 200
        text = assert_pdf(response.content, *long_bills[statement.number], long_names["office"])
        assert statement.number in text
    resident = Resident.objects.get(name="陳美玲")
    resident.user = User.objects.create_user("resident", password="x")
    resident.save()
    own = Statement.objects.get(unit__address=long_names["address"])
    client.force_login(resident.user)
    bill = client.get(reverse("portal:bill_pdf", args=[own.pk]))
    assert bill.status_code == 200
    assert_pdf(bill.content, *long_bills[own.number])
    client.force_login(cashier)
    run, building = statements[0].run, Unit.objects.get(address=long_names["address"]).building
    bundle = client.get(reverse("billing:building_pdf", args=[run.pk, building.pk]))
    assert bundle.status_code == 200
    in_building = [s for s in statements if s.unit.building_id == building.pk]
    assert len(in_building) == 3
    assert_pdf(
        bundle.content, *(t for s in in_building for t in long_bills[s.number]),
        pages=len(in_building),
    )  # fmt: skip


def test_receipt_and_reminder_with_the_longest_texts(signed_in, cashier, bsw, long_bills):
    from estate.billing import payments

    client = signed_in(cashier)
    statement = Statement.objects.order_by("pk").first()
    assert statement is not None
    reference, name = longest(Payment, "reference"), longest(User, "display_name")
    User.objects.filter(pk=cashier.pk).update(display_name=name)
    cashier.refresh_from_db()
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        payment = payments.receive_payment(
            statement,
            amount=Decimal("100.00"),
            method="bank_transfer",
            by=cashier,
            reference=reference,
        )
        receipt_number = "R-" + "7" * (limit(Payment, "receipt_number") - 2)
        Payment.objects.filter(pk=payment.pk).update(receipt_number=receipt_number)
        receipt = client.get(reverse("billing:receipt_pdf", args=[payment.pk]))
        reminders = client.get(reverse("billing:arrears"), {"office": bsw.pk, "format": "pdf"})
    assert receipt.status_code == 200
    text = assert_pdf(receipt.content, reference, name, long_bills[statement.number][0])
    assert receipt_number in text
    assert reminders.status_code == 200
    payers = [texts[0] for texts in long_bills.values()]
    assert_pdf(reminders.content, *payers, pages=len(payers))


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# 大堂公告欄書面通知 --------------------------------------------------------------------------


def test_a_long_notice_flows_over_pages(client, bsw, reception, long_names):
    from estate.notices import actions

    title = longest(Notice, "title")
    body = long_text(3 * TEXT_FIELD)
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        notice = actions.write_notice(
            office=bsw, by=reception, title=title, body=body, starts_on=date(2026, 11, 26)
        )
        client.force_login(reception)
        response = client.get(reverse("notices:pdf", args=[notice.pk]))
    assert response.status_code == 200
    assert_pdf(response.content, title, body, long_names["office"], pages=5)


# 月報 ------------------------------------------------------------------------------------------


def test_the_monthly_report_with_the_longest_reasons_items_and_answers(
    client, november, head, long_names
):
    reason = longest(Clock, "missed_reason")
    Clock.objects.filter(rule="complaint_dispatch", state="breached").update(
        missed_reason=reason, missed_reason_by=head
    )
    visit = ReturnVisit.objects.filter(office=november).first()
    assert visit is not None
    said, answer = long_text(TEXT_FIELD), long_text(TEXT_FIELD)
    OpinionItem.objects.create(
        office=november, visit=visit, kind="suggestion", text=said, answer=answer,
        raised_at=at("2026-11-20 10:00"), answered_by=head, answered_at=at("2026-11-21 10:00"),
    )  # fmt: skip
    client.force_login(head)
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        response = client.get(reverse("reports:monthly"), {"period": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_pdf(response.content, reason, said, answer, long_names["team"], pages=4)
