from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from civicdesk.core.workcal import get_calendar, parse_duration


class Command(BaseCommand):
    help = "Lịch làm việc: cộng ngày/giờ làm việc (ví dụ: civicdesk workcal add 2026-02-13T16:30 3d)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Cộng N ngày (Nd) hoặc N giờ (Nh) làm việc vào một thời điểm.")
        add.add_argument(
            "start", help="Thời điểm ISO 8601, ví dụ 2026-02-13T16:30 (giờ Việt Nam nếu không ghi múi)."
        )
        add.add_argument("duration", help="3d = 3 ngày làm việc, 8h = 8 giờ làm việc.")
        check = sub.add_parser("day", help="Cho biết một ngày có phải ngày làm việc không.")
        check.add_argument("date")

    def handle(self, *args, action, **options):
        calendar = get_calendar()
        if action == "day":
            try:
                day = datetime.fromisoformat(options["date"]).date()
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {options['date']!r}") from exc
            name = calendar.holiday_name(day)
            state = "ngày làm việc" if calendar.is_working_day(day) else "ngày nghỉ"
            self.stdout.write(f"{day.isoformat()}: {state}" + (f" ({name})" if name else ""))
            return
        try:
            start = datetime.fromisoformat(options["start"])
        except ValueError as exc:
            raise CommandError(
                f"Thời điểm không hợp lệ: {options['start']!r} (ví dụ 2026-02-13T16:30)"
            ) from exc
        try:
            unit, amount = parse_duration(options["duration"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = (
            calendar.add_working_days(start, amount)
            if unit == "d"
            else calendar.add_working_hours(start, amount)
        )
        self.stdout.write(result.isoformat())
