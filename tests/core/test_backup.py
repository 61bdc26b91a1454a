"""Backups: `civicdesk backup` and `civicdesk restore` round trips, the refusals, and the daily job's pruning.

A backup is made in this process, from the suite's test database (committed rows: transactional tests), and restored
by `civicdesk restore` in a process of its own into a new empty database — a SQLite file under tmp_path, or on
PostgreSQL a scratch database this test creates and drops — with its own MEDIA_ROOT.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from civicdesk.core.backup import BackupError, backup_if_due, create_backup, list_backups, prune
from civicdesk.core.backup.engines import counted_models
from civicdesk.core.backup.manifest import FORMAT, FORMAT_VERSION, MANIFEST
from civicdesk.core.models import AuditEvent
from tests.factories import SYSTEM, HamletFactory

SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]
# SQLite's online backup API cannot copy from inside the test's open transaction (it would wait for it forever), so
# a test that backs up on SQLite commits its rows; on PostgreSQL pg_dump reads committed rows only, which the refusal
# tests do not need — they keep the (much faster) transaction rolled back.
BACKS_UP = pytest.mark.django_db(transaction=SQLITE)
ATTACHMENT = b"%PDF-1.7 to khai dang ky khai sinh \x00\xff\xfe" * 50
SAMPLED_TABLES = ["core_user", "geo_commune", "geo_hamlet", "hotline_ticket", "hotline_attachment"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def records(alice, charlie, media):
    """Alice's question to the hotline with a PDF attached (a file in MEDIA_ROOT), a hamlet, audit events."""
    from civicdesk.handbook.fields import ensure_fields
    from civicdesk.hotline import services as hotline

    pdf = SimpleUploadedFile("tờ khai.pdf", ATTACHMENT, content_type="application/pdf")
    ticket = hotline.create_ticket(
        alice,
        field=ensure_fields()["ho_tich"],
        title="Đăng ký khai sinh có yếu tố nước ngoài",
        body="Mẹ là công dân Việt Nam, cha là người nước ngoài; xã có thẩm quyền không?",
        attachments=[pdf],
    )
    HamletFactory(commune=alice.commune, name="Bon K'Long")
    (media / "servicedesk-imports").mkdir(parents=True)
    (media / "servicedesk-imports" / "ho-so.csv").write_text("ma_ho_so,trang_thai\nHS-1,da_tiep_nhan\n")
    return ticket


def counts_now():
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        counts = {}
        for model in counted_models():
            if model._meta.db_table in tables:
                counts[model._meta.label] = model._base_manager.count()
    return counts


def media_files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def restore_command(backup, database_url, media_root, tmp_path, *options):
    """`civicdesk restore` in a process of its own, on another database and MEDIA_ROOT."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "CIVICDESK_VAR": str(tmp_path / "var-restored"),
    }
    return subprocess.run(
        [sys.executable, "-m", "civicdesk.cli", "restore", str(backup), *options],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def assert_restored(before, restored_counts, manifest):
    assert manifest["row_counts"] == before
    # The restore appends one audit event of its own (who restored what), after comparing the counts.
    assert restored_counts == {**before, "core.AuditEvent": before["core.AuditEvent"] + 1}


@pytest.mark.skipif(not SQLITE, reason="The suite runs on PostgreSQL: the PostgreSQL round trip covers it.")
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_an_empty_database_file(records, media, tmp_path):
    before = counts_now()
    made = create_backup(SYSTEM, tmp_path / "backups")

    assert made.path.parent == tmp_path / "backups" and made.path.name.startswith("civicdesk-")
    manifest = json.loads((made.path / MANIFEST).read_text())
    assert manifest["format"] == FORMAT and manifest["engine"] == "sqlite"
    assert manifest["created_at"].endswith("Z") and manifest["versions"]["django"].startswith("5.2")
    assert set(manifest["files"]) == {"database.sqlite3", *(f"media/{name}" for name in media_files(media))}
    assert AuditEvent.objects.filter(object_type="core.backup", action="export").count() == 1

    target, restored_media = tmp_path / "restored" / "civicdesk.sqlite3", tmp_path / "media-restored"
    done = restore_command(made.path, f"sqlite:///{target}", restored_media, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "số dòng của mọi mô hình khớp với manifest" in done.stdout
    assert "hotline.Attachment" in done.stdout
    copy = sqlite3.connect(target)
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    restored_counts = {
        model._meta.label: copy.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]
        for model in counted_models()
        if model._meta.db_table in tables
    }
    assert_restored(before, restored_counts, manifest)
    # Every row of every table, as SQL text, except the audit event the restore added.
    source = [line for line in connection.connection.iterdump() if "core_auditevent" not in line]
    restored = [line for line in copy.iterdump() if "core_auditevent" not in line]
    copy.close()
    assert restored == source and any('INSERT INTO "hotline_attachment"' in line for line in restored)
    assert media_files(restored_media) == media_files(media)
    assert ATTACHMENT in media_files(restored_media).values()


def _admin_connection(settings_dict, dbname="postgres"):
    params = {
        "dbname": dbname,
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


@pytest.fixture
def scratch_database(django_db_blocker):
    """A new empty PostgreSQL database, dropped after the test: (its settings, its DATABASE_URL)."""
    settings_dict = dict(connection.settings_dict)
    name = f"civicdesk_bk_{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock(), _admin_connection(settings_dict) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    try:
        yield {**settings_dict, "NAME": name}, f"postgres://{credentials}@{host}{port}/{name}"
    finally:
        with django_db_blocker.unblock(), _admin_connection(settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_state(settings_dict):
    with _admin_connection(settings_dict, settings_dict["NAME"]) as db:
        tables = {
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        }
        counts = {
            model._meta.label: db.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]
            for model in counted_models()
            if model._meta.db_table in tables
        }
        rows = {
            table: db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in SAMPLED_TABLES
        }
    return counts, rows


@pytest.mark.postgres
@pytest.mark.skipif(SQLITE, reason="Needs DATABASE_URL on PostgreSQL.")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_an_empty_database(records, media, tmp_path, scratch_database):
    scratch, url = scratch_database
    before = counts_now()
    made = create_backup(SYSTEM, tmp_path / "backups")
    manifest = json.loads((made.path / MANIFEST).read_text())
    assert manifest["engine"] == "postgresql" and "database.dump" in manifest["files"]
    assert manifest["versions"]["pg_dump"].startswith("pg_dump (PostgreSQL)")

    restored_media = tmp_path / "media-restored"
    done = restore_command(made.path, url, restored_media, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "số dòng của mọi mô hình khớp với manifest" in done.stdout
    restored_counts, restored_rows = _pg_state(scratch)
    assert_restored(before, restored_counts, manifest)
    _source_counts, source_rows = _pg_state(dict(connection.settings_dict))
    assert restored_rows == source_rows and restored_rows["hotline_attachment"]
    assert media_files(restored_media) == media_files(media)

    # Again, over the restored database (the refusal without --force is tested below, in this process):
    # pg_restore --clean drops and recreates every table, in one transaction.
    forced = restore_command(made.path, url, restored_media, tmp_path, "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert _pg_state(scratch)[0] == restored_counts


@pytest.fixture
def backup(records, tmp_path):
    return create_backup(SYSTEM, tmp_path / "backups").path


@BACKS_UP
@pytest.mark.parametrize("damage", ["corrupted", "truncated", "missing"])
def test_a_damaged_backup_is_refused_naming_the_file_and_nothing_is_touched(backup, media, damage):
    attachment = next((backup / "media" / "hotline").rglob("*.pdf"))
    name = attachment.relative_to(backup).as_posix()
    if damage == "corrupted":
        data = bytearray(attachment.read_bytes())
        data[100] ^= 0x01
        attachment.write_bytes(bytes(data))
    elif damage == "truncated":
        attachment.write_bytes(attachment.read_bytes()[:-1])
    else:
        attachment.unlink()
    before, files = counts_now(), media_files(media)

    with pytest.raises(CommandError, match=re.escape(name)) as refused:
        call_command("restore", str(backup), "--force")

    assert "Không khôi phục gì" in str(refused.value)
    assert counts_now() == before and media_files(media) == files


@BACKS_UP
def test_a_database_holding_data_is_refused_without_force(backup, media):
    before = counts_now()
    with pytest.raises(CommandError, match="--force") as refused:
        call_command("restore", str(backup))
    assert "đang có dữ liệu" in str(refused.value) and "core.User" in str(refused.value)
    assert counts_now() == before


@BACKS_UP
def test_a_backup_of_another_engine_is_refused(backup):
    manifest = json.loads((backup / MANIFEST).read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["engine"] = other
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=f"của cơ sở dữ liệu {other}, cơ sở dữ liệu đang cấu hình là"):
        call_command("restore", str(backup), "--force")


@BACKS_UP
def test_check_verifies_without_writing(backup, capsys):
    before = counts_now()
    call_command("restore", str(backup), "--check")
    assert "Mọi tệp đều khớp mã SHA-256" in capsys.readouterr().out
    assert counts_now() == before
    with pytest.raises(CommandError, match=r"không có manifest\.json\. Bản sao lưu mới nhất"):
        call_command("restore", str(backup.parent), "--check")


def test_a_backup_is_never_written_inside_media_root(media):
    with pytest.raises(BackupError, match="MEDIA_ROOT"):
        create_backup(SYSTEM, media / "backups")


@pytest.mark.skipif(not SQLITE, reason="PostgreSQL dumps from a connection of its own.")
@pytest.mark.django_db
def test_sqlite_is_not_backed_up_from_inside_a_transaction(alice, tmp_path):
    """The online backup API would wait forever for the connection's own write transaction."""
    with pytest.raises(BackupError, match="giao dịch"):
        create_backup(SYSTEM, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["backup", "restore"])
def test_help_prints(name):
    from django.core.management import load_command_class

    parser = load_command_class("civicdesk.core", name).create_parser("civicdesk", name)
    assert "docs/deploy/backup.md" in parser.format_help()


def fake_backup(directory, name, created_at, kind=FORMAT):
    path = directory / name
    path.mkdir(parents=True)
    stamp = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (path / MANIFEST).write_text(
        json.dumps({"format": kind, "format_version": FORMAT_VERSION, "created_at": stamp})
    )
    return path


def test_pruning_keeps_the_newest_n_civicdesk_backups_and_nothing_else(tmp_path):
    start = datetime(2026, 3, 1, 19, 41, tzinfo=UTC)
    ours = [fake_backup(tmp_path, f"civicdesk-{n}", start + timedelta(days=n)) for n in range(5)]
    stranger = fake_backup(tmp_path, "civicdesk-other-tool", start - timedelta(days=30), kind="other-backup")
    no_manifest = tmp_path / "civicdesk-20250101-000000"
    no_manifest.mkdir()
    partial = tmp_path / ".civicdesk-20260310-194100.partial"
    partial.mkdir()

    removed = prune(tmp_path, 2)

    assert sorted(removed) == sorted(ours[:3])
    assert [found.path for found in list_backups(tmp_path)] == [ours[4], ours[3]]
    assert stranger.exists() and no_manifest.exists() and partial.exists()


@BACKS_UP
def test_the_daily_job_backs_up_once_a_day_from_two_in_the_morning_vietnam_time(records, settings, tmp_path):
    from civicdesk.core.tasks import daily_backup

    settings.BACKUP_DIR, settings.BACKUP_KEEP, settings.BACKUP_HOUR = str(tmp_path), 3, 2
    old = [
        fake_backup(tmp_path, f"civicdesk-old-{n}", datetime(2026, 2, 20 + n, 19, 41, tzinfo=UTC))
        for n in range(4)
    ]
    # huey's crontab reads UTC: 18:59 UTC on the 27th is 01:59 on the 28th in Vietnam, 19:41 UTC is 02:41.
    before_two, after_two, later = (datetime(2026, 2, 27, h, 41, tzinfo=UTC) for h in (18, 19, 21))
    with time_machine.travel(before_two, tick=False):
        assert daily_backup.call_local() is None
    with time_machine.travel(after_two, tick=False):
        done = daily_backup.call_local()
    assert sorted(done["removed"]) == [str(path) for path in old[:2]]
    made = [found.path for found in list_backups(tmp_path)]
    assert made == [tmp_path / "civicdesk-20260227-194100", old[3], old[2]]
    with time_machine.travel(later, tick=False):  # done for the day
        assert backup_if_due() is None
    settings.BACKUP_DIR = ""
    with time_machine.travel(after_two + timedelta(days=1), tick=False):
        assert backup_if_due() is None
