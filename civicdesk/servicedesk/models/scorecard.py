"""What a province sets for its Decision 766 scorecard: the target line of each indicator.

The decision's own points and scoring bands live in `servicedesk.scorecard` (the catalogue, with its verification
state); a target is the province's choice, never a number CivicDesk makes up.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScorecardTarget(models.Model):
    """The province's target for one indicator of the scorecard, in percent (0–100)."""

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(_("chỉ tiêu"), max_length=20)
    target = models.DecimalField(
        _("mục tiêu (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "indicator"], name="sd_target_province_indicator")
        ]
        verbose_name = _("mục tiêu chỉ tiêu 766 của tỉnh")
        verbose_name_plural = _("mục tiêu chỉ tiêu 766 của tỉnh")

    def __str__(self):
        return f"{self.province_id} {self.indicator} {self.target}%"


class ScorecardReport(models.Model):
    """The monthly scorecard e-mail of one province and month: sent at most once (the unique key), so a job retried
    after a crash or run again by hand does not write to the province admins twice.

    A row is claimed ("sending") before the e-mail goes out and marked "sent" after; a failed send is marked "failed"
    and tried again by the next run. A row left "sending" (the worker died mid-send) is not retried on its own: the
    e-mail may have left, and `civicdesk scorecard report --resend` is the explicit way to send it again.
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("đang gửi")
        SENT = "sent", _("đã gửi")
        FAILED = "failed", _("gửi lỗi")

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng báo cáo"), help_text=_("Ngày đầu của tháng được báo cáo."))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.SENDING)
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "month"], name="sd_report_province_month")]
        verbose_name = _("báo cáo bảng điểm hằng tháng")
        verbose_name_plural = _("báo cáo bảng điểm hằng tháng")

    def __str__(self):
        return f"{self.province_id} {self.month:%Y-%m} {self.status}"
