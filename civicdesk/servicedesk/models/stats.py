"""Monthly per-commune KPI counters, kept in step with the dossiers by the services (derived data, rebuildable)."""

from django.db import models


class CommuneMonthStat(models.Model):
    """Counts for one commune and one month of receipt (Asia/Ho_Chi_Minh dates).

    The province dashboard over millions of dossiers sums ~124 × months of these rows instead of scanning the
    dossiers; `civicdesk dossiers refresh-stats` rebuilds them from scratch.
    """

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    received = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    assisted = models.PositiveIntegerField(default=0)
    supplemented = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0)
    working_days_sum = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "month"], name="sd_stat_commune_month")]
        indexes = [models.Index(fields=["province", "month"], name="sd_stat_province_month")]

    def __str__(self):
        return f"{self.commune_id} {self.month:%Y-%m}"
