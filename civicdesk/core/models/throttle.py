from django.db import models


class AttemptCounter(models.Model):
    """How many attempts a key ("login-user:…", "lookup-ip:…") made in its current window (core/throttle.py).

    A database row, not the cache: the increment must be atomic on every deployment (the default database cache is
    not), or sixteen parallel password guesses all pass a limit of five.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
