"""The worker completing a job on the phone: the materials used, chosen from the office's list
with a quantity (on the page, the timeline, the API and the printed 服務工作單), and the
requester's signature drawn on the screen at completion (stored, shown and printed)."""

import base64
import io
import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from estate.accounts.roles import Role
from estate.workorders import actions, materials, signatures
from estate.workorders.choices import Action, AttachmentKind, Status
from estate.workorders.models import Attachment, Material, MaterialUse, WorkOrder
from estate.workorders.printing import work_order_pdf
from tests.factories import staff
from tests.files import JPEG

AT_NINE = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(
        "\n", ""
    )


def data_url(content: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


def drawn_signature(size: tuple[int, int] = (600, 200)) -> bytes:
    """A signature as the pad sends it: dark strokes on white paper."""
    image = Image.new("RGB", size, "white")
    width, height = size
    for x in range(width // 10, width - width // 10):
        image.putpixel((x, height // 2 + (x % 9) // 3 - 1), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def pipe_fittings(bsw):
    return Material.objects.create(
        office=bsw, name="水管接頭", unit="個", unit_price=Decimal("12.50")
    )


@pytest.fixture
def copper_pipe(bsw):
    return Material.objects.create(office=bsw, name="銅管", unit="米")


@pytest.fixture
def on_scene(leaking_pipe, worker):
    order = actions.accept(leaking_pipe, by=worker, channel="field")
    return actions.start(order, by=worker, channel="field")


def add_url(order: WorkOrder) -> str:
    return reverse("workorders:record_material", args=[order.pk])


def complete_url(order: WorkOrder) -> str:
    return reverse("workorders:act", args=[order.pk, "complete"])


# --- materials: the actions ---------------------------------------------------------------


@time_machine.travel(AT_NINE, tick=False)
def test_the_worker_records_a_material_used_and_the_timeline_says_so(
    on_scene, worker, pipe_fittings
):
    line = materials.record_material(
        on_scene, material=pipe_fittings, quantity="2", by=worker, channel="field"
    )
    assert (line.quantity, line.recorded_by, line.recorded_at) == (Decimal("2"), worker, AT_NINE)
    assert line.amount == Decimal("25.00")
    event = on_scene.events.get(action=Action.USE_MATERIAL)
    assert event.note == "水管接頭 × 2 個"
    assert (event.from_status, event.to_status, event.channel) == ("", "", "field")
    on_scene.refresh_from_db()
    assert on_scene.status == Status.IN_PROGRESS  # no status move


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "", "1.234", "NaN", "Infinity"])
def test_a_quantity_that_is_not_a_positive_number_is_refused_naming_the_field(
    on_scene, worker, pipe_fittings, quantity
):
    with pytest.raises(ValidationError) as refused:
        materials.record_material(
            on_scene, material=pipe_fittings, quantity=quantity, by=worker, channel="field"
        )
    assert list(refused.value.message_dict) == ["quantity"]
    assert not MaterialUse.objects.exists()


def test_a_material_of_another_office_or_out_of_use_is_refused(
    on_scene, worker, other_office, pipe_fittings
):
    elsewhere = Material.objects.create(office=other_office, name="水管接頭", unit="個")
    pipe_fittings.is_active = False
    pipe_fittings.save()
    for material in (elsewhere, pipe_fittings):
        with pytest.raises(ValidationError) as refused:
            materials.record_material(
                on_scene, material=material, quantity="1", by=worker, channel="field"
            )
        assert list(refused.value.message_dict) == ["material"]
    assert not MaterialUse.objects.exists()


def test_nothing_is_recorded_or_removed_once_the_order_is_closed(
    on_scene, worker, reception, pipe_fittings
):
    line = materials.record_material(
        on_scene, material=pipe_fittings, quantity="1", by=worker, channel="field"
    )
    order = actions.complete(on_scene, work_done="換了接頭", by=worker, channel="field")
    # After completion, while the requester is answered, a forgotten line may still be added.
    materials.record_material(
        order, material=pipe_fittings, quantity="1", by=worker, channel="field"
    )
    order = actions.reply(order, reply_channel="phone", text="修好了", by=reception, channel="desk")
    order = actions.close(order, by=reception, channel="desk")
    with pytest.raises(actions.TransitionRefused):
        materials.record_material(
            order, material=pipe_fittings, quantity="1", by=worker, channel="field"
        )
    with pytest.raises(actions.TransitionRefused):
        materials.remove_material(line, by=worker, channel="field")
    assert MaterialUse.objects.filter(work_order=order).count() == 2


def test_a_cancelled_order_takes_no_materials(leaking_pipe, worker, reception, pipe_fittings):
    order = actions.cancel(leaking_pipe, reason="住戶已自行修好", by=reception, channel="desk")
    with pytest.raises(actions.TransitionRefused):
        materials.record_material(
            order, material=pipe_fittings, quantity="1", by=worker, channel="field"
        )


def test_only_who_may_do_the_work_records_materials(on_scene, reception, pipe_fittings):
    with pytest.raises(PermissionDenied):
        materials.record_material(
            on_scene, material=pipe_fittings, quantity="1", by=reception, channel="desk"
        )
    assert not MaterialUse.objects.exists()


def test_a_wrong_line_is_removed_and_the_timeline_keeps_it(on_scene, worker, pipe_fittings):
    line = materials.record_material(
        on_scene, material=pipe_fittings, quantity="3", by=worker, channel="field"
    )
    materials.remove_material(line, by=worker, channel="field")
    assert not MaterialUse.objects.exists()
    removed = on_scene.events.get(action=Action.REMOVE_MATERIAL)
    assert removed.note == "水管接頭 × 3 個"


# --- materials: the order page ------------------------------------------------------------


def test_the_worker_adds_a_line_from_the_page_and_sees_it(
    client, on_scene, worker, pipe_fittings, copper_pipe, other_office
):
    Material.objects.create(office=on_scene.office, name="舊型閥門", unit="個", is_active=False)
    Material.objects.create(office=other_office, name="別處的膠帶", unit="卷")
    client.force_login(worker)
    page = client.get(reverse("workorders:detail", args=[on_scene.pk])).content.decode()
    assert 'data-testid="material-form"' in page
    assert "銅管 (米)" in page
    assert "水管接頭 (個)" in page
    assert "舊型閥門" not in page
    assert "別處的膠帶" not in page
    response = client.post(
        add_url(on_scene), {"material-material": copper_pipe.pk, "material-quantity": "1.5"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#materials")
    line = MaterialUse.objects.get()
    assert (line.material, line.quantity, line.recorded_by) == (copper_pipe, Decimal("1.5"), worker)
    page = client.get(reverse("workorders:detail", args=[on_scene.pk])).content.decode()
    assert 'data-testid="material-line"' in page
    assert "× 1.5 米" in page
    assert 'data-action="material"' in page  # on the timeline


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"material-quantity": "1"}, "material"),
        ({"material-material": "{other}", "material-quantity": "1"}, "material"),
        ({"material-material": "{mine}", "material-quantity": "0"}, "quantity"),
        ({"material-material": "{mine}", "material-quantity": "-2"}, "quantity"),
        ({"material-material": "{mine}", "material-quantity": "兩個"}, "quantity"),
    ],
)
def test_bad_input_on_the_page_is_refused_naming_the_field_and_keeps_what_was_typed(
    client, on_scene, worker, pipe_fittings, other_office, data, field
):
    elsewhere = Material.objects.create(office=other_office, name="水管接頭", unit="個")
    ids = {"{mine}": str(pipe_fittings.pk), "{other}": str(elsewhere.pk)}
    client.force_login(worker)
    response = client.post(add_url(on_scene), {k: ids.get(v, v) for k, v in data.items()})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-field="{field}"' in page
    assert f'value="{data["material-quantity"]}"' in page
    assert not MaterialUse.objects.exists()


def test_who_may_not_do_the_work_is_refused_as_the_other_steps_are(
    client, bsw, on_scene, reception, pipe_fittings, repair_team
):
    client.force_login(reception)  # sees the order, does not do its work
    page = client.get(reverse("workorders:detail", args=[on_scene.pk])).content.decode()
    assert 'data-testid="material-form"' not in page
    body = {"material-material": pipe_fittings.pk, "material-quantity": "1"}
    assert client.post(add_url(on_scene), body).status_code == 403
    stranger = staff("cleaner", Role.WORKER, bsw)  # a worker not of the repair team
    client.force_login(stranger)
    assert client.post(add_url(on_scene), body).status_code == 404
    assert not MaterialUse.objects.exists()


def test_a_line_is_removed_from_the_page_and_not_by_the_desk(
    client, on_scene, worker, reception, pipe_fittings
):
    line = materials.record_material(
        on_scene, material=pipe_fittings, quantity="1", by=worker, channel="field"
    )
    remove = reverse("workorders:remove_material", args=[on_scene.pk, line.pk])
    client.force_login(reception)
    assert client.post(remove).status_code == 403
    client.force_login(worker)
    assert client.post(remove).status_code == 302
    assert not MaterialUse.objects.exists()
    assert client.post(remove).status_code == 404


def test_after_closing_the_page_offers_no_form_and_a_post_is_refused(
    client, on_scene, worker, reception, pipe_fittings
):
    order = actions.complete(on_scene, work_done="換了接頭", by=worker, channel="field")
    order = actions.reply(order, reply_channel="phone", text="修好了", by=reception, channel="desk")
    order = actions.close(order, by=reception, channel="desk")
    client.force_login(worker)
    page = client.get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="material-form"' not in page
    body = {"material-material": pipe_fittings.pk, "material-quantity": "1"}
    response = client.post(add_url(order), body, follow=True)
    assert response.status_code == 200
    assert not MaterialUse.objects.exists()
    assert any(
        "Not possible now" in str(m) or "目前" in str(m) for m in response.context["messages"]
    )


def test_the_materials_are_in_the_api_read_only(api, on_scene, worker, pipe_fittings):
    materials.record_material(
        on_scene, material=pipe_fittings, quantity="2", by=worker, channel="field"
    )
    api.force_authenticate(user=worker)
    body = api.get(f"/api/v1/work-orders/{on_scene.pk}/").json()
    assert [(m["name"], m["unit"], m["quantity"]) for m in body["material_uses"]] == [
        ("水管接頭", "個", "2.00")
    ]


def test_the_printed_order_lists_the_materials(on_scene, worker, pipe_fittings, copper_pipe):
    materials.record_material(
        on_scene, material=pipe_fittings, quantity="2", by=worker, channel="field"
    )
    materials.record_material(
        on_scene, material=copper_pipe, quantity="1.5", by=worker, channel="field"
    )
    text = text_of(work_order_pdf(on_scene))
    assert "水管接頭" in text
    assert "25.00" in text
    assert "12.50" in text
    assert "銅管" in text
    assert "1.5" in text
    assert "米" in text


# --- the requester's signature ------------------------------------------------------------


def test_the_signature_is_stored_on_completion_shown_and_printed(client, on_scene, worker):
    client.force_login(worker)
    page = client.get(reverse("workorders:detail", args=[on_scene.pk])).content.decode()
    assert 'data-testid="signature-pad"' in page
    assert "estate/signature.js" in page
    response = client.post(
        complete_url(on_scene),
        {"complete-work_done": "換了接頭", "complete-signature": data_url(drawn_signature())},
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get(pk=on_scene.pk)
    assert order.status == Status.COMPLETED
    signature = Attachment.objects.get(work_order=order)
    assert (signature.kind, signature.content_type) == (AttachmentKind.SIGNATURE, "image/png")
    assert order.events.get(action=Action.COMPLETE).data["requester_signed"] is True
    page = client.get(reverse("workorders:detail", args=[order.pk])).content.decode()
    shown = reverse("workorders:photo", args=[order.pk, signature.pk])
    assert 'data-testid="signature"' in page
    assert shown in page
    served = client.get(shown)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    pdf = client.get(reverse("workorders:print", args=[order.pk])).content
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1


def test_completing_without_a_signature_is_as_before(client, on_scene, worker):
    client.force_login(worker)
    response = client.post(complete_url(on_scene), {"complete-work_done": "換了接頭"})
    assert response.status_code == 302
    order = WorkOrder.objects.get(pk=on_scene.pk)
    assert order.status == Status.COMPLETED
    assert not order.attachments.exists()
    assert "requester_signed" not in order.events.get(action=Action.COMPLETE).data
    pdf = client.get(reverse("workorders:print", args=[order.pk])).content
    assert not PdfReader(io.BytesIO(pdf)).pages[0].images


@pytest.mark.parametrize(
    "signature",
    [
        data_url(JPEG, "image/jpeg"),  # not a PNG data URL
        data_url(JPEG),  # claims PNG, is JPEG
        "data:image/png;base64,not-base64!",
        data_url(b"<svg onload=alert(1)></svg>"),
        "javascript:alert(1)",
        data_url(drawn_signature((5000, 10))),  # no signature is that shape
        "data:image/png;base64," + "A" * (500 * 1024),  # larger than 300 KB
    ],
)
def test_a_bad_signature_is_refused_and_the_job_is_not_completed(
    client, on_scene, worker, signature
):
    client.force_login(worker)
    response = client.post(
        complete_url(on_scene),
        {"complete-work_done": "換了接頭", "complete-signature": signature},
    )
    assert response.status_code == 400
    assert 'data-field="signature"' in response.content.decode()
    order = WorkOrder.objects.get(pk=on_scene.pk)
    assert order.status == Status.IN_PROGRESS
    assert order.completed_at is None
    assert not order.events.filter(action=Action.COMPLETE).exists()
    assert not Attachment.objects.exists()


def test_the_action_refuses_an_oversized_signature_before_anything_is_written(on_scene, worker):
    noise = Image.frombytes("RGB", (600, 600), random.Random(19).randbytes(600 * 600 * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    assert len(out.getvalue()) > signatures.MAX_SIGNATURE_BYTES
    with pytest.raises(ValidationError) as refused:
        actions.complete(
            on_scene,
            work_done="換了接頭",
            signature=data_url(out.getvalue()),
            by=worker,
            channel="field",
        )
    assert list(refused.value.message_dict) == ["signature"]
    assert WorkOrder.objects.get(pk=on_scene.pk).status == Status.IN_PROGRESS


def test_the_api_completes_with_a_signature_too(api, on_scene, worker):
    api.force_authenticate(user=worker)
    response = api.post(
        f"/api/v1/work-orders/{on_scene.pk}/complete/",
        {"work_done": "換了接頭", "signature": data_url(drawn_signature())},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert signatures.signature_of(on_scene) is not None
    refused = api.post(
        f"/api/v1/work-orders/{on_scene.pk}/complete/",
        {"work_done": "x", "signature": "data:image/png;base64,AAAA"},
        format="json",
    )
    assert refused.status_code in (400, 409)
