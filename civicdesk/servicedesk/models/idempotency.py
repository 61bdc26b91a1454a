"""Intake that is safe to retry: an idempotency key the client chose, remembered with what it registered.

A client that did not get the answer to its intake (a timeout, an app server killed mid-request) sends the same
request again with the same key; `services.idempotency.receive_dossier_once` answers it with the dossier the first
request registered instead of registering it twice. The counter's web form sends a one-time token the same way, so
a double click or a browser resubmission registers one dossier.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier, IntakeCheck


class IntakeKeyQuerySet(models.QuerySet):
    def of(self, user):
        """A key belongs to the user who sent it: another user's same key is another key."""
        return self.filter(user=user)

    def created_before(self, cutoff):
        return self.filter(created_at__lt=cutoff)


class IntakeKey(models.Model):
    """One idempotency key of one user, the fingerprint of the intake it came with and what that intake did.

    The row is written in the same transaction as the intake it guards (`receive_dossier_once`): a committed row
    always has its outcome, and a request that died before committing left no row, so its retry simply runs. The
    unique (user, key) pair is what makes two requests racing with one key register one dossier.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("khóa chống gửi trùng"), max_length=100)
    # SHA-256 of the canonical intake (`services.idempotency.fingerprint`); the intake itself is not copied here.
    fingerprint = models.CharField(max_length=64)
    # Null only inside the claiming transaction, before the intake has run.
    intake_check = models.ForeignKey(
        IntakeCheck, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Null when the intake was refused as incomplete (the replay answers that refusal again, with the same check).
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = IntakeKeyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="sd_intake_key_user_key")]
        indexes = [models.Index(fields=["created_at"], name="sd_intake_key_created")]
        verbose_name = _("khóa chống gửi trùng khi tiếp nhận")
        verbose_name_plural = _("khóa chống gửi trùng khi tiếp nhận")

    def __str__(self):
        return f"{self.user_id} {self.key}"
