"""Saved impact estimates: what was asked and what came out, so a province can list its past runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import estimate_scope


class EstimateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province admins and Home Affairs planners see their province's estimates; nobody else any."""
        return self.filter(estimate_scope(user))


class Estimate(models.Model):
    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("sáng kiến"), max_length=300)
    preset = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, default="manual")
    indicator = models.CharField(_("chỉ số"), max_length=20)
    start = models.DateField(_("ngày bắt đầu"))
    months_before = models.PositiveSmallIntegerField()
    months_after = models.PositiveSmallIntegerField()
    treated_codes = models.JSONField(default=list)
    estimate = models.FloatField()
    low = models.FloatField()
    high = models.FloatField()
    n_treated = models.PositiveIntegerField()
    n_control = models.PositiveIntegerField()
    sentence = models.TextField()
    result = models.JSONField(default=dict)  # `Result.as_dict()`: months, series, controls, placebo, caveats
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EstimateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["province", "-created_at"], name="impact_estimate_province")]

    def __str__(self):
        return f"{self.label} · {self.indicator} · {self.start:%Y-%m-%d}"
