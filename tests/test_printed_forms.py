"""Printed forms fit for use: the 服務工作單 with its four times, signature lines and the
five-level satisfaction boxes, the requester's full number only on the assigned worker's copy
(recorded as seen); the 收據 with its fee lines, the amount in capitals, its number and boxes
for the stamp and the cashier. Read back from the PDFs' text layer (pypdf), and one page drawn
to an image when poppler's ``pdftoppm`` is there."""

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from pypdf import PdfReader

from estate.accounts.roles import Role
from estate.billing import payments, printing
from estate.properties.models import PhoneReveal
from estate.visits.choices import Satisfaction
from estate.workorders import actions
from tests.billing_fixtures import D
from tests.factories import staff

FULL, MASKED = "13812341234", "138****1234"


def text_of(pdf: bytes) -> str:
    """The text layer, with the line breaks of wrapped cells taken out (labels of any language
    wrap in their narrow columns)."""
    pages = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return pages.replace("\n", "")


@pytest.fixture
def job_on_scene(leaking_pipe, repair_lead, worker):
    """The leaking pipe, opened and dispatched at 09:00 of 2026-11-26 (Shanghai), assigned to
    the worker, who is on scene at 09:20."""
    order = leaking_pipe
    with time_machine.travel(datetime(2026, 11, 26, 1, 12, tzinfo=UTC), tick=False):
        order = actions.assign(order, assignee=worker, by=repair_lead, channel="desk")
    with time_machine.travel(datetime(2026, 11, 26, 1, 15, tzinfo=UTC), tick=False):
        order = actions.accept(order, by=worker, channel="desk")
    with time_machine.travel(datetime(2026, 11, 26, 1, 20, tzinfo=UTC), tick=False):
        return actions.start(order, by=worker, channel="desk")


@pytest.fixture
def done_job(job_on_scene, worker):
    """… and completed at 10:05."""
    order = job_on_scene
    with time_machine.travel(datetime(2026, 11, 26, 2, 5, tzinfo=UTC), tick=False):
        return actions.complete(order, work_done="更換水管接頭", by=worker, channel="desk")


@pytest.fixture
def opened_at_nine(bsw, reception, repair_team):
    with time_machine.travel(datetime(2026, 11, 26, 1, 0, tzinfo=UTC), tick=False):
        from estate.properties.models import Unit

        return actions.open_work_order(
            office=bsw,
            by=reception,
            channel="desk",
            kind="repair",
            description="廚房水管漏水",
            unit=Unit.objects.get(office=bsw, address="3-1202"),
            service_unit=repair_team,
        )


@pytest.fixture
def leaking_pipe(opened_at_nine):  # the shared fixture, at a known time
    return opened_at_nine


def test_the_work_order_shows_its_times_signature_lines_and_the_five_levels(
    client, reception, done_job
):
    client.force_login(reception)
    text = text_of(client.get(reverse("workorders:print", args=[done_job.pk])).content)
    for time in ("2026-11-26 09:00", "2026-11-26 09:20", "2026-11-26 10:05"):
        assert time in text
    for label in (gettext("Opened at"), gettext("On scene at"), gettext("Completed at")):
        assert label in text
    assert gettext("Worker's signature") in text
    assert gettext("Requester's signature") in text  # 業主/住戶簽名
    assert all(str(label) in text for label in Satisfaction.labels)
    assert "非常滿意" in text
    assert "非常不滿意" in text
    assert text.count("□") == 5


def test_the_office_copy_masks_the_number_and_records_nothing(client, reception, done_job):
    client.force_login(reception)
    text = text_of(client.get(reverse("workorders:print", args=[done_job.pk])).content)
    assert MASKED in text
    assert FULL not in text
    assert gettext("Office copy") in text
    assert not PhoneReveal.objects.exists()


def test_the_assigned_workers_copy_has_the_full_number_recorded_as_seen(
    client, worker, job_on_scene
):
    done_job = job_on_scene
    client.force_login(worker)
    url = reverse("workorders:print", args=[done_job.pk])
    page = client.get(reverse("workorders:detail", args=[done_job.pk])).content.decode()
    assert 'data-testid="print-worker-copy"' in page
    text = text_of(client.get(url, {"copy": "assignee"}).content)
    assert FULL in text
    assert gettext("Worker's copy") in text
    seen = PhoneReveal.objects.get()
    assert (seen.viewer, seen.resident, seen.work_order) == (worker, done_job.requester, done_job)


def test_the_desk_prints_the_workers_copy_for_them(client, reception, done_job):
    client.force_login(reception)
    response = client.get(reverse("workorders:print", args=[done_job.pk]), {"copy": "assignee"})
    assert FULL in text_of(response.content)
    assert PhoneReveal.objects.get().viewer == reception


def test_no_workers_copy_for_others_or_without_a_worker(client, bsw, worker, done_job):
    # Leadership sees every order but no resident's number.
    stranger = staff("leader", Role.LEADERSHIP, company=bsw.company)
    client.force_login(stranger)
    url = reverse("workorders:print", args=[done_job.pk])
    assert client.get(url, {"copy": "assignee"}).status_code == 403
    assert FULL not in text_of(client.get(url).content)  # the office's copy, masked
    client.force_login(worker)  # once the job is done, the number is no longer the worker's
    assert client.get(url, {"copy": "assignee"}).status_code == 403

    unassigned = actions.open_work_order(
        office=bsw,
        by=done_job.accountable,
        channel="desk",
        kind="repair",
        description="走廊燈不亮",
        unit=done_job.unit,
    )
    client.force_login(done_job.accountable)
    unassigned_url = reverse("workorders:print", args=[unassigned.pk])
    assert client.get(unassigned_url, {"copy": "assignee"}).status_code == 403
    assert not PhoneReveal.objects.exists()


@pytest.fixture
def receipt(issued, cashier):
    """1,630.50 paid in full for 3-1201."""
    bill = issued["3-1201"]
    payment = payments.receive_payment(bill, amount=D("1630.50"), method="cash", by=cashier)
    return payment, bill


def test_the_receipt_has_its_fee_lines_capitals_number_and_boxes(signed_in_cashier, receipt):
    payment, bill = receipt
    response = signed_in_cashier.get(reverse("billing:receipt_pdf", args=[payment.pk]))
    text = text_of(response.content)
    assert payment.receipt_number in text
    assert "1,630.50" in text
    assert "壹仟陸佰叁拾元伍角整" in text
    for line in bill.lines.all():
        assert line.description in text
        assert printing.grouped(line.amount) in text
    assert pgettext("receipt box", "Stamp") in text  # 蓋章
    assert gettext("Received by") == "收款人" in text


def test_the_receipt_in_simplified_chinese_writes_capitals_so(signed_in_cashier, receipt):
    from django.utils import translation

    payment, _bill = receipt
    with translation.override("zh-hans"):
        text = text_of(printing.receipt_pdf(payment))
    assert "壹仟陆佰叁拾元伍角整" in text


@pytest.fixture
def signed_in_cashier(client, cashier):
    client.force_login(cashier)
    return client


PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_work_order_page_draws_as_a_non_blank_a4_image(client, reception, done_job, tmp_path):
    from PIL import Image

    client.force_login(reception)
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(client.get(reverse("workorders:print", args=[done_job.pk])).content)
    subprocess.run(
        [
            str(PDFTOPPM),
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf,
            tmp_path / "p",
        ],
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "p.png").convert("L")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01
    darkest, lightest = image.getextrema()
    assert lightest > 200, "white paper"
    assert darkest < 100, "with ink on it"


def test_a_captured_signature_is_drawn_on_its_line(done_job):
    from PIL import Image

    from estate.workorders.printing import work_order_pdf

    png = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(png, format="PNG")
    reader = PdfReader(io.BytesIO(work_order_pdf(done_job, requester_signature=png.getvalue())))
    assert len(reader.pages[0].images) == 1
    assert not PdfReader(io.BytesIO(work_order_pdf(done_job))).pages[0].images
