"""The registry of the demo: its offices, their buildings and units, and the departments.

The departments are the campus's own (whose staff and students make requests) and 碧水灣's
directory of the outside bodies its desk refers matters to (首問責任制). Households,
residents and requesters are in ``people``; they are random, these are fixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from estate.demo.common import create_missing
from estate.properties.choices import OfficeKind, SiteKind, UnitUse
from estate.properties.models import Building, Company, Department, Office, Site, Unit, unit_address

# --- Offices -------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    kind: str
    phone: str
    address: str
    site_name: str
    site_kind: str
    site_address: str


BSW = OfficeSpec(
    code="BSW",
    name="碧水灣管理處",
    kind=OfficeKind.PROPERTY,
    phone="057186661200",
    address="濱江路 88 號碧水灣小區會所一樓",
    site_name="碧水灣小區",
    site_kind=SiteKind.COMMUNITY,
    site_address="濱江路 88 號",
)
CAMPUS = OfficeSpec(
    code="CAMPUS",
    name="後勤管理處客戶服務中心",
    kind=OfficeKind.CAMPUS,
    phone="057186912345",
    address="學源街 18 號東校區行政樓一樓",
    site_name="東校區",
    site_kind=SiteKind.CAMPUS,
    site_address="學源街 18 號",
)


# --- Buildings and units ---------------------------------------------------------------


def _areas(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(value) for value in values)


# Floor plans: the area of each position on a floor (01, 02, …), the same on every floor,
# as in a real tower where flats are stacked.
SMALL = _areas("58.30", "72.15", "86.90", "86.74", "72.38", "61.05")
MEDIUM = _areas("89.46", "118.20", "118.35", "92.70")
LARGE = _areas("143.60", "168.75")
CLASSROOMS = _areas("128.00", "64.00", "64.00", "96.00", "96.00", "64.00", "64.00", "128.00")
DORM_ROOMS = _areas("26.80", *["22.40"] * 18, "26.80")  # corner rooms are larger
OFFICES = _areas("36.50", "24.80", "24.80", "24.80", "48.60", "24.80", "24.80", "36.50")
SHOPS = _areas("45.20", "63.80", "120.50")


@dataclass(frozen=True)
class BuildingSpec:
    code: str
    name: str
    floors: int
    layout: tuple[Decimal, ...]
    use: str = UnitUse.RESIDENCE
    # Street-facing buildings let their ground floor as shops instead of flats.
    shops: tuple[Decimal, ...] = ()
    # A basement (B1: bicycle store, plant rooms) is registered as a common area.
    basement: Decimal | None = None


def _bsw(code: int, floors: int, layout: tuple[Decimal, ...], **extra: Any) -> BuildingSpec:
    return BuildingSpec(str(code), f"{code}棟", floors, layout, **extra)


BSW_BUILDINGS: tuple[BuildingSpec, ...] = (
    _bsw(1, 18, MEDIUM, shops=SHOPS),
    _bsw(2, 18, MEDIUM, shops=SHOPS),
    _bsw(3, 26, MEDIUM, basement=Decimal("860.00")),
    _bsw(4, 26, MEDIUM, basement=Decimal("860.00")),
    _bsw(5, 33, SMALL, basement=Decimal("1120.00")),
    _bsw(6, 33, SMALL, basement=Decimal("1120.00")),
    _bsw(7, 11, LARGE),
    _bsw(8, 11, LARGE),
    _bsw(9, 11, LARGE),
    _bsw(10, 24, MEDIUM),
    _bsw(11, 24, MEDIUM),
    _bsw(12, 30, SMALL, basement=Decimal("1040.00")),
    _bsw(13, 30, SMALL, basement=Decimal("1040.00")),
    _bsw(14, 17, MEDIUM),
    _bsw(15, 17, MEDIUM),
    _bsw(16, 28, MEDIUM, basement=Decimal("920.00")),
    _bsw(17, 28, MEDIUM, basement=Decimal("920.00")),
    _bsw(18, 32, MEDIUM, basement=Decimal("980.00")),
    _bsw(19, 15, LARGE),
    _bsw(20, 21, SMALL, shops=SHOPS),
)

_TEACHING_NAMES = ("第一教學樓", "第二教學樓", "第三教學樓", "第四教學樓")
CAMPUS_BUILDINGS: tuple[BuildingSpec, ...] = (
    *(
        BuildingSpec(f"T{n}", name, 5, CLASSROOMS, use=UnitUse.OFFICE)
        for n, name in enumerate(_TEACHING_NAMES, start=1)
    ),
    *(
        BuildingSpec(f"D{n}", f"學生宿舍{n}號樓", 5, DORM_ROOMS, use=UnitUse.DORMITORY)
        for n in range(1, 7)
    ),
    BuildingSpec("A1", "行政樓", 6, OFFICES, use=UnitUse.OFFICE),
)


@dataclass(frozen=True)
class UnitPlan:
    number: str
    floor: int
    area: Decimal
    use: str


def plan_units(spec: BuildingSpec) -> tuple[UnitPlan, ...]:
    """Every unit of a building, numbered <floor><2-digit position>: 1202 is floor 12, 02."""
    units: list[UnitPlan] = []
    if spec.basement is not None:
        units.append(UnitPlan("B1", -1, spec.basement, UnitUse.COMMON_AREA))
    for floor in range(1, spec.floors + 1):
        use: str
        if floor == 1 and spec.shops:
            layout, use = spec.shops, UnitUse.SHOP
        else:
            layout, use = spec.layout, spec.use
        for position, area in enumerate(layout, start=1):
            units.append(UnitPlan(f"{floor}{position:02d}", floor, area, use))
    return tuple(units)


# --- Departments and the referral directory ----------------------------------------------

# Offices have only staff; colleges have staff and (mostly) students.
STAFF_ONLY_DEPARTMENTS = ("教務處", "圖書館", "學生處")
COLLEGES = ("計算機學院", "外國語學院", "經濟管理學院", "機電工程學院")
DEPARTMENTS = STAFF_ONLY_DEPARTMENTS + COLLEGES


@dataclass(frozen=True)
class DepartmentSpec:
    """A department with what it handles, so the desk knows where to refer a matter (首問責任制)."""

    office: str
    name: str
    scope: str
    phone: str
    location: str
    is_external: bool = False  # outside the office: its people are not requesters


DEPARTMENT_SPECS: tuple[DepartmentSpec, ...] = (
    # The campus departments whose staff and students make requests (see DEPARTMENTS).
    DepartmentSpec(
        "CAMPUS",
        "教務處",
        "教學運行與考務：課表編排及調課停課、教室借用、考試安排、成績單和學籍證明、教材訂購。"
        "教室裡的設備故障請報水電維修中心。",
        "057186912201",
        "行政樓三樓 301 室",
    ),
    DepartmentSpec(
        "CAMPUS",
        "圖書館",
        "圖書借還與續借、閱覽室及自習座位預約、電子資源與校外訪問、研討間借用；"
        "館內照明和空調故障由圖書館總服務台統一報修。",
        "057186912230",
        "圖書館一樓總服務台",
    ),
    DepartmentSpec(
        "CAMPUS",
        "學生處",
        "學生事務：獎助學金和勤工助學、學生證補辦、心理健康諮詢、宿舍分配政策、"
        "學生違紀處理及家校聯繫。",
        "057186912210",
        "行政樓二樓 205 室",
    ),
    DepartmentSpec(
        "CAMPUS",
        "計算機學院",
        "本院教學和學生事務：學院機房及實驗室的使用安排、本院學生在讀證明、畢業設計；"
        "機房網絡和電腦故障由學院實驗中心處理。",
        "057186912410",
        "第三教學樓五樓學院辦公室",
    ),
    DepartmentSpec(
        "CAMPUS",
        "外國語學院",
        "本院教學和學生事務：語音室使用安排、本院學生在讀證明、外語考試報名諮詢；"
        "語音室設備故障由學院語言中心處理。",
        "057186912420",
        "第二教學樓四樓學院辦公室",
    ),
    DepartmentSpec(
        "CAMPUS",
        "經濟管理學院",
        "本院教學和學生事務：案例討論室借用、本院學生在讀證明、實習和就業推薦。",
        "057186912430",
        "第四教學樓三樓學院辦公室",
    ),
    DepartmentSpec(
        "CAMPUS",
        "機電工程學院",
        "本院教學和學生事務：實訓車間和實驗室的使用安排與安全、本院學生在讀證明、"
        "學科競賽；實驗設備故障由學院實驗中心處理。",
        "057186912440",
        "第一教學樓二樓學院辦公室",
    ),
    # Where 碧水灣's desk refers what the office does not handle itself.
    DepartmentSpec(
        "BSW",
        "社區居委會",
        "戶籍和居住登記、老年人優待證、低保及殘疾人補貼、計劃生育服務、鄰里糾紛調解、"
        "社區活動和志願服務。",
        "057186665501",
        "濱江路 90 號社區服務中心二樓",
        is_external=True,
    ),
    DepartmentSpec(
        "BSW",
        "轄區派出所",
        "戶口和身份證辦理、盜竊及治安案件報案、經勸阻無效的噪音擾民和違章行為、"
        "車輛刮蹭糾紛。緊急情況直接撥打 110。",
        "057186677110",
        "濱江路 126 號",
        is_external=True,
    ),
    DepartmentSpec(
        "BSW",
        "供電所",
        "市政線路故障造成的整棟或片區停電、電表及表箱以外的供電線路、電費查詢和繳納、"
        "新裝增容。國家電網客服 95598。戶內跳閘先由維修班檢查。",
        "95598",
        "濱江供電營業廳（江南大道 420 號）",
        is_external=True,
    ),
    DepartmentSpec(
        "BSW",
        "自來水公司",
        "市政供水管網故障和計劃停水、水表以外的供水管道、水質問題檢測、水費查詢和繳納。"
        "小區內部管道漏水由維修班處理。",
        "057187213456",
        "江南大道 300 號供水營業廳",
        is_external=True,
    ),
    DepartmentSpec(
        "BSW",
        "燃氣公司",
        "燃氣洩漏搶修（先關閉總閥、開窗通風、不要開關電器）、燃氣表故障和欠費停氣、"
        "開通點火、改管及安全檢查。",
        "057185190119",
        "濱江燃氣服務站（聞濤路 58 號）",
        is_external=True,
    ),
    DepartmentSpec(
        "BSW",
        "有線電視及寬帶運營商",
        "寬帶斷網和網速慢、有線電視無信號、裝機移機和光纖入戶。電信 10000、移動 10086、"
        "聯通 10010；需要進入弱電井時由維修班配合開門。",
        "10000",
        "會所一樓聯合營業點（週六上午）",
        is_external=True,
    ),
    DepartmentSpec(
        "BSW",
        "碧水灣置業（開發商）",
        "保修期內的房屋質量問題：外牆和屋面滲水、牆體裂縫、門窗安裝缺陷、管道預埋等施工單位"
        "遺留問題。管理處登記後移交開發商工程部，由其安排施工單位返修。",
        "057186665588",
        "碧水灣售樓處二樓工程部",
        is_external=True,
    ),
)


# --- Writing it ----------------------------------------------------------------------


def seed_office(company: Company, spec: OfficeSpec, created: Counter[str]) -> tuple[Office, Site]:
    office, new = Office.objects.get_or_create(
        code=spec.code,
        defaults={
            "company": company,
            "name": spec.name,
            "kind": spec.kind,
            "timezone": "Asia/Shanghai",
            "opens_at": time(8, 30),
            "closes_at": time(17, 30),
            "phone": spec.phone,
            "address": spec.address,
        },
    )
    created["offices"] += new
    site, new = Site.objects.get_or_create(
        office=office,
        name=spec.site_name,
        defaults={"kind": spec.site_kind, "address": spec.site_address},
    )
    created["sites"] += new
    return office, site


def seed_buildings(site: Site, specs: Sequence[BuildingSpec], created: Counter[str]) -> None:
    office = site.office
    in_office = Building.objects.filter(office=office)
    buildings = [
        Building(office=office, site=site, code=spec.code, name=spec.name, floors=spec.floors)
        for spec in specs
    ]
    created["buildings"] += create_missing(in_office, buildings, key=["code"])

    by_code = {building.code: building for building in in_office}
    units = [
        # bulk_create skips Unit.save(), which is what derives the address.
        Unit(
            office=office,
            building=by_code[spec.code],
            number=unit.number,
            address=unit_address(spec.code, unit.number),
            floor=unit.floor,
            area=unit.area,
            use=unit.use,
        )
        for spec in specs
        for unit in plan_units(spec)
    ]
    created["units"] += create_missing(Unit.objects.filter(office=office), units, key=["address"])


def seed_departments(offices: dict[str, Office], created: Counter[str]) -> None:
    """The campus departments and 碧水灣's referral directory, with what each handles.

    A department an earlier version of the demo made with a name only gets its scope,
    phone and location filled in; one with any of them set is left as it is.
    """
    in_offices = Department.objects.filter(office__in=offices.values())
    departments = [
        Department(
            office=offices[spec.office],
            name=spec.name,
            scope=spec.scope,
            phone=spec.phone,
            location=spec.location,
            is_external=spec.is_external,
        )
        for spec in DEPARTMENT_SPECS
    ]
    created["departments"] += create_missing(in_offices, departments, key=["office_id", "name"])
    bare = set(in_offices.filter(scope="", phone="", location="").values_list("office_id", "name"))
    for department in departments:
        if (department.office_id, department.name) in bare:
            in_offices.filter(office_id=department.office_id, name=department.name).update(
                scope=department.scope, phone=department.phone, location=department.location
            )
            created["departments described"] += 1
