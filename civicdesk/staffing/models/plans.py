"""Secondment plans (scenarios), their locks and their optimal assignments."""

import re
import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..fields import Field
from ..plan_messages import render
from .capacity import PlanningQuerySet


class Plan(models.Model):
    """One scenario: parameters, the solver's outcome, and (once approved) the source of secondment records.

    `input_snapshot` keeps the exact optimiser input the plan was solved on, so its explanations and its
    comparison with other scenarios stay true after the needs or the pool change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        RUNNING = "running", _("Đang giải")
        SOLVED = "solved", _("Đã có kết quả")
        FAILED = "failed", _("Không giải được")
        APPROVED = "approved", _("Đã phê duyệt")

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="secondment_plans")
    name = models.CharField(_("tên phương án"), max_length=150)
    total = models.PositiveIntegerField(_("tổng số người cử"), validators=[MaxValueValidator(100000)])
    distance_weight = models.FloatField(
        _("trọng số khoảng cách (mỗi km)"), default=0.01, validators=[MinValueValidator(0)]
    )
    max_per_commune = models.PositiveSmallIntegerField(
        _("tối đa mỗi xã"), default=4, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    time_limit = models.PositiveSmallIntegerField(
        _("giới hạn thời gian (giây)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    period_start = models.DateField(_("bắt đầu biệt phái"))
    period_months = models.PositiveSmallIntegerField(
        _("thời hạn (tháng)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    solver_status = models.CharField(_("kết quả bộ giải"), max_length=20, blank=True)
    objective = models.FloatField(_("giá trị mục tiêu"), null=True, blank=True)
    bound = models.FloatField(_("cận trên"), null=True, blank=True)
    gap = models.FloatField(_("khoảng cách tối ưu"), null=True, blank=True)
    seconds = models.FloatField(_("thời gian giải (giây)"), null=True, blank=True)
    # {"code", "params"} dicts, rendered in the reader's language by `messages` (see plan_messages); the column keeps
    # its old name, and plans stored before codes hold plain sentences there.
    message_codes = models.JSONField(default=list, blank=True, db_column="messages")
    summary = models.JSONField(default=dict, blank=True)
    input_snapshot = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("số, ký hiệu quyết định"), max_length=60, blank=True)

    # The symbol of a decision signed by the People's Committee chair, printed after the number.
    DECISION_SUFFIX = "QĐ-UBND"

    objects = PlanningQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phương án biệt phái")
        verbose_name_plural = _("phương án biệt phái")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("staffing:plan_detail", args=[self.pk])

    @property
    def messages(self):
        """The plan's warnings and the solver's reasons, as sentences in the active language."""
        return [render(m) for m in self.message_codes]

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.SOLVED, self.Status.FAILED)

    @property
    def solver_status_label(self):
        """The solver's outcome in the planner's words (never a bare "infeasible")."""
        labels = {
            "optimal": _("Tối ưu (đã chứng minh)"),
            "feasible": _("Có phương án, chưa chứng minh tối ưu"),
            "infeasible": _("Không có phương án thỏa mãn mọi khóa và giới hạn — xem lý do ở trên"),
            "timeout": _("Hết thời gian trước khi tìm được phương án — tăng giới hạn thời gian"),
        }
        return labels.get(self.solver_status, self.solver_status)

    @property
    def approval_refusal(self):
        """Why this plan cannot be approved now ("" when it can): it must be solved, with a result, sending someone."""
        if self.status != self.Status.SOLVED or self.solver_status not in ("optimal", "feasible"):
            return _("Chỉ phê duyệt được phương án đã giải xong và có kết quả.")
        if not self.assignments.exists():
            return _(
                "Phương án không cử ai nên không có gì để phê duyệt: bổ sung nhu cầu hoặc nguồn cán bộ rồi giải lại."
            )
        return ""

    @property
    def result_stamp(self):
        """Identifies the result a planner looked at: a confirmation is only good for the result it showed."""
        return self.solved_at.isoformat() if self.solved_at else ""

    @property
    def decision_symbol(self):
        """The decision's number and symbol as printed ("125/QĐ-UBND"), whether the planner typed "125", the whole
        symbol, or "Số: 125/QĐ-UBND"; "" while there is no number yet."""
        number = unicodedata.normalize("NFC", " ".join(self.decision_number.split()))
        number = re.sub(r"^s[ốo](\s*[:.]\s*|\s+)", "", number, flags=re.IGNORECASE)
        if not number or "/" in number:
            return number
        return f"{number}/{self.DECISION_SUFFIX}"


class PlanLock(models.Model):
    """A planner's override: this person must go / must not go / goes exactly there / never to that commune."""

    class Kind(models.TextChoices):
        MUST_SEND = "must_send", _("Bắt buộc cử")
        MUST_NOT_SEND = "must_not_send", _("Không cử")
        FIXED = "fixed", _("Cố định xã và lĩnh vực")
        FORBIDDEN = "forbidden", _("Không cử đến xã này")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="locks")
    kind = models.CharField(_("loại khóa"), max_length=15, choices=Kind.choices)
    staff = models.ForeignKey(
        "staffing.StaffMember", on_delete=models.CASCADE, related_name="+", verbose_name=_("cán bộ")
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("xã")
    )
    field = models.CharField(_("lĩnh vực"), max_length=30, choices=Field.choices, blank=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "staff", "commune"], name="staffing_lock_unique"),
        ]
        verbose_name = _("khóa phương án")
        verbose_name_plural = _("khóa phương án")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.staff}"


class PlanAssignment(models.Model):
    """One (person, commune, field) of a solved plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey("staffing.StaffMember", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("lĩnh vực"), max_length=30, choices=Field.choices)
    km = models.FloatField(_("khoảng cách (km)"))
    value = models.FloatField(_("đóng góp"))
    priority = models.PositiveSmallIntegerField(_("mức ưu tiên"))

    class Meta:
        ordering = ["commune__name", "field", "staff__full_name"]
        constraints = [models.UniqueConstraint(fields=["plan", "staff"], name="staffing_assignment_once")]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")

    def __str__(self):
        return f"{self.staff} → {self.commune} ({self.get_field_display()})"
