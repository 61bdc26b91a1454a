from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from civicdesk.core.workcal import VN_TZ
from civicdesk.geo.models import Province


class Command(BaseCommand):
    help = "Đường dây nóng: kiểm tra hạn (check-sla), nhận thư (fetch-mail), bảng lĩnh vực và nhóm trả lời (fields)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check-sla", help="Cảnh báo sắp quá hạn, báo trưởng nhóm khi quá hạn, tự đóng câu hỏi."
        )
        check.add_argument("--now", help="Thời điểm ISO 8601 (mặc định: bây giờ), để chạy thử.")
        mail = sub.add_parser(
            "fetch-mail", help="Nhận thư vào đường dây nóng (IMAP, thư mục maildir hoặc tệp .eml)."
        )
        source = mail.add_mutually_exclusive_group(required=True)
        source.add_argument("--dir", help="Thư mục chứa tệp .eml hoặc một maildir (cur/, new/).")
        source.add_argument("--imap", action="store_true", help="Đọc thư chưa xem qua IMAP (HOTLINE_IMAP_*).")
        sub.add_parser("fields", help="In các mã lĩnh vực và nhóm nhận câu hỏi của từng tỉnh có cấu hình.")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _check_sla(self, now=None, **options):
        from civicdesk.hotline.services import check_sla

        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"Thời điểm không hợp lệ: {now!r} (ví dụ 2026-02-23T09:00)") from exc
            moment = moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
        counts = check_sla(moment)
        self.stdout.write(
            f"Cảnh báo: {counts['warned']}, quá hạn (đã báo trưởng nhóm): {counts['breached']}, "
            f"tự đóng: {counts['closed']}"
        )

    def _fetch_mail(self, dir=None, imap=False, **options):
        from civicdesk.hotline.channels.email_in import fetch_directory, fetch_imap

        try:
            results = fetch_imap() if imap else fetch_directory(dir)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        handled = [r for r in results if r is not None]
        self.stdout.write(f"Thư: {len(results)}, đã xử lý trước đó: {len(results) - len(handled)}")
        for record in handled:
            self.stdout.write(f"  {record.sender}: {record.get_outcome_display()} — {record.note}")

    def _fields(self, **options):
        from civicdesk.hotline.services.routing import routing_table

        for province in Province.objects.filter(hotline_teams__isnull=False).distinct():
            self.stdout.write(f"{province.name}:")
            for row in routing_table(province):
                team = row["team"].name if row["team"] else "— (tổng đài phân loại)"
                self.stdout.write(f"  {row['field'].code:<16} {row['field'].name:<40} → {team}")
