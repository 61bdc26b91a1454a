from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicdesk.geo.services import import_hamlets
from civicdesk.kernel.actors import system


class Command(BaseCommand):
    help = "Nhập thôn, tổ dân phố từ tệp CSV (commune_code,name,kind,lat,lon,population[,languages] — languages: kpm:420;cma:35); không ghi gì nếu có lỗi."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, file, dry_run, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc}") from exc
        report = import_hamlets(system("civicdesk import_hamlets"), text, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"Tệp có {len(report.errors)} lỗi; chưa ghi dữ liệu nào.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Tệp hợp lệ (chạy thử, chưa ghi)."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Đã nhập: {report.created} mới, {report.updated} cập nhật.")
            )
