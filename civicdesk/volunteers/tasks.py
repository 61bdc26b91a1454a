"""Background work of the volunteers app on huey: tomorrow's shift reminders (e-mail, SMS or Zalo), every working
afternoon at 15:00."""

from dataclasses import asdict

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="15", minute="0"))
def send_reminders():
    from .reminders import send_tomorrow

    # A plain dict in the result store, not the class: a stored result outlives a change to the code.
    return asdict(send_tomorrow())
