"""The people of the demo: names, phones, 碧水灣's households and the campus requesters.

Everything here that is random is drawn from the ``random.Random`` it is given, so that
the same seed gives the same people. The plan dataclasses, ``DemoPlan`` among them, are
plain frozen values that never touch the database; ``seed_households`` and
``seed_requesters`` write them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from estate.demo.common import ANCHOR_ADDRESS, create_missing
from estate.demo.registry import COLLEGES, DEPARTMENTS, BuildingSpec, plan_units
from estate.properties.choices import ContactPreference, HouseholdKind, RequesterKind, UnitUse
from estate.properties.models import Department, Household, Office, Resident, Unit, unit_address

# --- People --------------------------------------------------------------------------

# A fixed window rather than "until today": the plan must not depend on the day it runs.
MOVE_IN_FIRST = date(2012, 1, 1)
MOVE_IN_LAST = date(2026, 6, 30)
TENANTS_FROM = date(2019, 1, 1)  # leases are recent; owners have lived here longer

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


# --- Campus requesters -------------------------------------------------------------------

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


# --- The plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskCaller:
    """Who a desk case comes from; with an address, they are looked up in the registry."""

    address: str
    name: str
    phone: str


@dataclass(frozen=True)
class DemoPlan:
    households: tuple[HouseholdPlan, ...]
    requesters: tuple[RequesterPlan, ...]
    desk: tuple[DeskCaller | None, ...]  # one per DESK_CASES

    @property
    def anchor(self) -> HouseholdPlan:
        return next(h for h in self.households if h.address == ANCHOR_ADDRESS)


# --- Writing it ----------------------------------------------------------------------


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
    departments = {d.name: d for d in Department.objects.filter(office=office, is_external=False)}
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
