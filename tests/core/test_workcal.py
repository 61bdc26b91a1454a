from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command

from civicdesk.core.models import CalendarDay
from civicdesk.core.workcal import VN_TZ, WorkCalendar, get_calendar, parse_duration, parse_office_hours

cal = WorkCalendar()


def at(*args):
    return datetime(*args, tzinfo=VN_TZ)


def test_three_working_days_from_the_friday_before_tet_2026_lands_after_tet():
    # Tết Bính Ngọ: 16–20/02/2026 are holidays, 21–22 a weekend.
    assert cal.add_working_days(at(2026, 2, 13, 16, 30), 3) == at(2026, 2, 25, 16, 30)


def test_working_days_skip_weekends():
    assert cal.add_working_days(at(2026, 3, 6, 9, 0), 1) == at(2026, 3, 9, 9, 0)  # Friday → Monday
    assert cal.add_working_days(at(2026, 3, 2, 9, 0), 5) == at(2026, 3, 9, 9, 0)


def test_after_hours_counts_from_next_opening():
    assert cal.next_working_instant(at(2026, 3, 2, 18, 0)) == at(2026, 3, 3, 7, 30)
    assert cal.next_working_instant(at(2026, 3, 2, 12, 0)) == at(2026, 3, 2, 13, 30)
    assert cal.add_working_days(at(2026, 3, 7, 10, 0), 0) == at(2026, 3, 9, 7, 30)  # Saturday → Monday


def test_working_hours_skip_lunch_nights_and_tet():
    assert cal.add_working_hours(at(2026, 3, 2, 11, 0), 1) == at(2026, 3, 2, 14, 0)
    assert cal.add_working_hours(at(2026, 3, 2, 16, 0), 2) == at(2026, 3, 3, 8, 30)
    # 30 minutes on Friday 13/02, then Tết and the weekend, then a full 7.5-hour Monday.
    assert cal.add_working_hours(at(2026, 2, 13, 16, 30), 8) == at(2026, 2, 23, 17, 0)


def test_statutory_holidays_and_government_swaps():
    assert not cal.is_working_day(date(2026, 4, 30))
    assert not cal.is_working_day(date(2026, 9, 2))
    assert cal.holiday_name(date(2026, 2, 17))
    # 2025: Saturday 26/04 was worked so that Friday 02/05 could be a day off.
    assert cal.is_working_day(date(2025, 4, 26))
    assert not cal.is_working_day(date(2025, 5, 2))


def test_admin_swaps_and_extra_days_off():
    custom = WorkCalendar(
        extra_working=frozenset({date(2026, 3, 7)}), extra_off=frozenset({date(2026, 3, 9)})
    )
    assert custom.is_working_day(date(2026, 3, 7))
    assert not custom.is_working_day(date(2026, 3, 9))
    assert custom.add_working_days(at(2026, 3, 6, 9, 0), 2) == at(2026, 3, 10, 9, 0)


def test_configurable_office_hours():
    early = WorkCalendar(periods=parse_office_hours("07:00-11:30,13:00-17:00"))
    assert early.next_working_instant(at(2026, 3, 2, 6, 0)) == at(2026, 3, 2, 7, 0)
    assert early.hours_per_day == 8.5
    with pytest.raises(ValueError):
        parse_office_hours("11:00-09:00")
    with pytest.raises(ValueError):
        parse_office_hours("07:30-11:30,11:00-12:00")
    with pytest.raises(ValueError):
        parse_office_hours("sáng")


def test_working_time_between():
    assert cal.working_time_between(at(2026, 3, 2, 7, 30), at(2026, 3, 2, 17, 0)) == timedelta(hours=7.5)
    assert cal.working_time_between(at(2026, 2, 13, 16, 30), at(2026, 2, 23, 8, 30)) == timedelta(hours=1.5)
    assert cal.working_time_between(at(2026, 3, 3), at(2026, 3, 2)) == timedelta(0)
    assert cal.working_days_between(at(2026, 3, 2, 7, 30), at(2026, 3, 4, 7, 30)) == pytest.approx(2.0)


def test_parse_duration():
    assert parse_duration("3d") == ("d", 3)
    assert parse_duration("8h") == ("h", 8.0)
    for bad in ("3", "1.5d", "ba ngày", "-2d"):
        with pytest.raises(ValueError):
            parse_duration(bad)


@pytest.mark.django_db
def test_calendar_days_from_the_database_are_used():
    CalendarDay.objects.create(date=date(2026, 3, 7), kind=CalendarDay.Kind.WORKING, note="Làm bù")
    CalendarDay.objects.create(date=date(2026, 3, 9), kind=CalendarDay.Kind.OFF)
    calendar = get_calendar()
    assert calendar.is_working_day(date(2026, 3, 7))
    assert not calendar.is_working_day(date(2026, 3, 9))


@pytest.mark.django_db
def test_cli_add_days_and_hours(capsys):
    call_command("workcal", "add", "2026-02-13T16:30", "3d")
    assert capsys.readouterr().out.strip() == "2026-02-25T16:30:00+07:00"
    call_command("workcal", "add", "2026-02-13T16:30", "8h")
    assert capsys.readouterr().out.strip() == "2026-02-23T17:00:00+07:00"
    call_command("workcal", "day", "2026-02-17")
    assert "ngày nghỉ" in capsys.readouterr().out


def test_naive_datetimes_are_vietnam_time_and_aware_ones_are_converted():
    from zoneinfo import ZoneInfo

    assert cal.add_working_days(datetime(2026, 3, 2, 9, 0), 1) == at(2026, 3, 3, 9, 0)
    utc_morning = datetime(2026, 3, 2, 2, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Vietnam
    assert cal.add_working_days(utc_morning, 1) == at(2026, 3, 3, 9, 0)
