"""Every write of the volunteers app goes through these functions (docs/volunteers.md)."""

from .bookings import (
    answer_reminder,
    book,
    check_in,
    check_out,
    decide_change,
    mark_no_show,
    record_attendance,
    request_change,
    sign_up,
    unbook,
    volunteer_of,
)
from .help import log_help
from .people import save_volunteer
from .shifts import cancel_shift, forecast, generate_shifts, publish, save_template

__all__ = [
    "answer_reminder",
    "book",
    "cancel_shift",
    "check_in",
    "check_out",
    "decide_change",
    "forecast",
    "generate_shifts",
    "log_help",
    "mark_no_show",
    "publish",
    "record_attendance",
    "request_change",
    "save_template",
    "save_volunteer",
    "sign_up",
    "unbook",
    "volunteer_of",
]
