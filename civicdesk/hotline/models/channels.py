"""Messaging channels: who a Zalo or Telegram sender is, and which inbound messages were already handled."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo OA")
    TELEGRAM = "telegram", _("Telegram")


class ChannelIdentity(models.Model):
    """A registered official's account on a messaging channel (linked by a one-time code)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hotline_identities"
    )
    channel = models.CharField(max_length=10, choices=ChannelKind.choices)
    external_id = models.CharField(_("mã người dùng trên kênh"), max_length=100)
    display_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="hotline_identity_unique"),
            models.UniqueConstraint(fields=["user", "channel"], name="hotline_identity_one_per_channel"),
        ]
        verbose_name = _("tài khoản kênh nhắn tin")
        verbose_name_plural = _("tài khoản kênh nhắn tin")

    def __str__(self):
        return f"{self.get_channel_display()} {self.external_id} → {self.user}"


class ChannelLinkCode(models.Model):
    """A short-lived code an official sends to the Zalo OA or Telegram bot to link their account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã liên kết kênh")
        verbose_name_plural = _("mã liên kết kênh")

    def __str__(self):
        return self.code


class InboundMessage(models.Model):
    """Each message received from a channel, once: the unique (channel, id) makes webhook retries harmless."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Đã nhận")
        LINKED = "linked", _("Đã liên kết tài khoản")
        REJECTED = "rejected", _("Từ chối")
        IGNORED = "ignored", _("Bỏ qua")

    channel = models.CharField(max_length=10, choices=ChannelKind.choices)
    external_id = models.CharField(max_length=200)
    sender = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.CharField(max_length=255, blank=True)
    ticket = models.ForeignKey(
        "hotline.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="hotline_inbound_once")
        ]
        verbose_name = _("tin nhắn đến")
        verbose_name_plural = _("tin nhắn đến")

    def __str__(self):
        return f"{self.channel}:{self.external_id}"
