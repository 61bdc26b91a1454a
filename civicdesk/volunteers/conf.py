"""Volunteer settings: Django settings first, then the environment (or `NAME_FILE`), then a default."""

from civicdesk.kernel.appsettings import reader

DEFAULTS = {
    # How many citizens one volunteer can help in a half-day at the centre: the forecast's divisor. A working
    # assumption to set from the commune's own experience (docs/volunteers.md), not a norm.
    "VOLUNTEERS_CITIZENS_PER_SHIFT": 8,
    # How many past days of dossier arrivals the forecast reads.
    "VOLUNTEERS_FORECAST_DAYS": 91,
    # Check-in opens this many minutes before a shift starts and closes at its end.
    "VOLUNTEERS_CHECKIN_EARLY_MINUTES": 30,
}

get = reader(DEFAULTS)
