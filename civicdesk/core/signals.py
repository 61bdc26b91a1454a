from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit.record(user, audit.Action.LOGIN, user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, audit.Action.LOGOUT, user)
