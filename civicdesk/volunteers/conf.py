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
    # Reminders by SMS (the generic gateway of docs/outreach.md: POST {base}/messages) and by Zalo ZNS, for volunteers
    # who chose them. The volunteers' own keys, which may be the same gateway and OA as outreach's; unset, a reminder
    # goes by e-mail instead.
    "VOLUNTEERS_SMS_API_BASE": "",
    "VOLUNTEERS_SMS_API_KEY": "",
    "VOLUNTEERS_ZNS_API_BASE": "https://business.openapi.zalo.me",
    "VOLUNTEERS_ZNS_ACCESS_TOKEN": "",
    # The OA's approved ZNS template for the reminder; its parameters: name, day, time, commune, yes_url, no_url.
    "VOLUNTEERS_ZNS_REMINDER_TEMPLATE_ID": "",
    "VOLUNTEERS_CHANNEL_TIMEOUT": 10,
}

get = reader(DEFAULTS)
