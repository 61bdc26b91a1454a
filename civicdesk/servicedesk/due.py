"""Due dates and elapsed working time for dossiers, on the working calendar (`core/workcal.py`).

`DueDates` wraps one calendar so a request, an import or the demo builds it once; day arithmetic is cached per
(start day, days), which is what makes importing 100,000 rows a minute possible.
"""

from dataclasses import dataclass
from datetime import datetime

from civicdesk.core.workcal import get_calendar


@dataclass(frozen=True)
class OfficeHours:
    """Where an instant falls on the working calendar, for the counter's after-hours warning.

    `counts_from` is None inside office hours; otherwise it is the instant a dossier received then counts from
    (the start of the next working period), and `reason` says why: "before_opening", "lunch", "after_closing" or
    "day_off" (with `holiday` naming a public holiday).
    """

    at: datetime
    counts_from: datetime | None
    reason: str
    holiday: str | None
    periods: tuple

    @property
    def outside(self):
        return self.counts_from is not None

    @property
    def hours_text(self):
        """The office hours as the counter shows them: "07:30–11:30, 13:30–17:00"."""
        return ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in self.periods)


class DueDates:
    def __init__(self, calendar=None):
        self.calendar = calendar or get_calendar()
        self._days = {}

    def due_at(self, received_at, days):
        """The due instant for a dossier received at `received_at` with a limit of `days` working days.

        A limit of 0 days ("giải quyết ngay trong ngày") is due at the close of the working day on which the
        dossier counts as received; otherwise the same office time on the `days`-th working day after it.
        """
        cal = self.calendar
        start = cal.next_working_instant(received_at)
        if days == 0:
            return datetime.combine(start.date(), cal.periods[-1][1], tzinfo=cal.tz)
        key = (start.date(), days)
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = cal.add_working_days(start, days).date()
        return datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=cal.tz)

    def working_days(self, start, end):
        """Office time between two instants in working days (2 decimals), for average processing time."""
        return round(self.calendar.working_days_between(start, end), 2)

    def local_date(self, dt):
        return self.calendar.localize(dt).date()

    def office_hours(self, at):
        """Whether `at` is inside office hours and, when it is not, the instant the calendar counts from instead."""
        cal = self.calendar
        at = cal.localize(at)
        start = cal.next_working_instant(at)
        day, clock = at.date(), at.timetz().replace(tzinfo=None)
        if start == at:
            reason = ""
        elif not cal.is_working_day(day):
            reason = "day_off"
        elif clock < cal.periods[0][0]:
            reason = "before_opening"
        elif clock >= cal.periods[-1][1]:
            reason = "after_closing"
        else:
            reason = "lunch"
        return OfficeHours(
            at=at,
            counts_from=None if start == at else start,
            reason=reason,
            holiday=cal.holiday_name(day) if reason == "day_off" else None,
            periods=cal.periods,
        )
