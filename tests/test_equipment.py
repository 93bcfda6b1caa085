"""The equipment register (設備台賬): add and edit with errors by field, the list's filters and
legal inspection warnings, the A4 sheet of QR labels and where a label leads, reporting a fault,
and the XLSX/CSV import and export (all or nothing, errors by row and column)."""

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from estate.accounts.roles import Role
from estate.core.importer import ImportRefused
from estate.core.tables import read_table, write_csv
from estate.equipment import actions
from estate.equipment.models import Equipment
from estate.properties.models import Building, DataExport
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock
from estate.workorders.choices import Kind, Status
from estate.workorders.models import WorkOrder
from tests.factories import BuildingFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def tower(bsw):
    return Building.objects.get(office=bsw, code="3")


@pytest.fixture
def lift(bsw, tower, manager):
    today = timezone.localdate()
    return actions.add_equipment(
        office=bsw,
        by=manager,
        code="DT-2",
        name="3棟1號客梯",
        kind="lift",
        building=tower,
        floor="B1",
        place="電梯機房",
        maker="日立",
        installed_on=today - timedelta(days=2000),
        inspection_every_months=12,
        next_inspection_on=today + timedelta(days=10),
    )


def _piece(office, code, name, **values):
    return actions.add_equipment(
        office=office, by=None, code=code, name=name, kind="water_pump", **values
    )


def test_add_with_bad_input_names_the_field(client, bsw, manager):
    client.force_login(manager)
    response = client.post(
        reverse("equipment:new"),
        {"code": "", "name": "生活水泵", "kind": "water_pump", "installed_on": "2026-13-40"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"code", "installed_on"}
    assert not Equipment.objects.exists()
    # What the user typed is kept.
    assert 'value="生活水泵"' in response.content.decode()


def test_add_and_edit_through_the_pages(client, bsw, manager, tower):
    client.force_login(manager)
    today = timezone.localdate()
    response = client.post(
        reverse("equipment:new"),
        {
            "code": "SB-1",
            "name": "生活水泵1號",
            "kind": "water_pump",
            "building": tower.pk,
            "last_inspected_on": (today - timedelta(days=30)).isoformat(),
            "inspection_every_months": "6",
        },
    )
    piece = Equipment.objects.get(code="SB-1")
    assert response.status_code == 302
    assert piece.office == bsw
    assert piece.next_inspection_on == actions.add_months(today - timedelta(days=30), 6)
    response = client.post(
        reverse("equipment:edit", args=[piece.pk]),
        {
            "code": "SB-1",
            "name": "生活水泵1號",
            "kind": "water_pump",
            "installed_on": "2020-05-01",
            "warranty_until": "2019-01-01",
        },
    )
    assert response.status_code == 400
    assert "warranty_until" in response.context["form"].errors
    piece.refresh_from_db()
    assert piece.warranty_until is None


def test_the_number_is_unique_within_the_office(bsw, other_office, lift):
    with pytest.raises(ValidationError) as refused:
        _piece(bsw, "DT-2", "另一台")
    assert "code" in refused.value.message_dict
    assert _piece(other_office, "DT-2", "翠湖的電梯").office == other_office


def test_a_legal_inspection_done_sets_the_next(lift, manager):
    done = timezone.localdate()
    lift = actions.record_inspection(lift, on=done, by=manager)
    assert lift.last_inspected_on == done
    assert lift.next_inspection_on == actions.add_months(done, 12)
    with pytest.raises(ValidationError) as refused:
        actions.record_inspection(lift, on=done - timedelta(days=1), by=manager)
    assert "on" in refused.value.message_dict


def test_add_months_keeps_the_end_of_the_month():
    from datetime import date

    assert actions.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert actions.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert actions.add_months(date(2026, 10, 7), 12) == date(2027, 10, 7)


def test_list_filters_due_soon_and_overdue_in_natural_order(client, bsw, manager, lift):
    today = timezone.localdate()
    _piece(bsw, "DT-10", "overdue pump", next_inspection_on=today - timedelta(days=1))
    _piece(bsw, "DT-3", "later pump", next_inspection_on=today + timedelta(days=200))
    client.force_login(manager)

    def codes(**params):
        response = client.get(reverse("equipment:list"), params)
        assert response.status_code == 200
        return [piece.code for piece in response.context["page"].items], response

    assert codes()[0] == ["DT-2", "DT-3", "DT-10"]
    assert codes(inspection="due")[0] == ["DT-2", "DT-10"]
    assert codes(inspection="overdue")[0] == ["DT-10"]
    assert codes(q="later")[0] == ["DT-3"]
    assert codes(q="dt-1")[0] == ["DT-10"]
    assert codes(kind="lift")[0] == ["DT-2"]
    _found, response = codes()
    page = response.content.decode()
    assert 'data-inspection="overdue"' in page
    assert 'data-inspection="due"' in page
    assert response.context["page"].count == 3


def test_the_page_warns_of_the_inspection_and_shows_orders(client, bsw, manager, lift):
    order = actions.report_fault(lift, description="門關不上", by=manager, channel="desk")
    client.force_login(manager)
    response = client.get(reverse("equipment:detail", args=[lift.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="inspection-warning"' in page
    assert "alert-warning" in page
    assert order.number in page
    assert [o.pk for o in response.context["open_orders"]] == [order.pk]


def test_report_a_fault_opens_a_repair_order_with_the_dispatch_clock(
    client, bsw, reception, worker, lift
):
    client.force_login(worker)
    response = client.post(reverse("equipment:fault", args=[lift.pk]), {"description": ""})
    assert response.status_code == 400
    assert "description" in response.context["fault_form"].errors
    response = client.post(
        reverse("equipment:fault", args=[lift.pk]), {"description": "電梯異響，3樓停不準"}
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get(equipment=lift)
    assert order.kind == Kind.REPAIR
    assert order.status == Status.NEW  # waits for the desk, like an online report
    assert order.location == "3棟 B1 電梯機房"
    assert "電梯異響" in order.description
    assert order.accountable == reception
    clock = Clock.objects.get(work_order=order, rule=Rule.ONLINE_DISPATCH)
    assert clock.state == ClockState.RUNNING
    assert clock.due_at == order.opened_at + timedelta(minutes=10)


def _pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_labels_are_an_a4_pdf_of_24_a_page(client, bsw, manager, lift):
    for number in range(1, 25):
        _piece(bsw, f"SB-{number}", f"水泵{number}號")
    client.force_login(manager)
    response = client.get(reverse("equipment:labels"), {"office": bsw.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    pages = text.split("\f")
    assert "DT-2" in pages[0]
    assert "3棟1號客梯" in pages[0]
    assert "電梯機房" in text
    assert sum(len(re.findall(r"\b(?:SB|DT)-\d+\b", page)) for page in pages) == 25
    assert len(re.findall(r"\b(?:SB|DT)-\d+\b", pages[0])) == 24
    assert re.findall(r"\b(?:SB|DT)-\d+\b", pages[1]) == ["SB-24"]
    # Filtered like the list: one kind only.
    only_lifts = _pdf_text(client.get(reverse("equipment:labels"), {"kind": "lift"}).content)
    assert "DT-2" in only_lifts
    assert "SB-1" not in only_lifts


def test_the_label_qr_code_holds_the_label_address(lift):
    import segno

    from estate.equipment.labels import labels_pdf

    address = f"https://estate.example/equipment/l/{lift.label_token}/"
    assert labels_pdf([lift], lambda piece: address).startswith(b"%PDF")
    assert segno.make(address, error="m").designator  # the same text the sheet encodes


def test_the_label_opens_the_page_for_own_office(client, manager, lift):
    client.force_login(manager)
    response = client.get(reverse("equipment:label", args=[lift.label_token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("equipment:detail", args=[lift.pk])


def test_a_label_of_another_office_is_refused_with_a_message(client, other_office, lift):
    stranger = staff("stranger", Role.RECEPTIONIST, other_office)
    client.force_login(stranger)
    response = client.get(reverse("equipment:label", args=[lift.label_token]))
    assert response.status_code == 403
    assert "此標籤屬於其他管理處。" in response.content.decode()
    assert "3棟1號客梯" not in response.content.decode()


def test_an_unknown_label(client, manager):
    client.force_login(manager)
    response = client.get(reverse("equipment:label", args=["nothing-here"]))
    assert response.status_code == 404
    assert "沒有設備使用這個標籤。" in response.content.decode()


def test_a_label_asks_the_anonymous_to_sign_in_and_comes_back(client, manager, lift):
    address = reverse("equipment:label", args=[lift.label_token])
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={address}"
    client.force_login(manager)
    assert client.get(address)["Location"] == reverse("equipment:detail", args=[lift.pk])


def test_another_office_sees_none_of_the_register(client, other_office, lift):
    stranger = staff("stranger", Role.RECEPTIONIST, other_office)
    client.force_login(stranger)
    assert client.get(reverse("equipment:detail", args=[lift.pk])).status_code == 404
    assert client.get(reverse("equipment:list")).context["page"].count == 0
    response = client.post(reverse("equipment:fault", args=[lift.pk]), {"description": "壞了"})
    assert response.status_code == 404
    assert not WorkOrder.objects.exists()


def test_a_receptionist_may_not_edit(client, reception, lift):
    client.force_login(reception)
    assert client.get(reverse("equipment:edit", args=[lift.pk])).status_code == 403


# Import and export -------------------------------------------------------------------------


def _export(client, office, file_format="xlsx"):
    response = client.get(reverse("equipment:export", args=[file_format]), {"office": office.pk})
    assert response.status_code == 200
    return response.content


def _import(client, office, name, content):
    return client.post(
        reverse("equipment:register"),
        {"office": office.pk, "file": SimpleUploadedFile(name, content)},
    )


def _snapshot(office):
    return [
        {f: getattr(p, f) for f in actions.EDITABLE}
        for p in Equipment.objects.filter(office=office).order_by("code")
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_exported_file_imports_back_unchanged(client, bsw, lift, file_format):
    head = staff("head", Role.HEAD, bsw)
    _piece(bsw, "SB-1", "生活水泵", contractor="申菱機電", contractor_phone="13900001234")
    client.force_login(head)
    before = _snapshot(bsw)
    content = _export(client, bsw, file_format)
    assert DataExport.objects.filter(office=bsw, what=f"equipment.{file_format}", rows=2).exists()
    response = _import(client, bsw, f"register.{file_format}", content)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert _snapshot(bsw) == before
    assert Equipment.objects.filter(office=bsw).count() == 2


def test_import_adds_new_pieces_with_chinese_headers(client, bsw, head):
    table = [
        [
            "設備編號",
            "設備名稱",
            "設備類型",
            "Building",
            "Installed on",
            "Legal inspection every (months)",
            "Last legal inspection",
        ],
        ["FD-1", "柴油發電機", "generator", "3棟", "2019/6/1", 12, "2026年1月15日"],
    ]
    client.force_login(head)
    response = _import(client, bsw, "new.csv", write_csv(table))
    assert response.status_code == 302
    piece = Equipment.objects.get(office=bsw, code="FD-1")
    assert piece.building.code == "3"
    assert piece.installed_on.isoformat() == "2019-06-01"
    assert piece.next_inspection_on.isoformat() == "2027-01-15"


def test_import_names_bad_rows_and_columns_and_saves_nothing(client, bsw, head, lift):
    table = [
        ["code", "name", "kind", "building", "installed_on"],
        ["SB-1", "水泵一", "water_pump", "3棟", "2020-01-01"],
        ["SB-2", "水泵二", "water_pump", "9棟", "2020-01-01"],
        ["SB-3", "水泵三", "water_pump", "", "明年"],
        ["SB-4", "水泵四", "spaceship", "", ""],
    ]
    client.force_login(head)
    response = _import(client, bsw, "bad.csv", write_csv(table))
    assert response.status_code == 400
    found = {(e.row, e.header) for e in response.context["errors"]}
    assert found == {(3, "building"), (4, "installed_on"), (5, "kind")}
    assert "9棟" in str(response.context["errors"][0])
    assert list(Equipment.objects.filter(office=bsw).values_list("code", flat=True)) == ["DT-2"]


def test_import_refuses_a_number_twice(bsw, head):
    table = [["code", "name", "kind"], ["A1", "一", "cctv"], ["A1", "二", "cctv"]]
    with pytest.raises(ImportRefused) as refused:
        actions.import_register(office=bsw, table=table, by=head)
    assert [(e.row, e.header) for e in refused.value.errors] == [(3, "code")]
    assert not Equipment.objects.exists()


def test_the_export_has_every_column_in_the_users_language(client, bsw, head, lift):
    client.force_login(head)
    rows = read_table("x.xlsx", _export(client, bsw))
    assert len(rows[0]) == 18
    assert rows[1][0] == "DT-2"
    assert rows[1][3] == "3棟"
    workbook = load_workbook(io.BytesIO(_export(client, bsw)))
    assert workbook.worksheets[0].title == bsw.name


def test_another_building_name_of_the_office_imports(bsw, head):
    BuildingFactory(
        office=bsw, site=Building.objects.get(office=bsw, code="3").site, code="10", name="會所"
    )
    table = [["code", "name", "kind", "building"], ["MJ-1", "門禁", "access_gate", "會所"]]
    assert actions.import_register(office=bsw, table=table, by=head) == (1, 0)
    assert Equipment.objects.get(code="MJ-1").building.name == "會所"


def test_the_demo_register_has_an_inspection_due_and_one_overdue(bsw):
    from collections import Counter

    from estate.demo.equipment import seed_equipment

    BuildingFactory(office=bsw, site=Building.objects.get(office=bsw, code="3").site, code="4")
    created: Counter[str] = Counter()
    seed_equipment(bsw, created)
    today = timezone.localdate()
    states = Counter(p.inspection_state(today) for p in Equipment.objects.filter(office=bsw))
    assert states["overdue"] == 1
    assert states["due"] == 1
    assert created["equipment"] == 10
    seed_equipment(bsw, created)
    assert created["equipment"] == 10  # a second run adds nothing


def test_an_order_is_never_opened_on_another_offices_equipment(bsw, other_office, reception):
    from estate.workorders.actions import open_work_order

    theirs = _piece(other_office, "DT-9", "翠湖的電梯")
    with pytest.raises(ValidationError) as refused:
        open_work_order(
            office=bsw, by=reception, channel="phone", kind=Kind.REPAIR, description="電梯異響",
            location="3棟", equipment=theirs,
        )  # fmt: skip
    assert "equipment" in refused.value.message_dict
    assert not WorkOrder.objects.exists()
