"""Background work of the core on huey: keep the attempt counters short (core/throttle.py)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="17"))
def purge_attempt_counters():
    """Every hour: delete the counters whose window has ended (the lockout and rate limits only read live ones)."""
    from .throttle import purge

    return purge()
