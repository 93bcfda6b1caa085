"""Dunning with a trail (催繳): every reminder is recorded (a call, a door visit, estate's own
texts with the result their receipts bring); a formal demand (催告函) is printed as a PDF that
names the amount and never a cut of water or power, and its delivery is recorded with its proof;
the arrears page shows each household's trail in a bounded number of queries; another office's
cashier sees and records nothing."""

import io
import json
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from estate.accounts.roles import Role
from estate.billing.models import Statement
from estate.core.money import in_capitals
from estate.dunning import demands
from estate.dunning.choices import AttemptChannel, AttemptResult, DeliveryMethod, DemandStatus
from estate.dunning.letter import COERCION
from estate.dunning.models import FormalDemand, ReminderAttempt
from estate.messaging import actions
from estate.messaging.choices import Channel, ConsentSource
from estate.messaging.household_events import tell_arrears
from estate.messaging.models import Delivery
from estate.properties.models import Household, Resident
from tests.billing_fixtures import D
from tests.factories import ResidentFactory, staff, unit_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
# After the 2026Q4 bills fell due (2026-10-31), in the day, out of quiet hours.
NOVEMBER = datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)
FORBIDDEN = ("停水", "停電", "斷水", "斷電", "停氣", "停电", "断水", "断电", "停气")


@pytest.fixture
def issued(issued_on_october_first):
    """Bills issued on 2026-10-01, due 2026-10-31: overdue in November."""
    return issued_on_october_first


@pytest.fixture
def in_november():
    with time_machine.travel(NOVEMBER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def chen(bsw):
    """陳美玲 of 3-1202, who consented to texts."""
    chen = Resident.objects.get(phone="13812341234")
    actions.record_consent(
        resident=chen, channel=Channel.SMS, granted=True, source=ConsentSource.PORTAL
    )
    return chen


def household_of(address: str) -> Household:
    return Household.objects.get(unit__address=address)


def trail_page(client, household):
    return reverse("dunning:household", args=[household.pk])


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_the_cashier_records_a_door_visit_and_a_phone_call(client, in_november, issued, cashier):
    home = household_of("3-1202")
    client.force_login(cashier)
    page = trail_page(client, home)
    visit = client.post(
        page,
        {
            "do": "attempt",
            "attempt-channel": AttemptChannel.VISIT,
            "attempt-result": AttemptResult.PROMISED,
            "attempt-promised_on": "2026-11-20",
            "attempt-note": "業主說月底前來繳",
        },
    )
    assert visit.status_code == 302
    # A promise without its day is refused on that field, and nothing is saved.
    refused = client.post(
        page,
        {
            "do": "attempt",
            "attempt-channel": AttemptChannel.PHONE,
            "attempt-result": AttemptResult.PROMISED,
        },
    )
    assert refused.status_code == 400
    assert 'data-field="promised_on"' in refused.content.decode()
    called = client.post(
        page,
        {
            "do": "attempt",
            "attempt-channel": AttemptChannel.PHONE,
            "attempt-result": AttemptResult.NOT_REACHED,
            "attempt-at": "2026-11-10T09:30",
        },
    )
    assert called.status_code == 302
    door, phone = ReminderAttempt.objects.filter(household=home).order_by("-at")
    assert (door.channel, door.result, door.promised_on) == (
        "visit",
        "promised",
        date(2026, 11, 20),
    )
    assert door.by == cashier
    assert door.note == "業主說月底前來繳"
    assert door.owed == D("1443.00")
    assert [s.number for s in door.statements.all()] == [issued["3-1202"].number]
    assert (phone.channel, phone.result, phone.by) == ("phone", "not_reached", cashier)
    assert phone.at == datetime(2026, 11, 10, 9, 30, tzinfo=SHANGHAI)
    shown = client.get(page).content.decode()
    assert "2026-11-20" in shown
    assert "業主說月底前來繳" in shown


def test_the_arrears_text_is_a_reminder_whose_receipt_gives_its_result(
    client, in_november, issued, chen, cashier, sms_outbox, callback_token,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    office = issued["3-1202"].office
    client.force_login(cashier)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing:arrears"), {"office": office.pk})
        client.post(reverse("billing:arrears"), {"office": office.pk})  # once a day
    texted = ReminderAttempt.objects.get(household=household_of("3-1202"))
    assert (texted.channel, texted.result, texted.by) == ("sms", "pending", None)
    assert texted.owed == D("1443.00")
    assert texted.message is not None
    assert texted.message.text == sms_outbox[0][1]
    # Households without a channel but the portal are reminded there.
    inbox = ReminderAttempt.objects.get(household=household_of("3-1201"))
    assert (inbox.channel, inbox.result) == ("portal", "pending")
    assert ReminderAttempt.objects.count() == 3  # 3-1201, 3-1202, 3-S01; each once

    delivery = Delivery.objects.get(message=texted.message)
    receipt = [
        {
            "phone_number": "13812341234",
            "report_time": "2026-11-10 10:00:09",
            "success": True,
            "err_code": "DELIVERED",
            "err_msg": "用户接收成功",
            "biz_id": delivery.provider_id,
        }
    ]
    answer = client.post(
        f"/hooks/sms/aliyun/receipts/?token={callback_token}",
        data=json.dumps(receipt),
        content_type="application/json",
    )
    assert answer.status_code == 200
    texted.refresh_from_db()
    assert texted.result == AttemptResult.DELIVERED

    # The next day's text does not reach the phone: that reminder is "not reached".
    with django_capture_on_commit_callbacks(execute=True):
        tell_arrears.call(office.pk, "2026-11-11")
    second = ReminderAttempt.objects.filter(household=household_of("3-1202")).latest("id")
    failed = [
        {
            "user_receive_time": "2026-11-11 10:00:09",
            "report_status": "FAIL",
            "errmsg": "MN:0001",
            "description": "空号",
            "sid": Delivery.objects.get(message=second.message).provider_id,
        }
    ]
    client.post(
        f"/hooks/sms/tencent/receipts/?token={callback_token}",
        data=json.dumps(failed),
        content_type="application/json",
    )
    second.refresh_from_db()
    assert (second.channel, second.result) == ("sms", "not_reached")
    texted.refresh_from_db()
    assert texted.result == AttemptResult.DELIVERED  # the first one keeps its own result


def test_a_formal_demand_is_a_pdf_with_the_amount_in_chinese_and_no_threat(
    client, in_november, issued, cashier
):
    home = household_of("3-1202")
    client.force_login(cashier)
    answer = client.post(
        trail_page(client, home), {"do": "demand", "demand-note": "如有疑問，歡迎來電。"}
    )
    assert answer.status_code == 302
    demand = FormalDemand.objects.get(household=home)
    assert demand.status == DemandStatus.ISSUED
    assert demand.amount == D("1443.00")
    assert demand.pay_by == date(2026, 11, 25)  # two weeks to pay by default
    assert [row.statement for row in demand.listed.all()] == [issued["3-1202"]]
    pdf = client.get(reverse("dunning:demand_pdf", args=[demand.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "1,443.00" in text
    assert in_capitals(D("1443.00")) in text  # 壹仟肆佰肆拾叁元整
    assert "陳美玲" in text
    assert "碧水灣管理處" in text
    assert "2026Q4" in text
    assert "2026-11-25" in text
    assert demand.number in text
    assert "如有疑問，歡迎來電。" in text
    for word in (*FORBIDDEN, *COERCION):
        assert word not in text, word


def test_a_demand_mentioning_a_cut_or_too_short_a_time_is_refused_and_nothing_saved(
    client, in_november, issued, cashier
):
    home = household_of("3-1202")
    client.force_login(cashier)
    threat = client.post(
        trail_page(client, home), {"do": "demand", "demand-note": "逾期不繳將停水停電。"}
    )
    assert threat.status_code == 400
    assert 'data-field="note"' in threat.content.decode()
    hasty = client.post(trail_page(client, home), {"do": "demand", "demand-pay_by": "2026-11-12"})
    assert hasty.status_code == 400
    assert 'data-field="pay_by"' in hasty.content.decode()
    assert not FormalDemand.objects.exists()
    with pytest.raises(Exception, match="沒有逾期欠費"):
        demands.issue_formal_demand(
            household=household_of("3-1202"), by=cashier, at=NOVEMBER - timedelta(days=30)
        )


def test_delivery_by_registered_mail_needs_a_valid_number(client, in_november, issued, cashier):
    """The number is required, checked (its S10 check digit) and kept in one form; the day it
    was delivered may be given, but not before the demand was issued."""
    demand = demands.issue_formal_demand(household=household_of("3-1202"), by=cashier)
    client.force_login(cashier)
    page = trail_page(client, demand.household)
    for wrong in ("", "XA123456789CN", "not a number"):  # missing; wrong check digit; garbage
        answer = client.post(
            page,
            {
                "do": "delivery",
                "demand": demand.pk,
                "delivery-method": DeliveryMethod.REGISTERED,
                "delivery-reference": wrong,
            },
        )
        assert answer.status_code == 400, wrong
        assert 'data-field="reference"' in answer.content.decode()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ISSUED
    in_november.shift(timedelta(hours=2))
    client.force_login(cashier)
    answer = client.post(
        page,
        {
            "do": "delivery",
            "demand": demand.pk,
            "delivery-method": DeliveryMethod.REGISTERED,
            "delivery-reference": "xa 1234 5678 5cn",
            "delivery-at": "2026-11-10T11:30",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    assert answer["Location"] == page
    demand.refresh_from_db()
    assert (demand.status, demand.delivery_method, demand.reference) == (
        DemandStatus.DELIVERED, DeliveryMethod.REGISTERED, "XA123456785CN",
    )  # fmt: skip
    assert demand.delivery_recorded_by == cashier
    assert demand.delivered_at == datetime(2026, 11, 10, 11, 30, tzinfo=SHANGHAI)
    # Recorded once: a second recording is refused.
    again = client.post(
        page, {"do": "delivery", "demand": demand.pk, "delivery-method": DeliveryMethod.SIGNED}
    )
    assert again.status_code == 400


def test_delivery_by_signed_receipt_keeps_the_photo_of_the_slip(
    client, in_november, issued, cashier
):
    demand = demands.issue_formal_demand(household=household_of("3-1202"), by=cashier, draft=True)
    client.force_login(cashier)
    page = trail_page(client, demand.household)
    # A draft is read over first: its delivery cannot be recorded before it is issued.
    early = client.post(
        page, {"do": "delivery", "demand": demand.pk, "delivery-method": DeliveryMethod.SIGNED}
    )
    assert early.status_code == 400
    assert client.post(page, {"do": "issue", "demand": demand.pk}).status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ISSUED
    assert demand.number in pdf_text(demand.pdf.read())
    bad = client.post(
        page,
        {
            "do": "delivery",
            "demand": demand.pk,
            "delivery-method": DeliveryMethod.SIGNED,
            "delivery-proof": SimpleUploadedFile("slip.png", b"<html>not a picture</html>"),
        },
    )
    assert bad.status_code == 400
    assert 'data-field="proof"' in bad.content.decode()
    answer = client.post(
        page,
        {
            "do": "delivery",
            "demand": demand.pk,
            "delivery-method": DeliveryMethod.SIGNED,
            "delivery-proof": png("簽收回執.png"),
        },
    )
    assert answer.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DELIVERED
    assert demand.proof_name == "簽收回執.png"
    assert demand.proof_content_type == "image/png"
    proof = client.get(reverse("dunning:demand_proof", args=[demand.pk]))
    assert proof.status_code == 200
    assert b"".join(proof.streaming_content).startswith(b"\x89PNG")


def test_the_arrears_page_shows_each_households_trail_in_bounded_queries(
    client, in_november, bsw, issued, cashier, head, django_capture_on_commit_callbacks
):
    from estate.dunning import attempts

    client.force_login(cashier)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing:arrears"), {"office": bsw.pk})
    attempts.record_attempt(
        household=household_of("3-1201"), channel=AttemptChannel.VISIT,
        result=AttemptResult.REFUSED, by=cashier, note="不認同分攤",
    )  # fmt: skip
    demands.issue_formal_demand(household=household_of("3-S01"), by=cashier)

    def count_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("billing:arrears"))
        assert page.status_code == 200
        return len(queries), page.content.decode()

    few, page = count_queries()

    def cell(address: str) -> str:
        after = page.split(f'data-testid="trail-{household_of(address).pk}"', 1)[1]
        return after.split("</td>", 1)[0]

    with translation.override("zh-hant"):  # the page's language, whatever its translations
        visit, refused = str(AttemptChannel.VISIT.label), str(AttemptResult.REFUSED.label)
        demand = gettext("Formal demand")
    assert "2×" in cell("3-1201")  # the text (in the portal) and the visit
    assert visit in cell("3-1201")
    assert refused in cell("3-1201")
    assert demand in cell("3-S01")
    assert demand not in cell("3-1202")
    # Ten more households that owe, each reminded twice: the page asks no more of the database.
    bill = issued["3-1202"]
    for n in range(10):
        unit = unit_at(bsw, f"3-{20 + n}01")
        resident = ResidentFactory(household__unit=unit, is_primary=True)
        Statement.objects.create(
            office=bsw, run=bill.run, quarter=bill.quarter, number=f"{bill.number}-{n}",
            household=resident.household, unit=unit, building=unit.building,
            payer=resident.name, total=D("500.00"), due_on=bill.due_on, issued_at=bill.issued_at,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        tell_arrears.call(bsw.pk, "2026-11-10")
        tell_arrears.call(bsw.pk, "2026-11-11")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("billing:arrears"))
    many, page = count_queries()
    assert page.count('data-testid="trail-') == 13
    assert ReminderAttempt.objects.count() == 27
    assert many == few
    assert sum("dunning_" in query["sql"] for query in queries.captured_queries) == 2


def test_another_offices_cashier_sees_and_records_nothing(
    client, in_november, issued, cashier, other_office
):
    demand = demands.issue_formal_demand(household=household_of("3-1202"), by=cashier)
    stranger = staff("cashier_ch", Role.CASHIER, other_office)
    client.force_login(stranger)
    page = trail_page(client, demand.household)
    assert client.get(page).status_code == 404
    visit = {"do": "attempt", "attempt-channel": "visit", "attempt-result": "refused"}
    assert client.post(page, visit).status_code == 404
    assert client.get(reverse("dunning:demand_pdf", args=[demand.pk])).status_code == 404
    assert client.get(reverse("dunning:demand_proof", args=[demand.pk])).status_code == 404
    assert not ReminderAttempt.objects.exists()
    # Staff of the same office without the right to collect fees are refused outright.
    reception = staff("desk", Role.RECEPTIONIST, demand.office)
    client.force_login(reception)
    assert client.get(page).status_code == 403
