"""`civicdesk restore DIR [--force] [--check]`: restore a backup made by `civicdesk backup` (civicdesk/core/backup).

Exit status: 0 restored, every model's row count equal to the manifest's (or, with --check, every file verified);
1 refused with nothing touched (a missing or corrupted file, another engine, a database that already holds data
without --force); 3 restored but some row counts differ from the manifest (listed).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core.backup import BackupError, check_backup, restore_backup
from civicdesk.core.backup.manifest import parse_stamp
from civicdesk.kernel.actors import system

EXIT_COUNTS_DIFFER = 3


class Command(BaseCommand):
    # No system checks first: they import every URL module (seconds), and a restore in an emergency must not wait
    # on, or be stopped by, a check about something else.
    requires_system_checks = []
    help = (
        "Khôi phục một bản sao lưu của `civicdesk backup`: kiểm tra mã SHA-256 mọi tệp trước, rồi khôi phục cơ sở "
        "dữ liệu và các tệp tải lên, rồi so số dòng từng mô hình với manifest. Xem docs/deploy/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", metavar="DIR", help=_("Thư mục civicdesk-YYYYMMDD-HHMMSS của bản sao lưu.")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Khôi phục cả khi cơ sở dữ liệu đích đang có dữ liệu (thay toàn bộ bằng bản sao lưu)."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Chỉ kiểm tra bản sao lưu (manifest, mã SHA-256), không ghi gì."),
        )

    def handle(self, *args, directory, force=False, check=False, verbosity=1, **options):
        progress = self.stdout.write if verbosity >= 1 else None
        try:
            if check:
                self.describe(check_backup(directory, progress))
                return
            restored = restore_backup(
                system(_("lệnh civicdesk restore")), directory, force=force, progress=progress
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for note in restored.notes:
            self.stderr.write(self.style.WARNING(note))
        if restored.media_left:
            self.stdout.write(
                _("%(n)s tệp đã có trong MEDIA_ROOT không có trong bản sao lưu: để nguyên.")
                % {"n": restored.media_left}
            )
        if not restored.audited:
            self.stderr.write(
                self.style.WARNING(_("Không ghi được nhật ký kiểm toán (chạy `civicdesk migrate`)."))
            )
        self.counts(restored)
        if restored.differences:
            raise CommandError(
                _("Số dòng của %(n)s mô hình khác với manifest (xem bảng trên).")
                % {"n": len(restored.differences)},
                returncode=EXIT_COUNTS_DIFFER,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã khôi phục %(name)s: số dòng của mọi mô hình khớp với manifest.")
                % {"name": restored.manifest["name"]}
            )
        )

    def counts(self, restored):
        expected = restored.manifest["row_counts"]
        differing = {label for label, _before, _after in restored.differences}
        labels = sorted(set(expected) | set(restored.counts))
        shown = [
            label
            for label in labels
            if expected.get(label) or restored.counts.get(label) or label in differing
        ]
        width = max((len(label) for label in shown), default=10)
        self.stdout.write(_("Số dòng theo mô hình (manifest → sau khi khôi phục):"))
        for label in shown:
            before, after = expected.get(label), restored.counts.get(label)
            mark = "≠" if label in differing else "="
            self.stdout.write(f"  {label.ljust(width)}  {_dash(before):>9} {mark} {_dash(after)}")
        self.stdout.write(
            _("%(same)s mô hình khớp (trong đó %(empty)s mô hình không có dòng nào), %(different)s khác.")
            % {
                "same": len(labels) - len(differing),
                "empty": len(labels) - len(shown),
                "different": len(differing),
            }
        )

    def describe(self, manifest):
        created = parse_stamp(manifest["created_at"])
        rows = sum(manifest["row_counts"].values())
        size = sum(entry["size"] for entry in manifest["files"].values())
        write = self.stdout.write
        write(_("Bản sao lưu %(name)s") % {"name": manifest["name"]})
        write(
            _("  Tạo lúc: %(utc)s (giờ Việt Nam %(local)s)")
            % {"utc": manifest["created_at"], "local": f"{timezone.localtime(created):%d/%m/%Y %H:%M:%S}"}
        )
        write(
            _("  Cơ sở dữ liệu: %(engine)s (%(name)s)")
            % {"engine": manifest["engine"], "name": manifest["database"]["name"]}
        )
        write(
            _("  Phiên bản: %(versions)s")
            % {"versions": ", ".join(f"{k} {v}" for k, v in manifest["versions"].items())}
        )
        write(
            _("  %(rows)s dòng trong %(models)s mô hình; %(files)s tệp, %(size)s MB")
            % {
                "rows": rows,
                "models": len(manifest["row_counts"]),
                "files": len(manifest["files"]),
                "size": f"{size / 1_000_000:.1f}",
            }
        )
        write(self.style.SUCCESS(_("Mọi tệp đều khớp mã SHA-256 trong manifest.")))


def _dash(value):
    return "—" if value is None else str(value)
