"""The Vietnamese working calendar: the only place that adds working days or working hours.

Civil servants work Monday to Friday within office hours (default 07:30–11:30 and 13:30–17:00, set by
`WORKCAL_OFFICE_HOURS`). Statutory public holidays — Tết included — come from the `holidays` package, which also
knows the day swaps the Government announces (a Saturday worked to bridge a holiday). Admins add their own swaps
and extra days off as `CalendarDay` records; `get_calendar()` builds a calendar with them.

Conventions (documented in docs/architecture.md):
- A time outside office hours counts from the start of the next working period ("received after hours" means
  "received at opening on the next working day").
- `add_working_days(dt, n)` gives the same clock time on the n-th working day after the (normalised) start day;
  a dossier received Friday 16:30 with a 3-day limit is due at 16:30 on the third working day after it.
- `add_working_hours(dt, h)` consumes office time only: nights, lunch breaks, weekends and holidays do not count.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
_SUBSTITUTED = re.compile(r"substituted from (\d{2}/\d{2}/\d{4})")


def parse_office_hours(spec):
    """Parse "07:30-11:30,13:30-17:00" into ((time, time), ...), checking the periods are ordered."""
    periods = []
    for part in spec.split(","):
        try:
            start_s, end_s = part.strip().split("-")
            start, end = time.fromisoformat(start_s.strip()), time.fromisoformat(end_s.strip())
        except ValueError as exc:
            raise ValueError(f"Giờ làm việc không hợp lệ: {part!r} (dạng đúng: 07:30-11:30)") from exc
        if end <= start or (periods and start < periods[-1][1]):
            raise ValueError(f"Giờ làm việc không hợp lệ hoặc chồng lấn: {part!r}")
        periods.append((start, end))
    if not periods:
        raise ValueError("Cần ít nhất một khoảng giờ làm việc.")
    return tuple(periods)


@lru_cache(maxsize=64)
def _statutory(year):
    """(holidays {date: Vietnamese name}, statutory working swaps {date}) for one year."""
    english = holidays.Vietnam(years=year, language="en_US")
    try:
        names = holidays.Vietnam(years=year, language="vi")
    except (KeyError, NotImplementedError, ValueError):  # a package without the Vietnamese names
        names = english
    swaps = set()
    for name in english.values():
        for match in _SUBSTITUTED.finditer(name):
            swaps.add(datetime.strptime(match.group(1), "%m/%d/%Y").date())
    return {day: names.get(day, english[day]) for day in english}, frozenset(swaps)


@dataclass(frozen=True)
class WorkCalendar:
    periods: tuple = field(default_factory=lambda: parse_office_hours(DEFAULT_OFFICE_HOURS))
    extra_working: frozenset = frozenset()
    extra_off: frozenset = frozenset()
    tz: ZoneInfo = VN_TZ

    # -- days -----------------------------------------------------------------------------------------
    def holiday_name(self, day):
        return _statutory(day.year)[0].get(day)

    def is_working_day(self, day):
        if day in self.extra_off:
            return False
        if day in self.extra_working:
            return True
        holiday_map, swaps = _statutory(day.year)
        if day in swaps:
            return True
        return day.weekday() < 5 and day not in holiday_map

    def next_working_day(self, day):
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    # -- instants -------------------------------------------------------------------------------------
    def localize(self, dt):
        if dt.tzinfo is None:
            return dt.replace(tzinfo=self.tz)
        return dt.astimezone(self.tz)

    def _at(self, day, clock):
        return datetime.combine(day, clock, tzinfo=self.tz)

    def next_working_instant(self, dt):
        """`dt` itself when it falls inside office hours of a working day, else the start of the next period."""
        dt = self.localize(dt)
        day, clock = dt.date(), dt.timetz().replace(tzinfo=None)
        if self.is_working_day(day):
            for start, end in self.periods:
                if clock < start:
                    return self._at(day, start)
                if clock < end:
                    return dt
        return self._at(self.next_working_day(day), self.periods[0][0])

    def add_working_days(self, dt, days):
        """The same office time on the `days`-th working day after `dt` (see the module docstring)."""
        if days < 0:
            raise ValueError("Số ngày làm việc phải không âm.")
        start = self.next_working_instant(dt)
        day = start.date()
        for _ in range(int(days)):
            day = self.next_working_day(day)
        return self._at(day, start.timetz().replace(tzinfo=None))

    def add_working_hours(self, dt, hours):
        """`dt` plus `hours` of office time (a number of hours or a timedelta)."""
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < timedelta(0):
            raise ValueError("Số giờ làm việc phải không âm.")
        current = self.next_working_instant(dt)
        while True:
            day = current.date()
            for start, end in self.periods:
                period_start, period_end = self._at(day, start), self._at(day, end)
                if current >= period_end:
                    continue
                current = max(current, period_start)
                available = period_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
                current = period_end
            current = self._at(self.next_working_day(day), self.periods[0][0])

    def working_time_between(self, start, end):
        """Office time elapsed between two instants (zero when end <= start)."""
        start, end = self.localize(start), self.localize(end)
        total = timedelta(0)
        if end <= start:
            return total
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for p_start, p_end in self.periods:
                    lo = max(start, self._at(day, p_start))
                    hi = min(end, self._at(day, p_end))
                    if hi > lo:
                        total += hi - lo
            day += timedelta(days=1)
        return total

    @property
    def hours_per_day(self):
        return (
            sum(
                (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()
                for start, end in self.periods
            )
            / 3600
        )

    def working_days_between(self, start, end):
        """Elapsed office time expressed in working days (a fraction), for averages in reports."""
        return self.working_time_between(start, end).total_seconds() / 3600 / self.hours_per_day


def get_calendar():
    """The calendar in force: office hours from settings, plus the admin-edited swaps and extra days off."""
    from django.conf import settings

    from .models import CalendarDay

    working, off = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (working if kind == CalendarDay.Kind.WORKING else off).add(day)
    return WorkCalendar(
        periods=parse_office_hours(settings.WORKCAL_OFFICE_HOURS),
        extra_working=frozenset(working),
        extra_off=frozenset(off),
    )


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dh])\s*$", re.IGNORECASE)


def parse_duration(text):
    """'3d' → ('d', 3); '8h' or '1.5h' → ('h', 8.0)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"Khoảng thời gian không hợp lệ: {text!r} (ví dụ: 3d hoặc 8h)")
    amount, unit = match.groups()
    if unit.lower() == "d":
        if "." in amount:
            raise ValueError("Số ngày làm việc phải là số nguyên (ví dụ: 3d).")
        return "d", int(amount)
    return "h", float(amount)
