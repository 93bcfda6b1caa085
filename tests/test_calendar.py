"""The work calendar across real edges: National Day 2026 and the make-up workday 2026-10-10."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from estate.timerules.calendar import (
    WorkCalendar,
    YearNotPublished,
    published_years,
    same_day_due,
    working_days_due,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICIAL = WorkCalendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-09-30", True),  # Wednesday before the holiday
        ("2026-10-01", False),
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday, a make-up workday (調休)
        ("2026-10-11", False),  # Sunday
        ("2026-09-20", True),  # Sunday, a make-up workday
        ("2026-11-28", False),  # an ordinary Saturday
    ],
)
def test_official_working_days(day, working):
    assert OFFICIAL.is_working_day(date.fromisoformat(day)) is working


def test_two_working_days_from_the_eve_of_national_day():
    assert working_days_due(at("2026-09-30 10:00"), 2, zone=SHANGHAI, calendar=OFFICIAL) == at(
        "2026-10-09 23:59:59"
    )


def test_the_make_up_saturday_counts():
    # Friday 2026-10-09 + 1 working day is Saturday the 10th (調休), not Monday the 12th.
    assert OFFICIAL.nth_working_day_after(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_same_day_before_and_after_closing_time():
    closes = time(17, 30)
    assert same_day_due(
        at("2026-11-26 17:29"), zone=SHANGHAI, closes_at=closes, calendar=OFFICIAL
    ) == at("2026-11-26 23:59:59")
    # After closing on Friday the 27th: the next working day is Monday the 30th.
    assert same_day_due(
        at("2026-11-27 18:00"), zone=SHANGHAI, closes_at=closes, calendar=OFFICIAL
    ) == at("2026-11-30 23:59:59")
    # After closing on 2026-09-30: the holiday runs to the 7th; the 8th is the next working day.
    assert same_day_due(
        at("2026-09-30 19:00"), zone=SHANGHAI, closes_at=closes, calendar=OFFICIAL
    ) == at("2026-10-08 23:59:59")


def test_utc_input_is_read_in_the_office_zone():
    # 10:00 UTC is 18:00 in Shanghai: after closing.
    arrived = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("UTC"))
    due = same_day_due(arrived, zone=SHANGHAI, closes_at=time(17, 30), calendar=OFFICIAL)
    assert due == at("2026-11-27 23:59:59")


def test_office_overrides_win_over_the_official_calendar():
    calendar = WorkCalendar(
        closed=frozenset({date(2026, 11, 27)}), extra_workdays=frozenset({date(2026, 11, 28)})
    )
    assert not calendar.is_working_day(date(2026, 11, 27))
    assert calendar.is_working_day(date(2026, 11, 28))
    assert calendar.nth_working_day_after(date(2026, 11, 26), 1) == date(2026, 11, 28)


def test_an_unpublished_year_is_refused_until_confirmed():
    future = max(published_years()) + 1
    with pytest.raises(YearNotPublished) as refused:
        OFFICIAL.is_working_day(date(future, 3, 2))
    assert str(future) in str(refused.value)
    wednesday = date(future, 3, 1)
    while wednesday.weekday() != 2:
        wednesday = date(future, 3, wednesday.day + 1)
    # Confirmed by an administrator: ordinary weeks count as the official calendar would.
    assert WorkCalendar(confirmed_years=frozenset({future})).is_working_day(wednesday) is True


def test_2026_is_published():
    assert 2026 in published_years()
