"""Roster import and export (住戶花名冊): CSV and XLSX, per-row errors, all or nothing, no duplicates."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from estate.accounts.roles import Role
from estate.core.tables import TableFileError, read_table
from estate.properties import actions
from estate.properties.models import Household, Resident, Unit
from estate.properties.roster import parse_roster
from tests.factories import BuildingFactory, SiteFactory, staff

HEADER_HANT = [
    "房號",
    "樓層",
    "面積（平方米）",
    "用途",
    "業主或租戶",
    "入住日期",
    "遷出日期",
    "住戶姓名",
    "電話",
    "其他電話",
    "聯絡方式",
    "主要聯絡人",
    "長者",
    "殘障",
]
HEADER_KEYS = [
    "address",
    "floor",
    "area",
    "use",
    "household_kind",
    "move_in",
    "move_out",
    "name",
    "phone",
    "phone_alt",
    "preferred_contact",
    "main_contact",
    "elderly",
    "disabled",
]


def csv_bytes(rows, header=HEADER_KEYS, encoding="utf-8"):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER_KEYS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    [
        "5-101",
        "1",
        "88.50",
        "residence",
        "owner",
        "2020-05-01",
        "",
        "李小紅",
        "13600001111",
        "",
        "call",
        "yes",
        "no",
        "no",
    ],
    [
        "5-101",
        "1",
        "88.50",
        "residence",
        "owner",
        "2020-05-01",
        "",
        "李大明",
        "13600002222",
        "",
        "sms",
        "no",
        "yes",
        "no",
    ],
    ["5-102", "1", "120.00", "shop", "", "", "", "", "", "", "", "", "", ""],
]


@pytest.fixture
def building_5(bsw):
    return BuildingFactory(office=bsw, site=SiteFactory(office=bsw), code="5")


def import_file(office, name, content):
    return actions.import_roster(office=office, roster=parse_roster(read_table(name, content)))


def test_csv_import_creates_units_households_and_residents(building_5, bsw):
    summary = import_file(bsw, "roster.csv", csv_bytes(GOOD_ROWS))
    assert (summary.units_created, summary.households_created, summary.residents_created) == (
        2,
        1,
        2,
    )
    unit = Unit.objects.get(office=bsw, address="5-101")
    assert unit.area == Decimal("88.50")
    household = Household.objects.get(unit=unit)
    assert household.kind == "owner"
    assert set(household.residents.values_list("name", "is_primary", "is_elderly")) == {
        ("李小紅", True, False),
        ("李大明", False, True),
    }
    assert Unit.objects.get(address="5-102").use == "shop"


def test_reimport_updates_without_duplicates(building_5, bsw):
    import_file(bsw, "roster.csv", csv_bytes(GOOD_ROWS))
    again = import_file(bsw, "roster.csv", csv_bytes(GOOD_ROWS))
    assert (again.units_created, again.households_created, again.residents_created) == (0, 0, 0)
    assert (again.units_updated, again.residents_updated) == (0, 0)
    changed = [row[:] for row in GOOD_ROWS]
    changed[0][8] = "13600009999"
    changed[2][2] = "121.5"
    summary = import_file(bsw, "roster.csv", csv_bytes(changed))
    assert (summary.units_updated, summary.residents_updated, summary.residents_created) == (
        1,
        1,
        0,
    )
    assert Resident.objects.get(name="李小紅").phone == "13600009999"
    assert Unit.objects.filter(address="5-101").count() == 1


def test_xlsx_with_chinese_headers_and_excel_dates(building_5, bsw):
    from datetime import datetime

    rows = [
        [
            "5-201",
            2,
            99.9,
            "住宅",
            "租戶",
            datetime(2024, 3, 1),
            None,
            "周杰",
            "139 0000 1234",
            None,
            "微信",
            "是",
            "否",
            "否",
        ]
    ]
    import_file(bsw, "名冊.xlsx", xlsx_bytes(rows, header=HEADER_HANT))
    resident = Resident.objects.get(name="周杰")
    assert resident.phone == "13900001234"
    assert resident.preferred_contact == "wechat"
    assert resident.household.kind == "tenant"
    assert str(resident.household.move_in) == "2024-03-01"


def test_gb18030_csv_as_saved_by_chinese_excel(building_5, bsw):
    import_file(bsw, "roster.csv", csv_bytes(GOOD_ROWS, header=HEADER_HANT, encoding="gb18030"))
    assert Resident.objects.filter(name="李小紅").exists()


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(building_5, bsw):
    rows = [
        GOOD_ROWS[0],
        [
            "5-301",
            "x",
            "-3",
            "castle",
            "owner",
            "2020-13-01",
            "",
            "",
            "12ab",
            "",
            "call",
            "maybe",
            "no",
            "no",
        ],
        ["7-101", "1", "80", "residence", "", "", "", "", "", "", "", "", "", ""],
        [
            "5-101",
            "1",
            "99.00",
            "residence",
            "owner",
            "2020-05-01",
            "",
            "李小紅",
            "13600001111",
            "",
            "call",
            "yes",
            "no",
            "no",
        ],
    ]
    with override("en"), pytest.raises(actions.RosterRejected) as rejected:
        import_file(bsw, "roster.csv", csv_bytes(rows))
    errors = [(e.row, e.column) for e in rejected.value.errors]
    assert (3, "Floor") in errors
    assert (3, "Floor area (m²)") in errors
    assert (3, "Use") in errors
    assert (3, "Move-in date") in errors
    assert (3, "Phone") in errors
    assert (3, "Main contact") in errors
    assert (3, "Resident name") in errors  # a phone without a name
    assert (4, "Unit address") in errors  # unknown building 7
    assert (5, "Unit address") in errors  # same address, other area
    assert (5, "Resident name") in errors  # the same person twice
    assert any("Unknown building 7" in e.message for e in rejected.value.errors)
    assert not Unit.objects.filter(address__startswith="5-").exists()
    assert not Resident.objects.filter(name="李小紅").exists()


def test_errors_are_in_the_users_language(building_5, bsw):
    rows = [["9-101", "1", "80", "", "", "", "", "", "", "", "", "", "", ""]]
    with override("zh-hant"), pytest.raises(actions.RosterRejected) as rejected:
        import_file(bsw, "roster.csv", csv_bytes(rows))
    (error,) = rejected.value.errors
    assert error.column == "房號"
    assert "未知的樓棟 9" in error.message


def test_wrong_and_missing_columns(building_5, bsw):
    header = ["address", "colour", "name"]
    with override("en"):
        parsed = parse_roster([header, ["5-101", "red", "x"]])
    problems = {(e.row, e.column, e.message) for e in parsed.errors}
    assert (1, "colour", "Unknown column. Use the headers of the exported roster.") in problems
    assert (1, "Floor area (m²)", "This required column is missing.") in problems
    assert not parsed.rows


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.xlsx", b"this is not a workbook"),
        ("roster.pdf", b"%PDF"),
        ("roster.csv", b""),
        ("roster.csv", b"\xff\xfe\x00garbage\x81"),
    ],
)
def test_broken_files_give_a_clear_error(name, content):
    with pytest.raises(TableFileError):
        parse_roster(read_table(name, content))


def test_export_then_import_round_trip(client, bsw, building_5):
    import_file(bsw, "roster.csv", csv_bytes(GOOD_ROWS))
    head = staff("head", Role.HEAD, bsw)
    client.force_login(head)
    for file_format in ("xlsx", "csv"):
        response = client.get(
            reverse("properties:roster_export", args=[file_format]), {"office": bsw.pk}
        )
        assert response.status_code == 200
        assert f".{file_format}" in response["Content-Disposition"]
        before = (Unit.objects.count(), Household.objects.count(), Resident.objects.count())
        summary = import_file(bsw, f"export.{file_format}", response.content)
        after = (Unit.objects.count(), Household.objects.count(), Resident.objects.count())
        assert before == after
        assert (summary.units_created, summary.residents_created, summary.residents_updated) == (
            0,
            0,
            0,
        )
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("properties:roster_export", args=["xlsx"]), {"office": bsw.pk}
            ).content
        )
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "房號"
    assert ("5-101", "李小紅") in {(row[0], row[7]) for row in rows[1:]}


def test_export_of_another_office_is_refused_and_each_export_is_recorded(
    client, bsw, reception, other_office
):
    from estate.properties.models import DataExport

    client.force_login(reception)
    response = client.get(
        reverse("properties:roster_export", args=["csv"]), {"office": other_office.pk}
    )
    assert response.status_code == 403
    assert "不能在該管理處" in response.text  # said, in the user's language
    assert not DataExport.objects.exists()
    client.get(reverse("properties:roster_export", args=["xlsx"]), {"office": bsw.pk})
    (export,) = DataExport.objects.all()
    assert (export.by, export.office, export.what, export.rows) == (
        reception,
        bsw,
        "roster.xlsx",
        1,
    )


def test_import_page_lists_errors_and_keeps_nothing(client, bsw, building_5):
    head = staff("head", Role.HEAD, bsw)
    client.force_login(head)
    bad = csv_bytes([["5-101", "1", "abc", "", "", "", "", "", "", "", "", "", "", ""]])
    response = client.post(
        reverse("properties:roster"),
        {"office": bsw.pk, "file": SimpleUploadedFile("roster.csv", bad, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "面積" in response.text
    assert 'data-testid="import-errors"' in response.text
    assert not Unit.objects.filter(address="5-101").exists()
    good = SimpleUploadedFile("roster.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("properties:roster"), {"office": bsw.pk, "file": good}, follow=True
    )
    assert Unit.objects.filter(address="5-101").exists()
    assert "2 units created, 0 updated; 1 households created" in response.text


def test_reception_may_export_but_not_import(client, reception, bsw, building_5):
    client.force_login(reception)
    assert client.get(reverse("properties:roster")).status_code == 200
    upload = SimpleUploadedFile("roster.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
    assert (
        client.post(reverse("properties:roster"), {"office": bsw.pk, "file": upload}).status_code
        == 403
    )
    assert not Unit.objects.filter(address="5-101").exists()
