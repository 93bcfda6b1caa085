"""One importer for every sheet: the roster and the meter readings take the same date and number
forms, report errors by the sheet's row and column in the user's language, and save all or
nothing."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook

from estate.accounts.roles import Role
from estate.billing.models import MeterReading
from estate.billing.readings import ImportRefused, import_readings
from estate.core.import_fields import SheetDateField, SheetDecimalField
from estate.core.importer import Column, Importer, unique
from estate.properties import actions
from estate.properties.models import Building, Household, Unit
from estate.properties.roster import parse_roster
from tests.factories import BuildingFactory, SiteFactory, staff

SEPT_30 = date(2026, 9, 30)
EXCEL_SERIAL = (SEPT_30 - date(1899, 12, 30)).days  # 46295: what Excel stores for the day

DATE_FORMS = [
    "2026-09-30",
    "2026/9/30",
    "2026.09.30",
    "2026年9月30日",
    "２０２６年９月３０日",  # full-width digits, as a Chinese input method types them
    "20260930",
    " 2026-9-30 ",
    "2026-09-30 00:00:00",  # a date cell saved to CSV by some spreadsheets
    datetime(2026, 9, 30),  # an XLSX date cell, as openpyxl reads it
    SEPT_30,
    EXCEL_SERIAL,  # a date cell formatted as a number
    float(EXCEL_SERIAL),
    20260930,  # the digits typed into a number cell
]

ROSTER_HEADER = ["address", "area", "household_kind", "move_in", "name"]
READINGS_HEADER = ["錶名", "季度", "上期讀數", "本期讀數", "抄錶日期"]


@pytest.fixture
def building_5(bsw):
    return BuildingFactory(office=bsw, site=SiteFactory(office=bsw), code="5")


@pytest.mark.parametrize("cell", DATE_FORMS, ids=repr)
def test_the_roster_and_the_readings_take_the_same_date_forms(bsw, building_5, fees, cell):
    table = [ROSTER_HEADER, ["5-101", "88.50", "owner", cell, "李小紅"]]
    actions.import_roster(office=bsw, roster=parse_roster(table))
    assert Household.objects.get(unit__address="5-101").move_in == SEPT_30

    import_readings(bsw, [READINGS_HEADER, ["3棟總水錶", "2026Q3", "1000", "1500", cell]])
    assert MeterReading.objects.get().read_on == SEPT_30


@pytest.mark.parametrize(
    "cell", ["2026-13-01", "2026-02-30", "30/09/2026", "next week", "2026年9月", -3, 2958466.0]
)
def test_a_bad_date_is_refused_by_both_with_the_same_message(bsw, building_5, fees, cell):
    with override("en"):
        roster = parse_roster([ROSTER_HEADER, ["5-101", "88.50", "owner", cell, "李小紅"]])
        with pytest.raises(ImportRefused) as refused:
            import_readings(bsw, [READINGS_HEADER, ["3棟總水錶", "2026Q3", "1", "2", cell]])
    ((roster_error,), (readings_error,)) = roster.errors, refused.value.errors
    assert (roster_error.row, roster_error.column) == (2, "Move-in date")
    assert (readings_error.row, readings_error.column) == (2, "read on")
    assert roster_error.message == readings_error.message
    assert roster_error.message.startswith("Write the date as YYYY-MM-DD")
    assert str(cell).strip() in roster_error.message  # says what it read


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("12,345,678", "12345678"),
        ("１２３", "123"),
        ("１２３．５", "123.5"),
        ("1 234.5", "1234.5"),
        ("1\u00a0234", "1234"),
        (99.9, "99.9"),
        (1500, "1500"),
        (Decimal("7.25"), "7.25"),
    ],
)
def test_number_forms(cell, number):
    assert SheetDecimalField(required=False).clean(cell) == Decimal(number)


@pytest.mark.parametrize("cell", ["abc", "十二", "1,5", "1,23,4", "1.2.3", "NaN", "Infinity", True])
def test_text_is_not_a_number(cell):
    with override("en"):
        with pytest.raises(forms.ValidationError) as refused:
            SheetDecimalField().clean(cell)
        assert refused.value.messages[0].startswith("Write a number")


def test_date_field_keeps_empty_cells_empty():
    assert SheetDateField(required=False).clean(None) is None
    assert SheetDateField(required=False).clean("  ") is None


def test_a_bad_number_is_named_by_row_and_column_in_chinese(bsw, fees, building_5):
    readings = [
        READINGS_HEADER,
        ["3棟總水錶", "2026Q3", "1000", "1500", "2026-09-30"],
        ["3棟總水錶", "2026Q4", "1500", "十二", "2026-12-31"],
    ]
    with override("zh-hant"), pytest.raises(ImportRefused) as refused:
        import_readings(bsw, readings)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "本期讀數")]
    assert "十二" in refused.value.errors[0].message

    roster = [
        ["房號", "面積（平方米）"],
        ["5-101", "88.5"],
        ["5-102", "八十"],
    ]
    with override("zh-hant"), pytest.raises(actions.RosterRejected) as rejected:
        actions.import_roster(office=bsw, roster=parse_roster(roster))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "面積（平方米）")]


def test_the_header_as_written_in_the_file_is_named_too(bsw, fees):
    sheet = [
        ["meter", "quarter", "previous", "current", "read on"],
        ["3棟總水錶", "2026Q3", "1000", "abc", "2026-09-30"],
    ]
    with override("zh-hant"), pytest.raises(ImportRefused) as refused:
        import_readings(bsw, sheet)
    (error,) = refused.value.errors
    assert (error.row, error.column, error.header) == (2, "本期讀數", "current")
    assert "本期讀數 (current)" in str(error)


def test_rows_keep_the_numbers_the_sheet_shows_across_blank_rows(bsw, fees, building_5):
    sheet = [
        READINGS_HEADER,
        ["3棟總水錶", "2026Q3", "1000", "1500", "2026-09-30"],
        [None, None, None, None, None],
        ["", "", "", "", ""],
        ["3棟總水錶", "2026Q4", "1500", "x", "2026-12-31"],
    ]
    with pytest.raises(ImportRefused) as refused:
        import_readings(bsw, sheet)
    assert [e.row for e in refused.value.errors] == [5]
    roster = [ROSTER_HEADER, [], ["5-101", "-1", "", "", ""]]
    assert [e.row for e in parse_roster(roster).errors] == [3]


def test_one_bad_row_saves_nothing(bsw, fees, building_5):
    good = [["3棟總水錶", "2026Q3", "1000", "1500", "2026-09-30"]]
    bad = [["3棟總水錶", "2026Q4", "1500", "1400", "2026-12-31"]]  # runs backwards
    with pytest.raises(ImportRefused):
        import_readings(bsw, [READINGS_HEADER, *good, *bad])
    assert not MeterReading.objects.exists()

    rows = [["5-101", "88.50", "owner", "2026/9/30", "李小紅"], ["5-102", "0", "", "", ""]]
    with pytest.raises(actions.RosterRejected):
        actions.import_roster(office=bsw, roster=parse_roster([ROSTER_HEADER, *rows]))
    assert not Unit.objects.filter(address__startswith="5-").exists()


def test_duplicate_rows_in_a_file(bsw, fees, building_5):
    sheet = [
        READINGS_HEADER,
        ["3棟總水錶", "2026Q3", "1000", "1500", "2026-09-30"],
        ["3棟總水錶", "2026q3", "1000", "1500", "2026/9/30"],  # the same reading, written otherwise
    ]
    with override("en"), pytest.raises(ImportRefused) as refused:
        import_readings(bsw, sheet)
    (error,) = refused.value.errors
    assert (error.row, error.column) == (3, "quarter")
    assert "appears twice (first on row 2)" in error.message
    assert not MeterReading.objects.exists()

    roster = [
        ROSTER_HEADER,
        ["5-101", "88.50", "owner", "2020-05-01", "李小紅"],
        ["5-101", "88.50", "owner", "2020/5/1", "李小紅"],
    ]
    with override("en"):
        (error,) = parse_roster(roster).errors
    assert (error.row, error.column) == (3, "Resident name")
    assert "already on row 2" in error.message


def test_a_column_twice_and_unknown_columns(bsw, fees):
    with override("en"), pytest.raises(ImportRefused) as refused:
        import_readings(bsw, [[*READINGS_HEADER, "current"], ["3棟總水錶"]])
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (1, "current", "This column appears twice.")
    ]
    # Notes beside the readings are left alone; the roster, which is exported, refuses them.
    import_readings(
        bsw, [[*READINGS_HEADER, "備註"], ["3棟總水錶", "2026Q3", "1", "2", "2026-09-30", "ok"]]
    )
    assert MeterReading.objects.count() == 1


class _BuildingRow(forms.Form):
    code = forms.CharField()
    floors = forms.IntegerField(required=False)


def test_a_new_kind_of_import_is_a_form_and_a_save(bsw):
    site = SiteFactory(office=bsw)
    buildings = Importer(
        _BuildingRow,
        columns=(
            Column("code", "code", required=True, aliases=("樓棟",)),
            Column("floors", "floors"),
        ),
        checks=(unique("code", message="%(value)s is already on row %(first)d."),),
    )

    def save(rows):
        return [Building.objects.create(office=bsw, site=site, code=r.data["code"]) for r in rows]

    made = buildings.run([["樓棟", "Floors"], ["8", "30"], ["9", ""]], save)
    assert [b.code for b in made] == ["8", "9"]
    with pytest.raises(ImportRefused) as refused:
        buildings.run([["code"], ["10"], ["10"]], save)
    assert [(e.row, e.message) for e in refused.value.errors] == [(3, "10 is already on row 2.")]

    def half_then_fail(rows):
        Building.objects.create(office=bsw, site=site, code=rows[0].data["code"])
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        buildings.run([["code"], ["11"], ["12"]], half_then_fail)
    assert not Building.objects.filter(code="11").exists()  # the save ran in one transaction


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_readings_through_the_upload_page(client, cashier, bsw, fees):
    client.force_login(cashier)
    content = _xlsx(
        [
            READINGS_HEADER,
            ["3棟總水錶", "2026Q3", 1000, "1,500", datetime(2026, 9, 30)],
            ["3棟總水錶", "2026Q4", "1,500", 1620.5, "2026年12月31日"],
        ]
    )
    page = client.post(
        reverse("billing:readings") + f"?office={bsw.pk}",
        {"file": SimpleUploadedFile("抄錶.xlsx", content)},
    )
    assert page.status_code == 302
    assert [(r.read_on, r.usage) for r in MeterReading.objects.order_by("quarter")] == [
        (SEPT_30, Decimal("500.00")),
        (date(2026, 12, 31), Decimal("120.50")),
    ]


def test_xlsx_roster_through_the_upload_page(client, bsw, building_5):
    client.force_login(staff("head", Role.HEAD, bsw))
    good = _xlsx(
        [
            ["房號", "面積（平方米）", "业主或租户", "入住日期", "住戶姓名"],  # zh-Hans header too
            ["5-101", 88.5, "業主", "2026.09.30", "李小紅"],
            ["5-102", "１２０", "租戶", datetime(2026, 9, 30), "周杰"],
        ]
    )
    bad = _xlsx([["房號", "面積（平方米）"], ["5-101", "88.5"], ["5-103", "很大"]])
    refused = client.post(
        reverse("properties:roster"),
        {"office": bsw.pk, "file": SimpleUploadedFile("名冊.xlsx", bad)},
    )
    assert refused.status_code == 400
    assert "<td>3</td><td>面積（平方米）</td>" in refused.text
    assert not Unit.objects.filter(address__startswith="5-").exists()

    done = client.post(
        reverse("properties:roster"),
        {"office": bsw.pk, "file": SimpleUploadedFile("名冊.xlsx", good)},
    )
    assert done.status_code == 302
    assert Unit.objects.get(address="5-102").area == Decimal("120.00")
    assert set(
        Household.objects.filter(unit__building=building_5).values_list("move_in", flat=True)
    ) == {SEPT_30}
