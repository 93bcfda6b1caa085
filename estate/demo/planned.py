"""The demo office's planned work: the night patrol of the whole estate (巡更, four check points,
at 22:00 and 02:00), the daily round of the pump room (a check and a pressure reading with its
allowed range) and the lifts' monthly service on working days. The scheduler opens their tasks
as they fall due, from the day the demo is seeded."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils import timezone

from estate.equipment.choices import EquipmentKind
from estate.patrols import actions as patrols
from estate.patrols.models import PatrolRoute
from estate.planned.actions import save_plan
from estate.planned.choices import Frequency, ItemKind, Target
from estate.planned.models import Plan
from estate.properties.models import Office, ServiceUnit

NIGHT_ROUTE = "全區夜間巡更"
CHECK_POINTS = ("南門崗亭", "地下車庫B區", "3棟天台門", "水泵房門口")


def seed_planned(office: Office, service_units: dict[tuple[str, str], ServiceUnit], head: Any,
                 created: Counter[str]) -> None:  # fmt: skip
    today = timezone.localdate()
    security = service_units[office.code, "保安部"]
    repair = service_units[office.code, "維修班"]
    route = PatrolRoute.objects.filter(office=office, name=NIGHT_ROUTE).first()
    if route is None:
        route = patrols.add_route(office=office, name=NIGHT_ROUTE, service_unit=security, by=head)
        for name in CHECK_POINTS:
            patrols.add_point(route=route, name=name, by=head)
        created["patrol routes"] += 1
    plans: list[tuple[dict[str, Any], list[dict[str, Any]]]] = [
        (
            {
                "name": "夜間巡更", "service_unit": security, "target": Target.ROUTE,
                "route": route, "frequency": Frequency.DAILY, "times": ["22:00", "02:00"],
                "window_minutes": 60,
            },
            [],
        ),
        (
            {
                "name": "水泵房每日巡檢", "service_unit": repair, "target": Target.EQUIPMENT_KIND,
                "equipment_kind": EquipmentKind.WATER_PUMP, "frequency": Frequency.DAILY,
                "times": ["09:00"], "window_minutes": 8 * 60,
            },
            [
                {"text": "運行聲音、振動正常，無漏水", "kind": ItemKind.CHECK},
                {"text": "出水壓力", "kind": ItemKind.READING, "unit": "MPa",
                 "low": Decimal("0.30"), "high": Decimal("0.60")},
            ],
        ),
        (
            {
                "name": "電梯月度保養", "service_unit": repair, "target": Target.EQUIPMENT_KIND,
                "equipment_kind": EquipmentKind.LIFT, "frequency": Frequency.MONTHLY,
                "day_of_month": 15, "working_days_only": True, "times": ["09:00"],
                "window_minutes": 3 * 24 * 60,
            },
            [
                {"text": "曳引機、制動器檢查", "kind": ItemKind.CHECK},
                {"text": "門機及安全觸板動作正常", "kind": ItemKind.CHECK},
                {"text": "保養記錄單（拍照）", "kind": ItemKind.PHOTO},
            ],
        ),
    ]  # fmt: skip
    for fields, items in plans:
        if Plan.objects.filter(office=office, name=fields["name"]).exists():
            continue
        save_plan(office=office, by=head, fields={**fields, "starts_on": today}, items=items)
        created["plans"] += 1
