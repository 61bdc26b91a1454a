"""Putting a backup back: `check_backup(path)` reads and verifies it, `restore_backup(actor, path)` restores it.

Everything that can refuse does so before anything is touched: the manifest, every file's SHA-256, the engine, a
target that already holds data (unless `force`). Then the database, then the uploaded files, then the row counts
are read back and compared with the manifest's.
"""

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from .. import audit
from . import engines
from .manifest import BackupError, copy_hashed, member, read_manifest, verify

log = logging.getLogger(__name__)

MEDIA_PREFIX = "media/"


@dataclass
class Restored:
    manifest: dict
    counts: dict
    differences: list  # (model label, rows in the manifest or None, rows now or None)
    media_left: int = 0  # files that were in MEDIA_ROOT, are not in the backup, and were left in place
    notes: list = field(default_factory=list)
    audited: bool = True


def check_backup(path, progress=None):
    """The manifest of the backup at `path` once every file in it is verified; BackupError names what is wrong."""
    path = Path(path)
    manifest = read_manifest(path)
    verify(path, manifest, progress)
    return manifest


def schema_notes(manifest):
    """What to say when the backup's migrations are not the code's: older (run migrate after) or unknown."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = dict(loader.graph.leaf_nodes())
    unknown, behind = [], []
    for app, name in (manifest.get("schema") or {}).items():
        if (app, name) not in loader.graph.nodes:
            unknown.append(f"{app}.{name}")
        elif leaves.get(app) != name:
            behind.append(app)
    notes = []
    if unknown:
        notes.append(
            _(
                "Bản sao lưu có migration mà mã nguồn này không biết (%(names)s): nó được tạo bởi phiên bản "
                "CivicDesk mới hơn. Hãy cài đúng phiên bản %(version)s trước khi chạy."
            )
            % {"names": ", ".join(unknown), "version": manifest["versions"].get("civicdesk", "?")}
        )
    if behind:
        notes.append(
            _("Bản sao lưu cũ hơn mã nguồn (%(apps)s): chạy `civicdesk migrate` sau khi khôi phục.")
            % {"apps": ", ".join(behind)}
        )
    return notes


def restore_backup(actor, path, *, force=False, progress=None):
    """Restore the backup at `path` into the configured database and MEDIA_ROOT.

    Refused, with nothing touched, when a file is missing or differs from its checksum, when the backup is of
    another engine, or when the database already holds data and `force` is not given. Files in MEDIA_ROOT that the
    backup does not have are left in place (counted in `media_left`)."""
    progress = progress or (lambda message: None)
    path = Path(path)
    started = time.monotonic()
    progress(_("Kiểm tra mã SHA-256 của các tệp trong %(path)s…") % {"path": path})
    manifest = check_backup(path, progress)
    progress(_("Kiểm tra xong: %(seconds)s s.") % {"seconds": f"{time.monotonic() - started:.1f}"})
    database = engines.for_connection(connection)
    if manifest["engine"] != database.engine:
        raise BackupError(
            _(
                "Bản sao lưu là của cơ sở dữ liệu %(backup)s, cơ sở dữ liệu đang cấu hình là %(target)s: không "
                "khôi phục chéo. Đặt DATABASE_URL trỏ tới một cơ sở dữ liệu %(backup)s."
            )
            % {"backup": manifest["engine"], "target": database.engine}
        )
    if not force:
        held = database.holds_data()
        if held:
            sample = ", ".join(
                f"{label}: {n}" for label, n in sorted(held.items(), key=lambda kv: -kv[1])[:5]
            )
            raise BackupError(
                _(
                    "Cơ sở dữ liệu %(name)s đang có dữ liệu (%(tables)s bảng có dòng, ví dụ %(sample)s). Không "
                    "khôi phục đè; thêm --force nếu thật sự muốn thay toàn bộ dữ liệu bằng bản sao lưu."
                )
                % {"name": database.describe(), "tables": len(held), "sample": sample}
            )
    notes = schema_notes(manifest)
    progress(_("Khôi phục cơ sở dữ liệu %(name)s…") % {"name": database.describe()})
    step = time.monotonic()
    database.restore(path / manifest["database"]["file"])
    progress(_("Cơ sở dữ liệu: %(seconds)s s.") % {"seconds": f"{time.monotonic() - step:.1f}"})
    step = time.monotonic()
    restored_files, left = _restore_media(path, manifest)
    progress(
        _("Tệp tải lên: %(n)s tệp vào %(media)s, %(seconds)s s.")
        % {"n": restored_files, "media": settings.MEDIA_ROOT, "seconds": f"{time.monotonic() - step:.1f}"}
    )
    counts = database.live_counts()
    expected = manifest["row_counts"]
    differences = [
        (label, expected.get(label), counts.get(label))
        for label in sorted(set(expected) | set(counts))
        if expected.get(label) != counts.get(label) and (label in expected or counts.get(label))
    ]
    result = Restored(manifest, counts, differences, left, notes)
    try:
        audit.record(
            actor,
            audit.Action.IMPORT,
            object_type="core.backup",
            object_id=manifest["name"],
            object_repr=str(path)[:200],
            changes={
                "created_at": manifest["created_at"],
                "engine": manifest["engine"],
                "differences": len(differences),
                "seconds": round(time.monotonic() - started, 1),
            },
        )
    except DatabaseError:
        # A backup older than the code has no column the log needs yet: the restore itself stands.
        log.warning("Restore of %s could not be written to the audit log", path, exc_info=True)
        result.audited = False
    return result


def _restore_media(directory, manifest):
    media_root = Path(settings.MEDIA_ROOT)
    restored = set()
    for relative in sorted(manifest["files"]):
        if not relative.startswith(MEDIA_PREFIX):
            continue
        inside = PurePosixPath(relative[len(MEDIA_PREFIX) :])
        target = media_root.joinpath(*inside.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        temporary.unlink(missing_ok=True)
        copy_hashed(member(directory, relative), temporary)
        os.replace(temporary, target)  # a reader sees the old file or the new one, never half of it
        restored.add(inside.as_posix())
    left = 0
    if media_root.is_dir():
        for folder, _dirs, names in os.walk(media_root):
            for name in names:
                if (Path(folder) / name).relative_to(media_root).as_posix() not in restored:
                    left += 1
    return len(restored), left
