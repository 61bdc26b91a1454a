from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.audit import Action as AuditAction


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province admins read their province's log; nobody else reads it in the app."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_province_admin and user.province_id:
            return self.filter(actor__province_id=user.province_id)
        return self.none()

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did what to which record, when and why."""

    Action = AuditAction

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=200, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object")]
        verbose_name = _("nhật ký truy vết")
        verbose_name_plural = _("nhật ký truy vết")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
