"""Due dates and elapsed working time for dossiers, on the working calendar (`core/workcal.py`).

`DueDates` wraps one calendar so a request, an import or the demo builds it once; day arithmetic is cached per
(start day, days), which is what makes importing 100,000 rows a minute possible.
"""

from datetime import datetime

from civicdesk.core.workcal import get_calendar


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
