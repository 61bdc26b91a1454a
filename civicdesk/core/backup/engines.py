"""The database half of a backup, per engine: a consistent copy with its row counts, and putting it back.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database in one step, under one read
transaction, so a running server and worker are fine; the counts are read from the copy. PostgreSQL: `pg_dump
--format=custom` reads the snapshot exported by the transaction that counts the rows, so the dump and its counts
are the same instant; `pg_restore --clean --if-exists --no-owner --single-transaction` puts it back (all or nothing).
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils.translation import gettext as _

from .manifest import BackupError

# Rows `civicdesk migrate` writes into an empty database by itself: such a database is still empty.
FILLED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission"}


@dataclass
class Snapshot:
    """What the manifest records about the database: rows per model and the latest migration per app."""

    row_counts: dict
    schema: dict
    server_version: str = ""


def counted_models():
    """Every model with a table of its own (many-to-many tables included), by label."""
    return sorted(
        (m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy),
        key=lambda m: m._meta.label,
    )


def row_counts(cursor, tables):
    """{model label: rows} for the models whose table exists, read with a DB-API `cursor`."""
    counts = {}
    for model in counted_models():
        table = model._meta.db_table
        if table in tables:
            cursor.execute('SELECT COUNT(*) FROM "{}"'.format(table.replace('"', '""')))
            counts[model._meta.label] = cursor.fetchone()[0]
    return counts


def schema_version(cursor, tables):
    """{app label: the latest migration applied}, from django_migrations ({} when there is no such table)."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations")
    latest = {}
    for app, name in cursor.fetchall():
        if app not in latest or _migration_key(name) > _migration_key(latest[app]):
            latest[app] = name
    return dict(sorted(latest.items()))


def _migration_key(name):
    number = name.split("_", 1)[0]
    return (int(number) if number.isdigit() else -1, name)


def for_connection(connection):
    """The engine of `connection` (Django's default database)."""
    if connection.vendor == "sqlite":
        return SqliteDatabase(connection)
    if connection.vendor == "postgresql":
        return PostgresDatabase(connection)
    raise BackupError(
        _("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s (chỉ SQLite và PostgreSQL).")
        % {"vendor": connection.vendor}
    )


class Database:
    engine = ""
    filename = ""

    def __init__(self, connection):
        self.connection = connection

    def live_counts(self):
        """{model label: rows} of the database as it is now."""
        with self.connection.cursor() as cursor:
            tables = set(self.connection.introspection.table_names(cursor))
            return row_counts(cursor, tables)

    def holds_data(self):
        """{model label: rows} of the models that have rows, those `migrate` fills by itself left out."""
        try:
            counts = self.live_counts()
        except DatabaseError as exc:
            raise BackupError(
                _("Không kết nối được cơ sở dữ liệu đích: %(error)s") % {"error": str(exc).strip()}
            ) from exc
        return {label: n for label, n in counts.items() if n and label not in FILLED_BY_MIGRATE}

    def describe(self):
        return str(self.connection.settings_dict["NAME"])


class SqliteDatabase(Database):
    engine = "sqlite"
    filename = "database.sqlite3"

    def dump(self, target):
        if self.connection.in_atomic_block:
            # The backup API would wait forever for this connection's own write transaction to end.
            raise BackupError(_("Không sao lưu SQLite từ bên trong một giao dịch (transaction) đang mở."))
        self.connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # One step: the whole copy is read under one read transaction (WAL lets writers carry on meanwhile).
            self.connection.connection.backup(copy)
            # A single self-contained file, whatever the live database's journal mode.
            copy.execute("PRAGMA journal_mode=DELETE")
            cursor = copy.cursor()
            tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            snapshot = Snapshot(
                row_counts(cursor, tables), schema_version(cursor, tables), sqlite3.sqlite_version
            )
            cursor.close()
        finally:
            copy.close()
        return snapshot

    def _is_file(self):
        return not self.connection.is_in_memory_db()

    def holds_data(self):
        if self._is_file() and not Path(self.connection.settings_dict["NAME"]).exists():
            return {}  # not even created yet; connecting would create it
        return super().holds_data()

    def restore(self, source):
        if not self._is_file():
            raise BackupError(
                _("Cơ sở dữ liệu SQLite đích nằm trong bộ nhớ; chỉ khôi phục được vào một tệp.")
            )
        target = Path(self.connection.settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        connections.close_all()
        reader = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
        writer = sqlite3.connect(target, timeout=60)
        try:
            # The backup API writes the destination in one transaction: other connections see the old database
            # or the restored one, never a mixture.
            reader.backup(writer)
        finally:
            writer.close()
            reader.close()

    def tool_versions(self):
        return {"sqlite": sqlite3.sqlite_version}


class PostgresDatabase(Database):
    engine = "postgresql"
    filename = "database.dump"

    def _run(self, tool, arguments):
        path = shutil.which(tool)
        if path is None:
            raise BackupError(
                _("Không tìm thấy %(tool)s: cài gói postgresql-client cùng phiên bản với máy chủ PostgreSQL.")
                % {"tool": tool}
            )
        settings_dict = self.connection.settings_dict
        _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
        env = {**(env or {}), "PGAPPNAME": "civicdesk-backup"}
        for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
            if settings_dict.get(key):
                env[name] = str(settings_dict[key])
        done = subprocess.run(
            [path, *arguments], env={**os.environ, **env}, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise BackupError(
                _("%(tool)s thất bại (mã %(code)s): %(error)s")
                % {"tool": tool, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
            )
        return done.stdout

    def _dbname(self):
        return f"--dbname={self.connection.settings_dict['NAME']}"

    def dump(self, target):
        snapshot_connection = self.connection.copy()
        try:
            with snapshot_connection.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot_id, server_version = cursor.fetchone()
                tables = set(snapshot_connection.introspection.table_names(cursor))
                snapshot = Snapshot(
                    row_counts(cursor, tables), schema_version(cursor, tables), server_version
                )
                # pg_dump reads the very snapshot the counts were taken in (the transaction stays open meanwhile).
                self._run(
                    "pg_dump",
                    [
                        "--format=custom",
                        "--no-password",
                        f"--snapshot={snapshot_id}",
                        f"--file={target}",
                        self._dbname(),
                    ],
                )
                cursor.execute("COMMIT")
        finally:
            snapshot_connection.close()
        return snapshot

    def restore(self, source):
        connections.close_all()
        self._run(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                self._dbname(),
                str(source),
            ],
        )

    def tool_versions(self):
        return {"pg_dump": self._run("pg_dump", ["--version"]).strip()}
