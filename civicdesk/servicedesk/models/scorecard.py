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
