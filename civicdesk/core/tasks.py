"""Background work of the core on huey: keep the attempt counters short (core/throttle.py); the daily backup."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="17"))
def purge_attempt_counters():
    """Every hour: delete the counters whose window has ended (the lockout and rate limits only read live ones)."""
    from .throttle import purge

    return purge()


@db_periodic_task(crontab(minute="41"))
def daily_backup():
    """Every hour: the day's backup into BACKUP_DIR once it is BACKUP_HOUR in Vietnam (`backup_if_due`).

    huey's crontab reads the clock in UTC, so `crontab(hour="2")` would run at 09:00 in Vietnam; the hour is checked
    in Vietnam time instead, and a worker that was down at that hour makes up for it later the same day."""
    from .backup import backup_if_due

    return backup_if_due()
