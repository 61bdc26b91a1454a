"""Satisfaction survey responses: per dossier (QR on the slip, one response each) or per centre (QR at the counter)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.scoping import scope_filter


class SurveyReason(models.TextChoices):
    CLEAR_GUIDANCE = "clear_guidance", _("Được hướng dẫn rõ ràng, một lần")
    ON_TIME = "on_time", _("Có kết quả đúng hẹn hoặc sớm hơn")
    COURTEOUS = "courteous", _("Cán bộ tận tình, lịch sự")
    ONLINE_HELP = "online_help", _("Được hỗ trợ nộp trực tuyến")
    MANY_TRIPS = "many_trips", _("Phải đi lại nhiều lần")
    LATE = "late", _("Trễ hẹn")
    UNCLEAR = "unclear", _("Hướng dẫn chưa rõ")
    DISCOURTEOUS = "discourteous", _("Thái độ chưa tốt")
    OTHER = "other", _("Lý do khác")


class SurveyResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="commune__province"))


class SurveyResponse(models.Model):
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+")
    dossier = models.OneToOneField(
        "servicedesk.Dossier", on_delete=models.CASCADE, null=True, blank=True, related_name="survey"
    )
    stars = models.PositiveSmallIntegerField(
        _("mức hài lòng"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    comment = models.TextField(_("góp ý"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["commune", "created_at"], name="sd_survey_commune_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="sd_survey_stars_1_5")
        ]
        verbose_name = _("phiếu đánh giá mức độ hài lòng")
        verbose_name_plural = _("phiếu đánh giá mức độ hài lòng")

    def __str__(self):
        return f"{self.stars}★ {self.created_at:%d/%m/%Y}"
