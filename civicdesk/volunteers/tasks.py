"""Background work of the volunteers app on huey: tomorrow's shift reminders (e-mail, SMS or Zalo) from 15:00.

The job runs every quarter of an hour and sends only from 15:00 in Vietnam (`reminders.send_if_afternoon`): huey's
crontab reads the clock in UTC, so `crontab(hour="15")` fired at 22:00 in Vietnam. A booking is reminded once
(`reminded_at`), so the later runs of the afternoon send only what is new or was refused.
"""

from dataclasses import asdict

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def send_reminders():
    from .reminders import send_if_afternoon

    done = send_if_afternoon()
    # A plain dict in the result store, not the class: a stored result outlives a change to the code.
    return asdict(done) if done is not None else None
