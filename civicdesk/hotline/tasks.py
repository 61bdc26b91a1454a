"""Background work of the hotline on huey: the SLA check every 5 minutes, channel deliveries."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*/5"))
def check_sla_periodically():
    from .services import check_sla

    return check_sla()


@db_task(retries=3, retry_delay=60)
def deliver_channel_message(channel, external_id, text):
    from .channels.outbound import deliver

    return deliver(channel, external_id, text)
