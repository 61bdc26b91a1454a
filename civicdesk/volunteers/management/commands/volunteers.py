"""`civicdesk volunteers remind [--day YYYY-MM-DD]`: send the shift reminders of a day (default: the next working day)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...reminders import send_for, send_tomorrow


class Command(BaseCommand):
    help = "Tình nguyện viên: gửi nhắc lịch trực (remind) qua thư điện tử, SMS hoặc Zalo."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind", help="Gửi nhắc lịch cho các ca của một ngày, qua kênh mỗi người chọn."
        )
        remind.add_argument("--day", help="Ngày của ca (YYYY-MM-DD); mặc định: ngày làm việc kế tiếp.")

    def handle(self, *args, action, day=None, **options):
        if day:
            try:
                day = date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {day!r}") from exc
            done = send_for(day)
        else:
            done = send_tomorrow()
        self.stdout.write(
            f"Đã gửi {done.sent} tin nhắc: {done.email} qua thư điện tử, {done.sms} qua SMS, {done.zalo} qua Zalo"
            + (f" ({done.fallback} thư thay cho SMS, Zalo không gửi được)" if done.fallback else "")
            + f"; {done.skipped} người chưa đồng ý nhận hoặc chưa có địa chỉ nhận"
            + (f"; {done.failed} tin không gửi được (chạy lại để thử lại)." if done.failed else ".")
        )
