"""Who works the demo: one login per role, the service units they lead or are on duty for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from estate.accounts.models import StaffRole, User
from estate.accounts.roles import Role
from estate.demo.common import ANCHOR_ADDRESS, RESIDENT_USERNAME
from estate.demo.people import DemoPlan
from estate.properties.choices import HouseholdKind, ServiceUnitKind
from estate.properties.models import Company, Household, Office, Resident, ServiceUnit

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


# --- Writing it ----------------------------------------------------------------------


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
