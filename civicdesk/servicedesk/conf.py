"""Service desk settings: Django settings first, then the environment (or `NAME_FILE`), then a default."""

from civicdesk.kernel.appsettings import reader

DEFAULTS = {
    # Days an intake's idempotency key (API `Idempotency-Key`, the counter form's one-time token) is kept: a retry
    # with the same key within them gets the dossier already registered. The hourly purge deletes older keys, after
    # which the same key registers anew. A client retries within minutes; a week covers a phone or a script that
    # comes back after a weekend or a holiday.
    "SERVICEDESK_IDEMPOTENCY_DAYS": 7,
}

get = reader(DEFAULTS)
