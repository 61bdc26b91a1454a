"""`civicdesk volunteers remind [--day YYYY-MM-DD]`: send the shift reminders of a day (default: the next working day)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...reminders import send_for, send_tomorrow


class Command(BaseCommand):
    help = "Tình nguyện viên: gửi thư nhắc lịch trực (remind)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="Gửi thư nhắc lịch (kèm tệp .ics) cho các ca của một ngày.")
        remind.add_argument("--day", help="Ngày của ca (YYYY-MM-DD); mặc định: ngày làm việc kế tiếp.")

    def handle(self, *args, action, day=None, **options):
        if day:
            try:
                sent, skipped = send_for(date.fromisoformat(day))
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {day!r}") from exc
        else:
            sent, skipped = send_tomorrow()
        self.stdout.write(
            f"Đã gửi {sent} thư nhắc; {skipped} người chưa đồng ý nhận hoặc chưa có thư điện tử."
        )
