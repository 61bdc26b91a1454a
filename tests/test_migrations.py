"""Every migration of every app runs on an empty database, from zero to the latest.

The suite builds its test database from the models (`--no-migrations`, for speed), so this is the test that reads
the migrations themselves: a migration that only works on a database built some other way fails here (and
`makemigrations --check` in `make quality` keeps the models and the migrations in step). It runs on the suite's
database engine: SQLite in `make test`, PostgreSQL in `make test-pg` and CI. The empty database is a new one (in
memory, or a PostgreSQL database of its own), so the suite's test database is untouched.
"""

import psycopg
import pytest
from django.apps import apps
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.clock_free  # reads no clock: CI's frozen-date runs skip it (.ci/run)


def _admin_connection(settings_dict):
    """A PostgreSQL connection to the server's maintenance database, for CREATE and DROP DATABASE."""
    params = {
        "dbname": "postgres",
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


@pytest.fixture
def empty_database(settings, django_db_blocker):
    """The `default` connection, pointed at a new empty database for the test (data migrations use it too)."""
    settings.MIGRATION_MODULES = {}  # pytest-django's --no-migrations hides them from the loader
    settings_dict = dict(connections["default"].settings_dict)
    postgres = settings_dict["ENGINE"] == "django.db.backends.postgresql"
    if postgres:
        settings_dict["NAME"] = f"{settings_dict['NAME']}_migrations"[:63]
        with django_db_blocker.unblock(), _admin_connection(settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            admin.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    else:
        settings_dict["NAME"] = ":memory:"
    fresh = ConnectionHandler({"default": settings_dict})["default"]
    suite_connection = connections["default"]
    connections["default"] = fresh
    try:
        with django_db_blocker.unblock():
            yield fresh
    finally:
        fresh.close()
        connections["default"] = suite_connection
        if postgres:
            with django_db_blocker.unblock(), _admin_connection(settings_dict) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def test_every_migration_runs_forward_from_zero(empty_database):
    executor = MigrationExecutor(empty_database)
    assert executor.loader.applied_migrations == {}, "the database is not empty"
    assert not executor.loader.detect_conflicts(), "two leaf migrations in one app: merge them"

    # A few seconds, nearly all of it Django rendering the model states; going back to zero too would triple it.
    executor.migrate(executor.loader.graph.leaf_nodes())

    executor.loader.build_graph()
    assert set(executor.loader.applied_migrations) == set(executor.loader.graph.nodes)
    models = apps.get_models(include_auto_created=True)
    expected = {m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy}
    with empty_database.cursor() as cursor:
        tables = set(empty_database.introspection.table_names(cursor))
    assert expected <= tables, "a model has no table after every migration ran"
