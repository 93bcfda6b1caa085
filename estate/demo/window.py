"""The demo front desk's telephone log and window duty roster, so the dashboard has a month to show
(written once: an office with calls or shifts is left alone)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from estate.demo.common import SEED
from estate.frontdesk.models import CallRecord, DutyShift
from estate.properties.models import Office

MORNING, AFTERNOON = (time(8, 30), time(12, 0)), (time(12, 0), time(17, 30))


def seed_window(office: Office, users: dict[str, Any], created: Counter[str]) -> None:
    rng = random.Random(SEED + 9)
    today = timezone.localdate()
    zone = ZoneInfo(office.timezone)
    if not CallRecord.objects.filter(office=office).exists():
        calls = []
        for back in range(30, 0, -1):
            day = today - timedelta(days=back)
            for number in range(rng.randint(8, 20) if day.weekday() < 5 else rng.randint(0, 4)):
                rang = datetime.combine(day, time(8, 30), tzinfo=zone) + timedelta(
                    minutes=rng.randint(0, 540)
                )
                answered = rng.random() > 0.01
                seconds = rng.choice([3, 5, 6, 8, 9, 10, 12, 14, 15, 18, 25]) if answered else None
                calls.append(
                    CallRecord(
                        office=office,
                        call_id=f"PBX{day:%Y%m%d}{number:04d}",
                        rang_at=rang,
                        ring_seconds=seconds,
                        answered=answered,
                        extension="8001",
                    )
                )
        CallRecord.objects.bulk_create(calls)
        created["calls logged"] += len(calls)
    if not DutyShift.objects.filter(office=office).exists():
        shifts = []
        for offset in range(-30, 15):
            day = today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            morning, afternoon = (
                ("reception", "manager") if offset % 2 else ("manager", "reception")
            )
            shifts.append(DutyShift(office=office, staff_member=users[morning], day=day,
                                    starts_at=MORNING[0], ends_at=MORNING[1]))  # fmt: skip
            # One afternoon in each fortnight nobody was (or is yet) down for the window.
            if offset in (-9, 6):
                continue
            shifts.append(DutyShift(office=office, staff_member=users[afternoon], day=day,
                                    starts_at=AFTERNOON[0], ends_at=AFTERNOON[1]))  # fmt: skip
        DutyShift.objects.bulk_create(shifts)
        created["duty shifts"] += len(shifts)
