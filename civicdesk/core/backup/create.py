"""Making a backup: `create_backup(actor, to)` by hand, `backup_if_due()` once a day from the worker."""

import logging
import os
import platform
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import system

from .. import audit
from . import engines
from .manifest import (
    FORMAT,
    FORMAT_VERSION,
    NAME_PREFIX,
    BackupError,
    copy_hashed,
    file_entry,
    fsync_directory,
    list_backups,
    prune,
    utc_stamp,
    write_manifest,
)

log = logging.getLogger(__name__)

MEDIA = "media"


@dataclass(frozen=True)
class Made:
    path: Path
    manifest: dict

    @property
    def size(self):
        return sum(entry["size"] for entry in self.manifest["files"].values())


def _civicdesk_version():
    try:
        return version("civicdesk")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _media_files(root):
    """(absolute path, path relative to MEDIA_ROOT in POSIX form) of every regular file under MEDIA_ROOT."""
    if not root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                log.warning("Backup: %s is not a regular file; left out", path)
                continue
            yield path, path.relative_to(root).as_posix()


def _reserve(root, moment):
    """A new backup's name and its partial directory, created here (mkdir is atomic: two backups started in the same
    second get -2, -3…)."""
    stem = f"{NAME_PREFIX}{moment:%Y%m%d-%H%M%S}"
    for n in range(1, 100):
        name = stem if n == 1 else f"{stem}-{n}"
        if (root / name).exists():
            continue
        partial = root / f".{name}.partial"
        try:
            # Backups hold everyone's personal data: readable by the service account only.
            partial.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return name, partial
    raise BackupError(_("Không tạo được thư mục mới trong %(path)s.") % {"path": root})


def create_backup(actor, to, *, progress=None):
    """Write a complete backup of the database and the uploaded files into a new directory inside `to`.

    The directory is built as `.civicdesk-….partial` and renamed to `civicdesk-YYYYMMDD-HHMMSS` (UTC) only when its
    manifest is written, so a backup cut short never looks complete (a failed one removes its partial directory).
    The database is copied first, then the files: a row in the copy never names a file missing from it."""
    progress = progress or (lambda message: None)
    started = time.monotonic()
    root = Path(to).expanduser().resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if root == media_root or media_root in root.parents:
        raise BackupError(
            _(
                "Không đặt bản sao lưu trong MEDIA_ROOT (%(media)s): các tệp tải lên sẽ chứa chính bản sao lưu."
            )
            % {"media": media_root}
        )
    database = engines.for_connection(connection)
    root.mkdir(parents=True, exist_ok=True)
    created_at = timezone.now()
    name, partial = _reserve(root, created_at.astimezone(UTC))
    try:
        progress(_("Sao lưu cơ sở dữ liệu %(engine)s…") % {"engine": database.engine})
        step = time.monotonic()
        snapshot = database.dump(partial / database.filename)
        files = {database.filename: file_entry(partial / database.filename)}
        progress(
            _("Cơ sở dữ liệu: %(size)s, %(seconds)s s.")
            % {"size": _megabytes(files[database.filename]["size"]), "seconds": _seconds(step)}
        )
        step = time.monotonic()
        count = 0
        for source, relative in _media_files(media_root):
            target = partial / MEDIA / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                files[f"{MEDIA}/{relative}"] = copy_hashed(source, target)
            except FileNotFoundError:
                # Deleted since the listing (an import's CSV file once its job ran): no row needs it.
                target.unlink(missing_ok=True)
                log.warning("Backup: %s was deleted during the backup; left out", source)
                continue
            count += 1
        progress(
            _("Tệp tải lên: %(n)s tệp từ %(media)s, %(seconds)s s.")
            % {"n": count, "media": media_root, "seconds": _seconds(step)}
        )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "name": name,
            "created_at": utc_stamp(created_at),
            "engine": database.engine,
            "database": {
                "file": database.filename,
                "name": database.describe(),
                "server_version": snapshot.server_version,
            },
            "versions": {
                "civicdesk": _civicdesk_version(),
                "django": django.get_version(),
                "python": platform.python_version(),
                **database.tool_versions(),
            },
            "schema": snapshot.schema,
            "row_counts": snapshot.row_counts,
            "media_root": str(media_root),
            "files": files,
            "seconds": round(time.monotonic() - started, 3),
        }
        write_manifest(partial, manifest)
        fsync_directory(partial)
        final = root / name
        partial.rename(final)
        fsync_directory(root)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    made = Made(final, manifest)
    audit.record(
        actor,
        audit.Action.EXPORT,
        object_type="core.backup",
        object_id=name,
        object_repr=str(final)[:200],
        changes={"engine": database.engine, "files": len(files), "bytes": made.size},
    )
    progress(
        _("Đã tạo bản sao lưu %(path)s (%(size)s, %(files)s tệp, %(seconds)s s).")
        % {"path": final, "size": _megabytes(made.size), "files": len(files), "seconds": _seconds(started)}
    )
    return made


def _seconds(since):
    return f"{time.monotonic() - since:.1f}"


def _megabytes(size):
    return f"{size / 1_000_000:.1f} MB"


def backup_if_due(now=None):
    """The daily backup into BACKUP_DIR, keeping the newest BACKUP_KEEP; None when there is nothing to do.

    The worker calls this every hour (huey's crontab reads the clock in UTC): it backs up from BACKUP_HOUR in Vietnam
    once a day, so a worker that was down at that hour makes up for it at the next run of the day."""
    directory = getattr(settings, "BACKUP_DIR", "")
    if not directory:
        return None
    local = timezone.localtime(now or timezone.now())
    hour = settings.BACKUP_HOUR
    if local.hour < hour:
        return None
    since = timezone.make_aware(datetime.combine(local.date(), datetime.min.time()) + timedelta(hours=hour))
    if any(found.created_at >= since for found in list_backups(directory)):
        return None
    made = create_backup(system(_("sao lưu hằng ngày")), directory)
    removed = prune(directory, settings.BACKUP_KEEP)
    log.info("Daily backup %s made; %d old backups removed", made.path, len(removed))
    return {"backup": str(made.path), "bytes": made.size, "removed": [str(path) for path in removed]}
