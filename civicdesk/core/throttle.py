"""Counting attempts atomically: the login lockout and the public forms' rate limits.

`attempt(key, seconds)` adds one attempt to `key`'s window and returns the count *including* it, in one
`UPDATE … SET count = count + 1` inside a transaction: PostgreSQL locks the row, SQLite serialises writers, so
parallel requests see 1, 2, 3… and never all the same number. Check the returned count against the limit *before*
doing the guarded work (a password check, a rating), so a burst is cut at the limit.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from .models import AttemptCounter


def attempt(key, seconds):
    """Count one attempt for `key` in a window of `seconds` (a new window when the last one has ended)."""
    now = timezone.now()
    ends = now + timedelta(seconds=seconds)
    for _try in range(3):
        try:
            with transaction.atomic():
                updated = AttemptCounter.objects.filter(key=key).update(
                    count=Case(When(window_ends__lte=now, then=Value(1)), default=F("count") + 1),
                    window_ends=Case(When(window_ends__lte=now, then=Value(ends)), default=F("window_ends")),
                )
                if not updated:
                    AttemptCounter.objects.create(key=key, count=1, window_ends=ends)
                    return 1
                return AttemptCounter.objects.values_list("count", flat=True).get(key=key)
        except IntegrityError:
            continue  # another request created the row first: count again on it
    raise RuntimeError(f"could not count an attempt for {key}")


def count(key):
    """Attempts in `key`'s current window (0 when none or ended)."""
    row = AttemptCounter.objects.filter(key=key, window_ends__gt=timezone.now()).values_list(
        "count", flat=True
    )
    return row.first() or 0


def forgive(key):
    """One attempt fewer (a success that was counted before it was known to be one)."""
    AttemptCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def reset(key):
    AttemptCounter.objects.filter(key=key).delete()


def purge():
    """Delete ended windows (run by the worker; rows are tiny, this only keeps the table short)."""
    return AttemptCounter.objects.filter(window_ends__lte=timezone.now()).delete()[0]
