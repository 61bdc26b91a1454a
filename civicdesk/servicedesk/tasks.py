"""Background work of the service desk on huey: the monthly scorecard e-mail to each province's admins, and the
hourly purge of expired intake idempotency keys.

The scorecard runs every hour at minute 30 and sends only on the first working day of a month from 07:30
(Asia/Ho_Chi_Minh, checked in `send_due` against the working calendar: huey's crontab reads the clock in UTC, and no
crontab knows Tết). The later runs of that day retry a failed province; the `ScorecardReport` row keeps a sent one
from going twice.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="30"))
def send_monthly_scorecard_reports():
    from .services import send_due

    run = send_due()
    # A plain dict in the result store, not the class: a stored result outlives a change to the code.
    return run.as_dict() if run is not None else None


@db_periodic_task(crontab(minute="53"))
def purge_intake_keys():
    """Every hour: delete the intake idempotency keys past SERVICEDESK_IDEMPOTENCY_DAYS (a worker that was down
    catches up at its next run: the purge reads the age of each key, not the time of the last run)."""
    from .services import purge_intake_keys as purge

    return purge()
