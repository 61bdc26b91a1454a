"""Background work of the volunteers app on huey: tomorrow's shift reminders, every working afternoon at 15:00."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="15", minute="0"))
def send_reminders():
    from .reminders import send_tomorrow

    return send_tomorrow()
