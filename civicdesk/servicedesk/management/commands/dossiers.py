import sys
import time

from django.core.management.base import BaseCommand, CommandError

from civicdesk.core.models import User
from civicdesk.kernel.actors import system
from civicdesk.servicedesk import services


class Command(BaseCommand):
    help = "Hồ sơ một cửa: nhập tệp CSV từ hệ thống một cửa của tỉnh, tính lại số liệu tổng hợp."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Nhập hồ sơ từ tệp CSV (kiểm tra toàn bộ trước; lỗi thì không ghi gì)."
        )
        imp.add_argument(
            "file",
            help="Tệp CSV UTF-8 với các cột: "
            + ", ".join(services.importer.COLUMNS)
            + "; tùy chọn: "
            + ", ".join(services.importer.OPTIONAL_COLUMNS),
        )
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        imp.add_argument("--user", help="Tên đăng nhập của quản trị cấp tỉnh thực hiện (ghi vào nhật ký).")
        sub.add_parser(
            "refresh-stats", help="Tính lại toàn bộ số liệu tổng hợp theo ngày và theo tháng từ hồ sơ."
        )

    def _progress(self, percent, message=""):
        sys.stderr.write(f"\r[{percent:3d}%] {message:<60}")
        sys.stderr.flush()

    def handle(self, *args, action, **options):
        if action == "refresh-stats":
            rows = services.rebuild_all_stats(progress=self._progress)
            sys.stderr.write("\n")
            self.stdout.write(self.style.SUCCESS(f"Đã tính lại {rows} dòng số liệu tổng hợp theo ngày."))
            return
        actor = system("civicdesk dossiers import")
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {options['user']!r}.")
        started = time.monotonic()
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                result = services.import_dossiers(
                    actor, handle, dry_run=options["dry_run"], progress=self._progress
                )
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Tệp phải được lưu với bảng mã UTF-8.") from exc
        sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        if not result.ok:
            for line in result.error_lines():
                self.stderr.write(line)
            raise CommandError(f"Tệp có {len(result.errors)} lỗi; chưa ghi hồ sơ nào.")
        for code, count in sorted(result.unknown_procedures.items()):
            self.stdout.write(
                self.style.WARNING(
                    f"Mã thủ tục chưa có trong Cẩm nang: {code} ({count} hồ sơ) — đã nhập và đánh dấu."
                )
            )
        if result.dry_run:
            self.stdout.write(self.style.SUCCESS(f"Tệp hợp lệ: {result.rows} dòng (chưa ghi, --dry-run)."))
            return
        rate = result.rows / elapsed * 60 if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} hồ sơ mới, {result.updated} cập nhật "
                f"({elapsed:.1f} s, {rate:,.0f} dòng/phút)."
            )
        )
