"""The window duty roster: gaps in opening hours (08:30–17:30) on working days, computed exactly,
following the official calendar with its make-up workdays; bad shifts refused."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from estate.frontdesk import roster
from estate.frontdesk.roster import Gap
from tests.factories import staff


def shift(office, person, day, start, end):
    return roster.add_shift(
        office=office, staff_member=person, day=day,
        starts_at=time.fromisoformat(start), ends_at=time.fromisoformat(end),
    )  # fmt: skip


def test_gaps_between_and_around_shifts(bsw, reception, head):
    thursday, friday, saturday = date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)
    shift(bsw, reception, thursday, "08:30", "12:00")
    shift(bsw, head, thursday, "13:00", "17:30")
    shift(bsw, reception, friday, "08:00", "10:00")
    shift(bsw, head, friday, "09:00", "16:00")
    assert roster.gaps(bsw, thursday, saturday) == [
        Gap(thursday, time(12, 0), time(13, 0)),
        Gap(friday, time(16, 0), time(17, 30)),
    ]  # Saturday is closed
    assert [g.minutes for g in roster.gaps(bsw, thursday, saturday)] == [60, 90]


def test_the_official_calendar_decides_which_days_need_cover(bsw):
    # 2026-10-07 is in the National Day holiday; Saturday 2026-10-10 is a make-up workday.
    assert roster.gaps(bsw, date(2026, 10, 7), date(2026, 10, 7)) == []
    assert roster.gaps(bsw, date(2026, 10, 10), date(2026, 10, 10)) == [
        Gap(date(2026, 10, 10), time(8, 30), time(17, 30))
    ]


def test_bad_shifts_are_refused(bsw, other_office, reception):
    outsider = staff("outsider", "receptionist", other_office)
    with pytest.raises(ValidationError) as backwards:
        shift(bsw, reception, date(2026, 11, 26), "12:00", "09:00")
    assert "ends_at" in backwards.value.message_dict
    with pytest.raises(ValidationError) as stranger:
        shift(bsw, outsider, date(2026, 11, 26), "09:00", "12:00")
    assert "staff_member" in stranger.value.message_dict


def test_the_roster_page_shows_gaps_ahead(client, bsw, head):
    client.force_login(head)
    page = client.post(
        reverse("frontdesk:roster"),
        {"office": bsw.pk, "day": "2026-11-26", "starts_at": "08:30", "ends_at": "17:30",
         "staff_member": head.pk, "first": "2026-11-26"},
    )  # fmt: skip
    assert page.status_code == 302
    shown = client.get(reverse("frontdesk:roster"), {"office": bsw.pk, "first": "2026-11-26"})
    body = shown.content.decode()
    assert 'data-testid="gap-2026-11-26"' not in body
    assert 'data-testid="gap-2026-11-27"' in body


def test_coming_gaps_start_now_and_cover_seven_days(bsw, reception):
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    from estate.frontdesk.roster import coming_gaps

    now = datetime(2026, 11, 26, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Thursday
    found = coming_gaps(bsw, now)
    assert (found[0].day, found[0].starts_at, found[0].ends_at) == (
        date(2026, 11, 26),
        time(16, 0),
        time(17, 30),
    )
    # Thursday's rest, Friday, and Monday to Wednesday: the 7 days end on 2 December.
    assert [g.day.day for g in found] == [26, 27, 30, 1, 2]
