"""Per-commune KPI counters by day and by month of receipt, kept in step with the dossiers by the services.

Derived data, rebuildable (`civicdesk dossiers refresh-stats`). A write recomputes the commune-day row from its
dossiers, then the commune-month row from that month's day rows, so both always agree with the dossiers.
"""

from django.db import models


class KpiCounters(models.Model):
    """The counters every KPI of docs/servicedesk.md is computed from (see `servicedesk.kpi`)."""

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
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
    # Decision 766's digitisation group: dossiers whose components were digitised at receipt, and finished
    # dossiers whose result was issued electronically.
    digitised = models.PositiveIntegerField(default=0)
    result_electronic = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class CommuneMonthStat(KpiCounters):
    """Counts for one commune and one month of receipt (Asia/Ho_Chi_Minh dates).

    A month-aligned period sums ~124 × months of these rows instead of scanning the dossiers.
    """

    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "month"], name="sd_stat_commune_month")]
        indexes = [models.Index(fields=["province", "month"], name="sd_stat_province_month")]

    def __str__(self):
        return f"{self.commune_id} {self.month:%Y-%m}"


class CommuneDayStat(KpiCounters):
    """Counts for one commune and one day of receipt (Asia/Ho_Chi_Minh), only for days with dossiers.

    The days of a period that do not make a whole month (its first and last weeks, say) are summed from these,
    so any period costs at most ~124 × (months + 60 days) counter rows, whatever the number of dossiers.
    """

    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "day"], name="sd_daystat_commune_day")]
        indexes = [models.Index(fields=["province", "day"], name="sd_daystat_province_day")]

    def __str__(self):
        return f"{self.commune_id} {self.day:%Y-%m-%d}"


class CommuneDayFieldStat(models.Model):
    """Counts for one commune, one day of receipt and one handbook field (the field of the dossier's procedure).

    What the staffing app reads per field (`queries.commune_kpis(...).by_field`): one commune's six months are
    a few hundred of these rows instead of tens of thousands of dossiers. Dossiers of a procedure unknown to the
    handbook have no field and are not here. A procedure moved to another field counts under its new field once
    its dossiers change or `civicdesk dossiers refresh-stats` runs.
    """

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    field = models.ForeignKey("handbook.Field", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    supplemented = models.PositiveIntegerField(default=0)
    # The digitisation group per field, so the scorecard's field filter applies to it too.
    digitised = models.PositiveIntegerField(default=0)
    result_electronic = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "day", "field"], name="sd_fieldstat_commune_day_field")
        ]

    def __str__(self):
        return f"{self.commune_id} {self.day:%Y-%m-%d} {self.field_id}"
