"""Backups of the whole installation: the database and the uploaded files, with a manifest to check them by.

    civicdesk backup --to /var/backups/civicdesk     # create_backup
    civicdesk restore /var/backups/civicdesk/civicdesk-20260301-190000      # restore_backup

A backup is a directory `civicdesk-YYYYMMDD-HHMMSS` (UTC) holding the database (`database.sqlite3`, made with
SQLite's online backup API, or `database.dump`, `pg_dump --format=custom`), the files of MEDIA_ROOT under `media/`,
and `manifest.json`: when, which engine, the latest migration per app, the versions, rows per model and the SHA-256
of every file. The worker makes one a day into BACKUP_DIR (`backup_if_due`). See docs/deploy/backup.md.
"""

from .create import backup_if_due, create_backup
from .manifest import BackupError, list_backups, prune
from .restore import check_backup, restore_backup

__all__ = [
    "BackupError",
    "backup_if_due",
    "check_backup",
    "create_backup",
    "list_backups",
    "prune",
    "restore_backup",
]
