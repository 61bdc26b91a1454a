import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from civicdesk.geo.models import Province
from civicdesk.servicedesk import services
from civicdesk.servicedesk.services import scorecard_report

LABELS = {
    scorecard_report.SENT: "đã gửi",
    scorecard_report.ALREADY_SENT: "đã gửi trước đó, không gửi lại",
    scorecard_report.NO_RECIPIENT: "không có quản trị cấp tỉnh có e-mail, bỏ qua",
    scorecard_report.FAILED: "gửi lỗi (lần chạy sau sẽ thử lại)",
    scorecard_report.WOULD_SEND: "sẽ gửi (chạy thử, chưa gửi)",
}


def _month(value):
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise CommandError(f"Tháng không hợp lệ: {value!r} (dạng đúng: 2026-11).")
    return date(int(match[1]), int(match[2]), 1)


class Command(BaseCommand):
    help = "Bảng điểm Quyết định 766: gửi thư báo cáo tháng (PDF đính kèm) cho quản trị cấp tỉnh."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser(
            "report",
            help="Gửi bảng điểm của một tháng cho quản trị cấp tỉnh của từng tỉnh (mỗi tỉnh, mỗi tháng một lần).",
        )
        report.add_argument("--month", required=True, help="Tháng báo cáo, dạng YYYY-MM, ví dụ 2026-11.")
        report.add_argument("--province", type=int, help="Chỉ gửi cho tỉnh này (mã tỉnh, ví dụ 68).")
        report.add_argument(
            "--dry-run", action="store_true", help="Chỉ liệt kê sẽ gửi cho tỉnh nào; không gửi."
        )
        report.add_argument(
            "--resend", action="store_true", help="Gửi lại cả khi tháng này đã gửi (ví dụ thư bị thất lạc)."
        )

    def handle(self, *args, action, month, province=None, dry_run=False, resend=False, **options):
        first = _month(month)
        provinces = None
        if province is not None:
            unit = Province.objects.filter(code=province).first()
            if unit is None:
                raise CommandError(f"Không có tỉnh mã {province}.")
            provinces = [unit]
        run = services.send_reports(first, provinces=provinces, dry_run=dry_run, resend=resend)
        if not run.outcomes:
            self.stdout.write("Không tỉnh nào có quản trị cấp tỉnh: không có gì để gửi.")
        for outcome, codes in run.outcomes.items():
            self.stdout.write(f"Tháng {first:%m/%Y} — {LABELS[outcome]}: tỉnh {', '.join(map(str, codes))}")
        if run.count(scorecard_report.FAILED):
            raise CommandError("Có tỉnh gửi lỗi; xem nhật ký.")
