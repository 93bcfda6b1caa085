"""The demo office's equipment register (設備台賬): two lifts a building, the pump rooms, the fire
system, the generator and the transformer; one lift's legal inspection falls due within days and
one is overdue, so the list's warnings have something to show (dates from the demo's today)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from estate.demo.common import create_missing
from estate.equipment.actions import add_months
from estate.equipment.choices import EquipmentKind
from estate.equipment.models import Equipment
from estate.properties.models import Building, Office

LIFT_MAKERS = (("日立電梯", "HGP"), ("三菱電機", "LEHY-III"), ("奧的斯", "GeN2"))


def seed_equipment(office: Office, created: Counter[str]) -> None:
    today = timezone.localdate()
    buildings = list(Building.objects.filter(office=office).order_by("sort_key"))
    pieces: list[Equipment] = []
    for index, building in enumerate(buildings):
        maker, model = LIFT_MAKERS[index % len(LIFT_MAKERS)]
        for car in (1, 2):
            number = index * 2 + car
            # Yearly legal inspection (特種設備定期檢驗), spread over the year; two stand out.
            if number == 1:
                due = today - timedelta(days=5)
            elif number == 4:
                due = today + timedelta(days=12)
            else:
                due = today + timedelta(days=40 + number * 13)
            installed = today.replace(year=today.year - 8 - index % 4, month=6, day=1)
            pieces.append(
                Equipment(
                    office=office,
                    code=f"DT-{building.code}-{car}",
                    name=f"{building.name}{car}號客梯",
                    kind=EquipmentKind.LIFT,
                    building=building,
                    floor="頂層",
                    place="電梯機房",
                    maker=maker,
                    model=model,
                    serial=f"{model}-{2016 + index % 4}{number:04d}",
                    installed_on=installed,
                    warranty_until=installed.replace(year=installed.year + 2),
                    service_life_years=15,
                    contractor="申菱電梯維保有限公司",
                    contractor_phone="02087654321",
                    inspection_every_months=12,
                    last_inspected_on=add_months(due, -12),
                    next_inspection_on=due,
                )
            )
    first = buildings[0] if buildings else None
    common = [
        ("SB-1", "生活水泵1號", EquipmentKind.WATER_PUMP, "B1", "水泵房", "格蘭富", None),
        ("SB-2", "生活水泵2號", EquipmentKind.WATER_PUMP, "B1", "水泵房", "格蘭富", None),
        ("XF-1", "消防水泵及噴淋系統", EquipmentKind.FIRE_SYSTEM, "B1", "消防泵房", "上海連成", 12),
        ("XF-2", "火災自動報警系統", EquipmentKind.FIRE_SYSTEM, "1", "消防控制室", "海灣安全", 12),
        ("FD-1", "柴油發電機", EquipmentKind.GENERATOR, "B1", "發電機房", "康明斯", None),
        ("BD-1", "1號變壓器", EquipmentKind.TRANSFORMER, "B1", "配電房", "順特電氣", 36),
    ]
    for code, name, kind, floor, place, maker, every in common:
        last = today - timedelta(days=120)
        pieces.append(
            Equipment(
                office=office,
                code=code,
                name=name,
                kind=kind,
                building=first,
                floor=floor,
                place=place,
                maker=maker,
                installed_on=today.replace(year=today.year - 9, month=3, day=1),
                service_life_years=20,
                contractor="安居機電工程部",
                inspection_every_months=every,
                last_inspected_on=last if every else None,
                next_inspection_on=add_months(last, every) if every else None,
            )
        )
    created["equipment"] += create_missing(
        Equipment.objects.filter(office=office), pieces, ("office_id", "code")
    )
