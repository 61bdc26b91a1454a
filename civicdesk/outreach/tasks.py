"""Background work of outreach on huey: each message leaves in a job after its commit, and every 10 minutes what is
still queued (the provider was down, or not configured yet) is tried again. `deliver` sends a message once, so a
retried job never sends twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=120)
def deliver_message(message_pk):
    from .services import deliver

    deliver(message_pk)


@db_periodic_task(crontab(minute="*/10"))
def retry_queued_periodically():
    from .services import retry_queued

    return retry_queued()
