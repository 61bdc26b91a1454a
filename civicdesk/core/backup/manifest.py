"""A backup's manifest: what the directory holds, and the SHA-256 and size of every file, to check it by.

`manifest.json` is written last, inside a directory with a temporary name that is renamed only when everything is
in it: a directory named `civicdesk-…` with a manifest is a complete backup. Pruning reads the manifest too, and
removes only directories whose manifest says they are CivicDesk backups.
"""

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

FORMAT = "civicdesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
NAME_PREFIX = "civicdesk-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be made, or a restore was refused before touching anything; the message says why."""


@dataclass(frozen=True)
class Found:
    """A complete backup found in a directory: its path, when it was made (UTC) and its manifest."""

    path: Path
    created_at: datetime
    manifest: dict


def utc_stamp(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def copy_hashed(source, target):
    """Copy `source` to `target` (mtime kept, flushed to disk); the copy's entry for the manifest."""
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as src, open(target, "xb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    stat = os.stat(source)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return {"sha256": digest.hexdigest(), "size": size}


def file_entry(path):
    """The manifest's entry for a file already in the backup (the database dump), flushed to disk."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb+") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(handle.fileno())
    return {"sha256": digest.hexdigest(), "size": size}


def write_manifest(directory, manifest):
    path = Path(directory) / MANIFEST
    with open(path, "x", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def fsync_directory(directory):
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load(directory):
    """The manifest of `directory` if it is a CivicDesk backup's, else None (never raises for a stranger)."""
    try:
        with open(Path(directory) / MANIFEST, encoding="utf-8") as handle:
            manifest = json.load(handle)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return None
        parse_stamp(manifest["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def read_manifest(directory):
    """The manifest of the backup in `directory`; BackupError when there is none or it is not one we can read."""
    directory = Path(directory)
    if not (directory / MANIFEST).is_file():
        message = _("%(path)s không phải là một bản sao lưu đầy đủ: không có %(manifest)s.") % {
            "path": directory,
            "manifest": MANIFEST,
        }
        inside = list_backups(directory) if directory.is_dir() else []
        if inside:
            message += " " + _("Bản sao lưu mới nhất trong thư mục này: %(path)s") % {"path": inside[0].path}
        raise BackupError(message)
    manifest = _load(directory)
    if manifest is None:
        raise BackupError(
            _("%(file)s không đọc được hoặc không phải của một bản sao lưu CivicDesk.")
            % {"file": directory / MANIFEST}
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("Bản sao lưu có định dạng phiên bản %(found)s; bản CivicDesk này đọc phiên bản %(known)s.")
            % {"found": manifest.get("format_version"), "known": FORMAT_VERSION}
        )
    return manifest


def member(directory, relative):
    """The path of a file the manifest lists, refused if the name would leave the backup's directory."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or any(p in ("..", "") for p in parts):
        raise BackupError(_("Tên tệp không hợp lệ trong manifest: %(file)s") % {"file": relative})
    return Path(directory).joinpath(*parts)


def verify(directory, manifest, progress=None):
    """Check every file the manifest lists: present, the same size, the same SHA-256. BackupError names the first
    file that is missing or differs; nothing is read twice and nothing is written."""
    files = manifest.get("files") or {}
    if manifest["database"]["file"] not in files:
        raise BackupError(_("Manifest không liệt kê tệp cơ sở dữ liệu %(file)s.") % manifest["database"])
    for index, (relative, expected) in enumerate(sorted(files.items()), start=1):
        path = member(directory, relative)
        if not path.is_file():
            raise BackupError(
                _("Bản sao lưu không đầy đủ: thiếu tệp %(file)s. Không khôi phục gì.") % {"file": relative}
            )
        if path.stat().st_size != expected["size"]:
            raise BackupError(
                _("Tệp %(file)s bị hỏng: %(size)s byte, manifest ghi %(expected)s byte. Không khôi phục gì.")
                % {"file": relative, "size": path.stat().st_size, "expected": expected["size"]}
            )
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise BackupError(
                _("Tệp %(file)s bị hỏng: mã SHA-256 không khớp với manifest. Không khôi phục gì.")
                % {"file": relative}
            )
        if progress and (index % 500 == 0 or index == len(files)):
            progress(_("Đã kiểm tra %(n)s/%(total)s tệp.") % {"n": index, "total": len(files)})


def list_backups(directory):
    """The complete CivicDesk backups directly inside `directory`, newest first (by the manifest's created_at)."""
    found = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
            continue
        manifest = _load(entry.path)
        if manifest is not None:
            found.append(Found(Path(entry.path), parse_stamp(manifest["created_at"]), manifest))
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def prune(directory, keep):
    """Remove all but the newest `keep` CivicDesk backups in `directory`; what else is there is left alone.
    Returns the removed paths."""
    if keep < 1:
        raise BackupError(
            _("Phải giữ lại ít nhất một bản sao lưu (BACKUP_KEEP = %(keep)s).") % {"keep": keep}
        )
    removed = []
    for backup in list_backups(directory)[keep:]:
        shutil.rmtree(backup.path)
        removed.append(backup.path)
    return removed
