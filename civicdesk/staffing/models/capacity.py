"""Commune capacity per field, the gap-score weights, and the needs table the plans are made from."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import Field
from ..permissions import planning_scope


class PlanningQuerySet(models.QuerySet):
    province_path = "province"

    def visible_to(self, user):
        return self.filter(planning_scope(user, self.province_path))


class CommuneQuerySetMixin(PlanningQuerySet):
    province_path = "commune__province"


class CommuneProfile(models.Model):
    """Staffing's notes on a commune: where its coordinates come from (distances depend on them)."""

    class CoordinatesSource(models.TextChoices):
        OFFICIAL = "official", _("Chính thức (đã kiểm tra)")
        MANUAL = "manual", _("Nhập tay")
        DEMO = "demo-approximate", _("Gần đúng, chỉ để minh họa")

    commune = models.OneToOneField(
        "geo.Commune", on_delete=models.CASCADE, related_name="staffing_profile", verbose_name=_("xã")
    )
    coordinates_source = models.CharField(
        _("nguồn tọa độ"), max_length=20, choices=CoordinatesSource.choices, default=CoordinatesSource.MANUAL
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = CommuneQuerySetMixin.as_manager()

    class Meta:
        verbose_name = _("hồ sơ xã (nhân sự)")
        verbose_name_plural = _("hồ sơ xã (nhân sự)")

    def __str__(self):
        return str(self.commune)


class GapWeights(models.Model):
    """The weights and thresholds of the gap score, one row per province, tuned by the Home Affairs planner."""

    province = models.OneToOneField("geo.Province", on_delete=models.CASCADE, related_name="gap_weights")
    w_workload = models.FloatField(
        _("trọng số khối lượng hồ sơ"), default=3.0, validators=[MinValueValidator(0)]
    )
    w_inexperience = models.FloatField(
        _("trọng số thiếu kinh nghiệm"), default=2.0, validators=[MinValueValidator(0)]
    )
    w_late = models.FloatField(_("trọng số tỷ lệ trễ hạn"), default=2.0, validators=[MinValueValidator(0)])
    w_supplement = models.FloatField(
        _("trọng số tỷ lệ yêu cầu bổ sung"), default=1.0, validators=[MinValueValidator(0)]
    )
    w_hotline = models.FloatField(
        _("trọng số câu hỏi đường dây nóng"), default=1.0, validators=[MinValueValidator(0)]
    )
    w_sla = models.FloatField(_("trọng số vi phạm SLA"), default=1.0, validators=[MinValueValidator(0)])
    w_language = models.FloatField(
        _("trọng số thiếu người nói tiếng dân tộc"), default=1.0, validators=[MinValueValidator(0)]
    )
    reference_load = models.FloatField(
        _("khối lượng chuẩn (hồ sơ/người/tháng)"), default=80.0, validators=[MinValueValidator(1)]
    )
    reference_experience = models.FloatField(
        _("kinh nghiệm chuẩn (năm)"), default=5.0, validators=[MinValueValidator(0.5)]
    )
    reference_hotline = models.FloatField(
        _("số câu hỏi chuẩn (câu/người/tháng)"), default=20.0, validators=[MinValueValidator(1)]
    )
    reference_sla = models.FloatField(
        _("số vi phạm SLA chuẩn (/tháng)"), default=5.0, validators=[MinValueValidator(1)]
    )
    need_threshold = models.FloatField(
        _("điểm tối thiểu để phát sinh nhu cầu"),
        default=40.0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    points_per_unit = models.FloatField(
        _("số điểm cho mỗi người thêm"), default=20.0, validators=[MinValueValidator(1)]
    )
    max_units = models.PositiveSmallIntegerField(
        _("số người tối đa một nhu cầu"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanningQuerySet.as_manager()

    WEIGHT_FIELDS = (
        "w_workload",
        "w_inexperience",
        "w_late",
        "w_supplement",
        "w_hotline",
        "w_sla",
        "w_language",
    )
    EDITABLE = (
        *WEIGHT_FIELDS,
        "reference_load",
        "reference_experience",
        "reference_hotline",
        "reference_sla",
        "need_threshold",
        "points_per_unit",
        "max_units",
    )

    class Meta:
        verbose_name = _("trọng số điểm thiếu hụt")
        verbose_name_plural = _("trọng số điểm thiếu hụt")

    def __str__(self):
        return str(self.province)


class CapacityRecord(models.Model):
    """A commune's capacity in one field: staff, experience, workload and error signals, with an optional override."""

    class Source(models.TextChoices):
        SERVICEDESK = "servicedesk", _("Từ một cửa và đường dây nóng")
        MANUAL = "manual", _("Nhập tay")
        CSV = "csv", _("Nhập từ tệp CSV")
        DEMO = "demo", _("Dữ liệu minh họa")

    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.CASCADE, related_name="capacity_records", verbose_name=_("xã")
    )
    field = models.CharField(_("lĩnh vực"), max_length=30, choices=Field.choices)
    current_staff = models.PositiveSmallIntegerField(_("số cán bộ hiện có"), default=0)
    avg_experience_years = models.FloatField(
        _("kinh nghiệm bình quân (năm)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(45)]
    )
    dossiers_per_month = models.FloatField(_("hồ sơ/tháng"), default=0, validators=[MinValueValidator(0)])
    hotline_questions = models.FloatField(
        _("câu hỏi đường dây nóng/tháng"), default=0, validators=[MinValueValidator(0)]
    )
    late_rate = models.FloatField(
        _("tỷ lệ trễ hạn"), default=0, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    supplement_rate = models.FloatField(
        _("tỷ lệ yêu cầu bổ sung"), default=0, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    sla_breaches = models.FloatField(_("vi phạm SLA/tháng"), default=0, validators=[MinValueValidator(0)])
    # The commune's language-coverage gap (community.queries.language_gaps), the same on each of its fields; set
    # when the signals are refreshed. None: no language data for the commune, so the gap score leaves it out.
    language_gap = models.FloatField(
        _("thiếu người nói tiếng dân tộc (0–1)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    signals_from = models.DateField(_("số liệu từ ngày"), null=True, blank=True)
    signals_until = models.DateField(_("số liệu đến ngày"), null=True, blank=True)
    override_score = models.FloatField(
        _("điểm ghi đè"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    override_reason = models.CharField(_("lý do ghi đè"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CommuneQuerySetMixin.as_manager()

    EDITABLE = (
        "current_staff",
        "avg_experience_years",
        "dossiers_per_month",
        "hotline_questions",
        "late_rate",
        "supplement_rate",
        "sla_breaches",
    )

    class Meta:
        ordering = ["commune__name", "field"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "field"], name="staffing_capacity_one_per_field"),
            models.CheckConstraint(
                condition=models.Q(override_score__isnull=True) | ~models.Q(override_reason=""),
                name="staffing_capacity_override_has_reason",
            ),
        ]
        verbose_name = _("năng lực theo lĩnh vực")
        verbose_name_plural = _("năng lực theo lĩnh vực")

    def __str__(self):
        return f"{self.commune} — {self.get_field_display()}"


class Need(models.Model):
    """One row of the needs table: the commune needs `units` people in `field`, with priority 1 (low) … 5."""

    class Origin(models.TextChoices):
        GAP = "gap", _("Tính từ điểm thiếu hụt")
        MANUAL = "manual", _("Nhập/sửa tay")
        CSV = "csv", _("Nhập từ tệp CSV")

    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.CASCADE, related_name="staffing_needs", verbose_name=_("xã")
    )
    field = models.CharField(_("lĩnh vực"), max_length=30, choices=Field.choices)
    units = models.PositiveSmallIntegerField(_("số người cần"), validators=[MaxValueValidator(20)])
    priority = models.PositiveSmallIntegerField(
        _("mức ưu tiên"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    gap_score = models.FloatField(_("điểm thiếu hụt"), null=True, blank=True)
    origin = models.CharField(_("nguồn"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommuneQuerySetMixin.as_manager()

    class Meta:
        ordering = ["-priority", "commune__name", "field"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "field"], name="staffing_need_one_per_field"),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="staffing_need_priority_1_5"
            ),
        ]
        verbose_name = _("nhu cầu nhân sự")
        verbose_name_plural = _("nhu cầu nhân sự")

    def __str__(self):
        return f"{self.commune} — {self.get_field_display()} × {self.units}"
