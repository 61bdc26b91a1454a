"""`civicdesk backup [--to DIR] [--keep N]`: back up the database and the uploaded files (civicdesk/core/backup).

Writes DIR/civicdesk-YYYYMMDD-HHMMSS/ (UTC) and prints its path; `--keep N` then removes all but the newest N
CivicDesk backups in DIR. Exit status 1 when the backup could not be made (nothing is left behind).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civicdesk.core.backup import BackupError, create_backup, prune
from civicdesk.kernel.actors import system


class Command(BaseCommand):
    # No system checks first: they import every URL module (seconds), and a restore in an emergency must not wait
    # on, or be stopped by, a check about something else.
    requires_system_checks = []
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp tải lên vào một thư mục mới civicdesk-YYYYMMDD-HHMMSS trong DIR, "
        "kèm manifest.json (số dòng, mã SHA-256 từng tệp). Xem docs/deploy/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            metavar="DIR",
            default=None,
            help=_("Thư mục chứa các bản sao lưu (mặc định: BACKUP_DIR)."),
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help=_("Sau khi sao lưu, chỉ giữ N bản sao lưu CivicDesk mới nhất trong thư mục."),
        )

    def handle(self, *args, to=None, keep=None, verbosity=1, **options):
        to = to or settings.BACKUP_DIR
        if not to:
            raise CommandError(_("Cần chỉ thư mục: --to DIR (hoặc đặt BACKUP_DIR)."))
        if keep is not None and keep < 1:
            raise CommandError(_("--keep phải từ 1 trở lên."))
        progress = self.stdout.write if verbosity >= 1 else None
        try:
            made = create_backup(system(_("lệnh civicdesk backup")), to, progress=progress)
            removed = prune(to, keep) if keep is not None else []
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for path in removed:
            self.stdout.write(_("Đã xóa bản sao lưu cũ %(path)s") % {"path": path})
        self.stdout.write(self.style.SUCCESS(str(made.path)))
