"""Demo data for trying estate out, built by ``manage.py seed_demo``.

One company with two offices: 碧水灣管理處, a residential community of 20 buildings and
about 2,000 units, most of them lived in; and a campus service centre with teaching
buildings, dormitories, departments and their staff and students. Both get service
units, and there is one login per role, all with ``settings.DEMO_PASSWORD``.

The work is done in two steps, kept apart on purpose:

* ``make_plan(rng)`` decides everything that is random (names, phones, households) as
  plain frozen dataclasses, without touching the database. The same seed gives the same
  plan, so every run builds the same demo and the tests can compare two plans.
* ``seed(plan)`` writes the plan. Rows are looked up by their natural key (office code,
  building code, unit address, username…) and only the missing ones are created;
  nothing that exists is updated. Running it again is harmless, and fast.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from estate.accounts.models import StaffRole, User
from estate.accounts.roles import Role
from estate.properties.choices import (
    ContactPreference,
    HouseholdKind,
    OfficeKind,
    RequesterKind,
    ServiceUnitKind,
    SiteKind,
    UnitUse,
)
from estate.properties.models import (
    Building,
    Company,
    Department,
    Household,
    Office,
    Resident,
    ServiceUnit,
    Site,
    Unit,
    unit_address,
)

SEED = 2026
COMPANY_NAME = "安居物業管理有限公司"
# The demo resident's flat; docs and tests quote it, so the plan always fills it.
ANCHOR_ADDRESS = "3-1202"
RESIDENT_USERNAME = "resident"

# A fixed window rather than "until today": the plan must not depend on the day it runs.
MOVE_IN_FIRST = date(2012, 1, 1)
MOVE_IN_LAST = date(2026, 6, 30)
TENANTS_FROM = date(2019, 1, 1)  # leases are recent; owners have lived here longer


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


# --- People --------------------------------------------------------------------------

# The most common surnames first; weights roughly follow how often they occur.
SURNAMES = (
    "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田"
    "董袁潘于蔣蔡余杜葉程蘇魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋方白鄒"
    "孟熊秦邱江尹薛段雷侯龍史陶黎賀顧毛郝龔邵萬錢嚴武戴莫孔向湯"
)
_SURNAME_WEIGHTS = [max(1.0, 12.0 - i * 0.25) for i in range(len(SURNAMES))]
# Given-name characters by the sex they are usually given to, so that names read naturally.
MALE_CHARACTERS = (
    "偉強磊軍洋勇傑濤明超剛建國志鵬飛海波宇浩博睿軒俊鑫峰斌亮凱德成林立新"
    "龍東興遠昊澤輝華文平兵勝榮瑞晨子一安然嘉宏毅正家"
)
FEMALE_CHARACTERS = (
    "芳娜敏靜麗艷娟蘭霞桂英紅玉梅婷雪琳欣怡涵思雨佳嘉丹萍玲燕瑩慧穎鳳秀"
    "春雲寧璐瑤蕾倩潔薇琪曉可若月瓊蓉晨子一安文華平"
)
# Real mobile prefixes of the three carriers, limited to 13x/15x/18x/19x.
MOBILE_PREFIXES = (
    *(f"13{digit}" for digit in "0123456789"),
    *(f"15{digit}" for digit in "012356789"),
    *(f"18{digit}" for digit in "0123456789"),
    *(f"19{digit}" for digit in "1356789"),
)

ELDERLY_NOTES = (
    "獨居老人，停水停電時請優先告知",
    "年事已高，行動較慢，上門請耐心等候開門",
    "子女不在身邊，緊急情況請同時聯繫家屬",
    "患有慢性病，家中有製氧機，停電前請提前通知",
)
DISABLED_NOTES = (
    "使用輪椅，電梯停運時需上門協助",
    "視力障礙，上門時請先自報身份",
    "行動不便，上門維修請多預留時間",
    "聽力障礙，上門時請敲門並稍候",
)


class PhoneBook:
    """Hands out mobile numbers that are unique within one plan."""

    def __init__(self, rng: random.Random, reserved: Iterable[str] = ()) -> None:
        self.rng = rng
        self.used = set(reserved)

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used:
                self.used.add(number)
                return number


def chinese_name(rng: random.Random, female: bool, surname: str | None = None) -> str:
    """A surname and a one- or two-character given name; most given names have two."""
    surname = surname or rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    characters = FEMALE_CHARACTERS if female else MALE_CHARACTERS
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(characters) for _ in range(length))


def coin(rng: random.Random) -> bool:
    return rng.random() < 0.5


def preferred_contact(rng: random.Random) -> str:
    return rng.choices(
        [ContactPreference.CALL, ContactPreference.SMS, ContactPreference.WECHAT],
        weights=[70, 12, 18],
    )[0]


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


@dataclass(frozen=True)
class PersonPlan:
    name: str
    phone: str
    phone_alt: str
    preferred_contact: str
    is_primary: bool = False
    is_elderly: bool = False
    is_disabled: bool = False
    assistance_note: str = ""


@dataclass(frozen=True)
class HouseholdPlan:
    address: str
    kind: str
    move_in: date
    residents: tuple[PersonPlan, ...]

    @property
    def primary(self) -> PersonPlan:
        return next(person for person in self.residents if person.is_primary)


def plan_person(rng: random.Random, phones: PhoneBook, name: str, primary: bool) -> PersonPlan:
    elderly = rng.random() < 0.08
    disabled = rng.random() < 0.02
    # Every disabled resident gets a note; about half of the elderly need one.
    if disabled:
        note = rng.choice(DISABLED_NOTES)
    elif elderly and rng.random() < 0.5:
        note = rng.choice(ELDERLY_NOTES)
    else:
        note = ""
    return PersonPlan(
        name=name,
        phone=phones.mobile(),
        phone_alt=phones.mobile() if rng.random() < 0.12 else "",
        preferred_contact=preferred_contact(rng),
        is_primary=primary,
        is_elderly=elderly,
        is_disabled=disabled,
        assistance_note=note,
    )


def plan_household(rng: random.Random, phones: PhoneBook, address: str, kind: str) -> HouseholdPlan:
    first = TENANTS_FROM if kind == HouseholdKind.TENANT else MOVE_IN_FIRST
    size = rng.choices([1, 2, 3, 4], weights=[20, 35, 30, 15])[0]
    female = coin(rng)
    names = [chinese_name(rng, female)]
    if size >= 2:
        names.append(chinese_name(rng, not female))  # a spouse, with a surname of their own
    # Children usually take their father's surname.
    father = names[1] if female and size >= 2 else names[0]
    while len(names) < size:
        child = chinese_name(rng, coin(rng), surname=father[0])
        if child not in names:  # one household never has two people of the same name
            names.append(child)
    residents = tuple(
        plan_person(rng, phones, name, primary=(i == 0)) for i, name in enumerate(names)
    )
    return HouseholdPlan(address, kind, random_day(rng, first, MOVE_IN_LAST), residents)


def plan_households(
    rng: random.Random, phones: PhoneBook, buildings: Sequence[BuildingSpec]
) -> tuple[HouseholdPlan, ...]:
    """About 90% of flats are lived in, 80% of those by their owners."""
    households = []
    for spec in buildings:
        for unit in plan_units(spec):
            if unit.use != UnitUse.RESIDENCE:
                continue
            address = unit_address(spec.code, unit.number)
            occupied = rng.random() < 0.9
            kind = HouseholdKind.OWNER if rng.random() < 0.8 else HouseholdKind.TENANT
            if address == ANCHOR_ADDRESS:
                occupied, kind = True, HouseholdKind.OWNER
            if occupied:
                households.append(plan_household(rng, phones, address, kind))
    return tuple(households)


# --- Campus departments and requesters ---------------------------------------------------

# Offices have only staff; colleges have staff and (mostly) students.
STAFF_ONLY_DEPARTMENTS = ("教務處", "圖書館", "學生處")
COLLEGES = ("計算機學院", "外國語學院", "經濟管理學院", "機電工程學院")
DEPARTMENTS = STAFF_ONLY_DEPARTMENTS + COLLEGES
REQUESTER_COUNT = 200


@dataclass(frozen=True)
class RequesterPlan:
    department: str
    kind: str
    name: str
    phone: str
    preferred_contact: str


def plan_requesters(rng: random.Random, phones: PhoneBook) -> tuple[RequesterPlan, ...]:
    requesters = []
    for _ in range(REQUESTER_COUNT):
        department = rng.choices(DEPARTMENTS, weights=[1, 1, 1, 4, 4, 4, 4])[0]
        student = department in COLLEGES and rng.random() < 0.75
        # Students answer messages rather than calls.
        contact = ContactPreference.WECHAT if student else preferred_contact(rng)
        requesters.append(
            RequesterPlan(
                department=department,
                kind=RequesterKind.STUDENT if student else RequesterKind.STAFF,
                name=chinese_name(rng, coin(rng)),
                phone=phones.mobile(),
                preferred_contact=contact,
            )
        )
    return tuple(requesters)


# --- Staff logins and service units ---------------------------------------------------


@dataclass(frozen=True)
class StaffLogin:
    username: str
    display_name: str
    phone: str
    role: str
    office: str | None  # office code; None for company-wide roles
    service_unit: str = ""
    superuser: bool = False


STAFF_LOGINS: tuple[StaffLogin, ...] = (
    StaffLogin("reception", "周曉琳", "13957120481", Role.RECEPTIONIST, "BSW"),
    StaffLogin("manager", "陳志明", "13857160322", Role.MANAGER, "BSW"),
    StaffLogin("head", "林國華", "13605718876", Role.HEAD, "BSW"),
    StaffLogin("repair_lead", "王建軍", "15868104417", Role.TEAM_LEAD, "BSW", "維修班"),
    StaffLogin("clean_lead", "劉桂芳", "15957193305", Role.TEAM_LEAD, "BSW", "清潔班"),
    StaffLogin("worker", "張偉", "18058712269", Role.WORKER, "BSW", "維修班"),
    StaffLogin("cashier", "黃麗娟", "18757103390", Role.CASHIER, "BSW"),
    StaffLogin("leader", "趙明遠", "13906510001", Role.LEADERSHIP, None),
    StaffLogin("admin", "孫立新", "13306517702", Role.ADMINISTRATOR, None, superuser=True),
    StaffLogin("campus_desk", "吳婷婷", "19857126608", Role.RECEPTIONIST, "CAMPUS"),
)


@dataclass(frozen=True)
class ServiceUnitSpec:
    office: str
    name: str
    kind: str
    scope: str
    phone: str
    location: str
    lead: str = ""  # username
    duty_officers: tuple[str, ...] = ()


SERVICE_UNITS: tuple[ServiceUnitSpec, ...] = (
    ServiceUnitSpec(
        "BSW",
        "維修班",
        ServiceUnitKind.REPAIR,
        "戶內及公共區域的水電、門窗、五金維修：漏水滲水、下水道堵塞、跳閘停電、燈具開關插座、"
        "門鎖、樓宇對講與門禁故障；樓道燈、消防栓箱、信報箱等公共設施。戶內有償維修按收費標準"
        "執行。電梯故障由電梯維保單位處理，維修班負責報修與跟進。",
        "057186661210",
        "3棟地下室維修間",
        lead="repair_lead",
        duty_officers=("repair_lead", "worker"),
    ),
    ServiceUnitSpec(
        "BSW",
        "清潔班",
        ServiceUnitKind.CLEANING,
        "公共區域保潔與垃圾清運：樓道、電梯轎廂、大堂、地下車庫的日常清潔；垃圾分類投放點清理，"
        "大件垃圾及裝修垃圾預約清運；化糞池、雨污水井清掏；蚊蠅蟑螂鼠等除四害消殺。",
        "057186661220",
        "5棟地下室保潔間",
        lead="clean_lead",
        duty_officers=("clean_lead",),
    ),
    ServiceUnitSpec(
        "BSW",
        "保安部",
        ServiceUnitKind.SECURITY,
        "小區出入口門崗、巡邏與監控：訪客及車輛登記、停車秩序、門禁卡辦理；噪音擾民、"
        "違章搭建、高空拋物、可疑人員的勸阻與報警；消防巡查與突發事件應急處置；"
        "快遞外賣人員進出管理。",
        "057186661230",
        "南大門監控中心",
        duty_officers=("manager",),
    ),
    ServiceUnitSpec(
        "BSW",
        "客服中心",
        ServiceUnitKind.CUSTOMER_SERVICE,
        "報事報修受理與派單、投訴建議、物業費及水電費繳費查詢、裝修申請與驗收、鑰匙和門禁卡"
        "登記、業主資料變更、社區通知發佈，以及處理完畢後的回訪。",
        "057186661200",
        "會所一樓服務大廳",
        duty_officers=("reception",),
    ),
    ServiceUnitSpec(
        "BSW",
        "禮賓部",
        ServiceUnitKind.CONCIERGE,
        "大堂禮賓服務：訪客接待與引導、快遞包裹代收代寄、雨傘及手推車借用、搬家預約及電梯"
        "保護、代叫出租車等便民服務。",
        "057186661250",
        "各棟一樓大堂",
        duty_officers=("reception",),
    ),
    ServiceUnitSpec(
        "CAMPUS",
        "水電維修中心",
        ServiceUnitKind.UTILITIES,
        "校園供水供電及房屋維修：教學樓、宿舍、行政樓的停水停電、漏水、照明、插座、空調、"
        "門窗桌椅損壞；熱水器和飲水機故障；電梯故障的報修與跟進。",
        "057186912360",
        "行政樓後側維修中心",
    ),
    ServiceUnitSpec(
        "CAMPUS",
        "宿舍管理科",
        ServiceUnitKind.DORMITORY,
        "學生宿舍管理：入住退宿、調換宿舍、鑰匙與門禁、宿舍安全檢查、違規電器、晚歸登記、"
        "宿舍內矛盾協調。宿舍內設施損壞轉水電維修中心處理。",
        "057186912370",
        "學生宿舍1號樓一樓",
    ),
    ServiceUnitSpec(
        "CAMPUS",
        "飲食服務中心",
        ServiceUnitKind.CATERING,
        "各食堂飲食服務：飯菜品質與衛生、價格、校園卡消費爭議、營業時間、清真及過敏飲食需求、"
        "會議與活動訂餐。",
        "057186912380",
        "第一食堂二樓",
    ),
    ServiceUnitSpec(
        "CAMPUS",
        "綠化環衛科",
        ServiceUnitKind.GROUNDS,
        "校園綠化與環境衛生：道路和公共區域清掃、垃圾清運、樹木修剪及倒伏樹木處理、草坪養護、"
        "蚊蟲鼠患消殺、路面積水清理。",
        "057186912390",
        "東校區苗圃管理房",
    ),
    ServiceUnitSpec(
        "CAMPUS",
        "客戶服務中心",
        ServiceUnitKind.CUSTOMER_SERVICE,
        "後勤服務總台：受理師生的報修、諮詢與投訴，派單到各服務單位，跟進處理進度並回訪；"
        "失物招領；後勤服務通知發佈。",
        "057186912345",
        "行政樓一樓大廳",
        duty_officers=("campus_desk",),
    ),
)


# --- The plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPlan:
    households: tuple[HouseholdPlan, ...]
    requesters: tuple[RequesterPlan, ...]

    @property
    def anchor(self) -> HouseholdPlan:
        return next(h for h in self.households if h.address == ANCHOR_ADDRESS)


def make_plan(rng: random.Random) -> DemoPlan:
    """Everything random about the demo, decided up front and without the database."""
    # Staff phones are fixed; reserve them so that no resident gets one by chance.
    phones = PhoneBook(rng, reserved=(login.phone for login in STAFF_LOGINS))
    return DemoPlan(
        households=plan_households(rng, phones, BSW_BUILDINGS),
        requesters=plan_requesters(rng, phones),
    )


# --- Writing it ----------------------------------------------------------------------


def seed(plan: DemoPlan | None = None) -> Counter[str]:
    """Create whatever of the demo is missing; return how many rows of each kind were new."""
    plan = plan or make_plan(random.Random(SEED))
    created: Counter[str] = Counter()
    with transaction.atomic():
        company, new = Company.objects.get_or_create(name=COMPANY_NAME)
        created["companies"] += new
        bsw, bsw_site = seed_office(company, BSW, created)
        campus, campus_site = seed_office(company, CAMPUS, created)
        seed_buildings(bsw_site, BSW_BUILDINGS, created)
        seed_buildings(campus_site, CAMPUS_BUILDINGS, created)
        seed_households(bsw, plan.households, created)
        seed_requesters(campus, plan.requesters, created)
        users = seed_users(plan, created)
        offices = {BSW.code: bsw, CAMPUS.code: campus}
        service_units = seed_service_units(offices, users, created)
        seed_staff_roles(company, offices, service_units, users, created)
        link_resident_login(bsw, users[RESIDENT_USERNAME])
    return +created  # drop the zero counts


def create_missing(
    queryset: models.QuerySet, objects: Sequence[models.Model], key: Sequence[str]
) -> int:
    """bulk_create those ``objects`` whose natural ``key`` is not in ``queryset`` yet.

    One query finds what exists, so a second run reads much and writes nothing.
    """
    existing = set(queryset.values_list(*key))
    missing = [o for o in objects if tuple(getattr(o, field) for field in key) not in existing]
    queryset.model.objects.bulk_create(missing, batch_size=500)
    return len(missing)


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


def seed_households(office: Office, plans: Sequence[HouseholdPlan], created: Counter[str]) -> None:
    """A unit that already has any household is left alone, residents included."""
    unit_ids = dict(Unit.objects.filter(office=office).values_list("address", "id"))
    occupied = set(Household.objects.filter(office=office).values_list("unit_id", flat=True))
    todo = [plan for plan in plans if unit_ids[plan.address] not in occupied]
    households = [
        Household(office=office, unit_id=unit_ids[p.address], kind=p.kind, move_in=p.move_in)
        for p in todo
    ]
    # PostgreSQL and SQLite return the new primary keys, which the residents need.
    Household.objects.bulk_create(households, batch_size=500)
    residents = [
        Resident(office=office, household=household, kind=RequesterKind.RESIDENT, **asdict(person))
        for plan, household in zip(todo, households, strict=True)
        for person in plan.residents
    ]
    Resident.objects.bulk_create(residents, batch_size=500)
    created["households"] += len(households)
    created["residents"] += len(residents)


def seed_requesters(office: Office, plans: Sequence[RequesterPlan], created: Counter[str]) -> None:
    in_office = Department.objects.filter(office=office)
    created["departments"] += create_missing(
        in_office, [Department(office=office, name=name) for name in DEPARTMENTS], key=["name"]
    )
    departments = {department.name: department for department in in_office}
    requesters = [
        Resident(
            office=office,
            household=None,
            department=departments[p.department],
            kind=p.kind,
            name=p.name,
            phone=p.phone,
            preferred_contact=p.preferred_contact,
        )
        for p in plans
    ]
    # Phones are unique within the plan, so they serve as the requesters' natural key.
    created["requesters"] += create_missing(
        Resident.objects.filter(office=office, household__isnull=True), requesters, key=["phone"]
    )


def seed_users(plan: DemoPlan, created: Counter[str]) -> dict[str, User]:
    """Create missing logins; an existing user keeps its password and details."""
    primary = plan.anchor.primary
    logins = [
        *((s.username, s.display_name, s.phone, s.superuser) for s in STAFF_LOGINS),
        (RESIDENT_USERNAME, primary.name, primary.phone, False),
    ]
    usernames = [username for username, *_ in logins]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    password = None
    for username, display_name, phone, superuser in logins:
        if username in existing:
            continue
        # Hashing costs a good part of a second; the demo logins share one password anyway.
        password = password or make_password(settings.DEMO_PASSWORD)
        User.objects.create(
            username=username,
            password=password,
            display_name=display_name,
            phone=phone,
            is_staff=superuser,
            is_superuser=superuser,
        )
        created["users"] += 1
    return User.objects.in_bulk(usernames, field_name="username")


def seed_service_units(
    offices: dict[str, Office], users: dict[str, User], created: Counter[str]
) -> dict[tuple[str, str], ServiceUnit]:
    existing = {
        (unit.office.code, unit.name): unit
        for unit in ServiceUnit.objects.filter(office__in=offices.values()).select_related("office")
    }
    for spec in SERVICE_UNITS:
        if (spec.office, spec.name) in existing:
            continue
        unit = ServiceUnit.objects.create(
            office=offices[spec.office],
            name=spec.name,
            kind=spec.kind,
            scope=spec.scope,
            phone=spec.phone,
            location=spec.location,
            lead=users.get(spec.lead),
        )
        unit.duty_officers.set([users[username] for username in spec.duty_officers])
        existing[spec.office, spec.name] = unit
        created["service units"] += 1
    return existing


def seed_staff_roles(
    company: Company,
    offices: dict[str, Office],
    service_units: dict[tuple[str, str], ServiceUnit],
    users: dict[str, User],
    created: Counter[str],
) -> None:
    for login in STAFF_LOGINS:
        office = offices[login.office] if login.office else None
        unit = (
            service_units[office.code, login.service_unit]
            if office and login.service_unit
            else None
        )
        _, new = StaffRole.objects.get_or_create(
            user=users[login.username],
            role=login.role,
            company=company,
            office=office,
            service_unit=unit,
        )
        created["staff roles"] += new


def link_resident_login(office: Office, user: User) -> None:
    """The resident login belongs to the main contact of the owners living at 3-1202."""
    if Resident.objects.filter(user=user).exists():
        return
    household = (
        Household.objects.in_office(office)
        .current()
        .filter(unit__address=ANCHOR_ADDRESS, kind=HouseholdKind.OWNER)
        .first()
    )
    if household is None:
        return
    household.residents.filter(is_primary=True, user__isnull=True).update(user=user)


def totals() -> list[tuple[Office, dict[str, int]]]:
    """What the demo offices now hold, for the command's summary."""
    rows = []
    for office in Office.objects.filter(code__in=[BSW.code, CAMPUS.code]).order_by("id"):
        residents = Resident.objects.filter(office=office)
        rows.append(
            (
                office,
                {
                    "buildings": Building.objects.filter(office=office).count(),
                    "units": Unit.objects.filter(office=office).count(),
                    "households": Household.objects.filter(office=office).count(),
                    "residents": residents.filter(household__isnull=False).count(),
                    "departments": Department.objects.filter(office=office).count(),
                    "requesters": residents.filter(household__isnull=True).count(),
                    "service units": ServiceUnit.objects.filter(office=office).count(),
                },
            )
        )
    return rows
