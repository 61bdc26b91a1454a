"""Background work of the privacy app on huey: the nightly retention pass (docs/privacy.md).

huey's crontab reads the clock in UTC (volunteers/tasks.py learnt it the hard way): 19:40 UTC is 02:40 in Vietnam
(UTC+7, no daylight saving), when nobody works on the records the pass rewrites.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="40", hour="19"))
def pseudonymise_past_retention():
    from .services.retention import run_all

    # Counts only: the result store keeps no personal data.
    return {str(run.province_id): run.counts for run in run_all()}
