"""Background work of the service desk on huey: the monthly scorecard e-mail to each province's admins.

Runs every hour at minute 30 and sends only on the first working day of a month from 07:30 (Asia/Ho_Chi_Minh, checked
in `send_due` against the working calendar: huey's crontab reads the clock in UTC, and no crontab knows Tết). The
later runs of that day retry a failed province; the `ScorecardReport` row keeps a sent one from going twice.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="30"))
def send_monthly_scorecard_reports():
    from .services import send_due

    run = send_due()
    # A plain dict in the result store, not the class: a stored result outlives a change to the code.
    return run.as_dict() if run is not None else None
