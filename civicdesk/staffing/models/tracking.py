"""Secondments created from an approved plan, the secondee's weekly reports and the end-of-term assessment."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..fields import Field
from ..permissions import secondment_scope


class SecondmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(secondment_scope(user))

    def current(self):
        return self.filter(status__in=[Secondment.Status.PLANNED, Secondment.Status.ACTIVE])


class Secondment(models.Model):
    """A person seconded to a commune for a field and a period (biệt phái)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Sắp bắt đầu")
        ACTIVE = "active", _("Đang biệt phái")
        COMPLETED = "completed", _("Đã kết thúc")
        CANCELLED = "cancelled", _("Đã hủy")

    plan = models.ForeignKey("staffing.Plan", on_delete=models.PROTECT, related_name="secondments")
    staff = models.ForeignKey("staffing.StaffMember", on_delete=models.PROTECT, related_name="secondments")
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="secondments")
    field = models.CharField(_("lĩnh vực"), max_length=30, choices=Field.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    km = models.FloatField(_("khoảng cách (km)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc/hủy"), max_length=255, blank=True)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        ordering = ["commune__name", "staff__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="staffing_secondment_period"
            )
        ]
        indexes = [models.Index(fields=["status", "end_date"], name="staffing_secondment_status_end")]
        verbose_name = _("biệt phái")
        verbose_name_plural = _("biệt phái")

    def __str__(self):
        return f"{self.staff.full_name} → {self.commune}"

    def get_absolute_url(self):
        return reverse("staffing:secondment_detail", args=[self.pk])

    @property
    def is_current(self):
        return self.status in (self.Status.PLANNED, self.Status.ACTIVE)


class WeeklyReport(models.Model):
    """What the secondee did in one week (Monday `week_start` to Sunday)."""

    secondment = models.ForeignKey(Secondment, on_delete=models.CASCADE, related_name="reports")
    week_start = models.DateField(_("tuần bắt đầu (thứ Hai)"))
    work_done = models.TextField(_("công việc đã làm"))
    dossiers_helped = models.PositiveIntegerField(_("số hồ sơ đã hỗ trợ"), default=0)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    needs = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["secondment", "week_start"], name="staffing_report_one_per_week")
        ]
        verbose_name = _("báo cáo tuần")
        verbose_name_plural = _("báo cáo tuần")

    def __str__(self):
        return f"{self.secondment} — {self.week_start:%d/%m/%Y}"


class Assessment(models.Model):
    """The host commune leader's end-of-term assessment of a secondee."""

    class Rating(models.IntegerChoices):
        EXCELLENT = 4, _("Hoàn thành xuất sắc nhiệm vụ")
        GOOD = 3, _("Hoàn thành tốt nhiệm vụ")
        DONE = 2, _("Hoàn thành nhiệm vụ")
        NOT_DONE = 1, _("Không hoàn thành nhiệm vụ")

    secondment = models.OneToOneField(Secondment, on_delete=models.CASCADE, related_name="assessment")
    rating = models.PositiveSmallIntegerField(
        _("xếp loại"), choices=Rating.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    results = models.TextField(_("kết quả nổi bật"))
    shortcomings = models.TextField(_("hạn chế"), blank=True)
    recommendation = models.TextField(_("đề xuất"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá cuối đợt")
        verbose_name_plural = _("đánh giá cuối đợt")

    def __str__(self):
        return f"{self.secondment}: {self.get_rating_display()}"
