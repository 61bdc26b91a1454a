from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from civicdesk.core.models import Department

from .fields import Field
from .models import Assessment, CapacityRecord, GapWeights, Plan, PlanLock, StaffMember, WeeklyReport
from .queries import monday
from .services.pool import language_codes


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (UTF-8)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Tệp phải được lưu với bảng mã UTF-8 (CSV UTF-8).")) from exc


class WeightsForm(forms.ModelForm):
    class Meta:
        model = GapWeights
        fields = list(GapWeights.EDITABLE)


class CapacityForm(forms.ModelForm):
    class Meta:
        model = CapacityRecord
        fields = list(CapacityRecord.EDITABLE)


class OverrideForm(forms.Form):
    override_score = forms.FloatField(
        label=_("Điểm ghi đè (0–100)"), min_value=0, max_value=100, required=False
    )
    override_reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("override_score") is not None and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Cần ghi lý do khi ghi đè điểm thiếu hụt."))
        return data


class NeedForm(forms.Form):
    commune_code = forms.IntegerField(label=_("Mã xã"))
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices)
    units = forms.IntegerField(label=_("Số người cần (0 = xóa)"), min_value=0, max_value=20)
    priority = forms.IntegerField(label=_("Ưu tiên (1–5)"), min_value=1, max_value=5)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class StaffMemberForm(forms.ModelForm):
    fields_ = forms.MultipleChoiceField(
        label=_("Lĩnh vực chuyên môn"), choices=Field.choices, widget=forms.CheckboxSelectMultiple
    )
    languages_ = forms.CharField(
        label=_("Ngôn ngữ (cách nhau bởi dấu ;)"),
        required=False,
        max_length=500,
        help_text=_("Ví dụ: Tiếng Việt; K'Ho"),
    )

    class Meta:
        model = StaffMember
        fields = [
            "code",
            "full_name",
            "department",
            "position",
            "experience_years",
            "home_label",
            "home_lat",
            "home_lon",
            "available_from",
            "available_until",
            "is_active",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(province=province, is_active=True)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.initial["fields_"] = self.instance.fields
            self.initial["languages_"] = "; ".join(self.instance.language_names)

    def clean_languages_(self):
        """The ISO 639-3 codes of the names typed, the first one preferred; a name that is not a language is
        this field's error."""
        try:
            return language_codes(self.cleaned_data["languages_"].split(";"))
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["languages"]) from exc

    def service_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("code", "fields_", "languages_")}
        data["fields"] = self.cleaned_data["fields_"]
        data["languages"] = self.cleaned_data["languages_"]
        return data


class QuotaForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Sở, ngành"), queryset=Department.objects.none())
    max_release = forms.IntegerField(
        label=_("Số người tối đa (để trống = bỏ hạn mức)"), min_value=0, max_value=100000, required=False
    )

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(province=province)


# A plan's start may lie a little in the past: a decision signed late is often dated from the first of the month,
# or from the day people actually went; a month covers that. A start further back, or more than a year ahead, is a
# typing slip (2000 for 2026) — and the pool, the quotas and the needs a plan is solved on describe today anyway.
START_PAST_DAYS = 31
START_FUTURE_DAYS = 365
MAX_MONTHS = 24
MONTHS_ERROR = _("Thời hạn biệt phái từ 1 đến %(max)s tháng.") % {"max": MAX_MONTHS}


def _label(name):
    return capfirst(Plan._meta.get_field(name).verbose_name)


def _months_field():
    return forms.IntegerField(
        label=_label("period_months"),
        min_value=1,
        max_value=MAX_MONTHS,
        error_messages={"min_value": MONTHS_ERROR, "max_value": MONTHS_ERROR},
    )


class PlanLimits:
    """What the plan forms (create, edit, copy) refuse: a total of nobody or more people than the province's active
    pool holds, a start more than START_PAST_DAYS back or START_FUTURE_DAYS ahead, a period outside 1–24 months.

    The limits are also put on the inputs (min/max) so the browser says so before sending.
    """

    def _set_limits(self, province, kept_start=None):
        from .models import StaffMember

        self.pool_size = StaffMember.objects.filter(province=province, is_active=True).count()
        self.kept_start = kept_start  # an existing plan's start, kept as it is even if it is now far back
        today = timezone.localdate()
        self.earliest = today - timedelta(days=START_PAST_DAYS)
        self.latest = today + timedelta(days=START_FUTURE_DAYS)
        self.fields["total"].widget.attrs.update(min=1, max=max(self.pool_size, 1))
        self.fields["period_start"].widget.attrs.update(
            min=self.earliest.isoformat(), max=self.latest.isoformat()
        )

    def clean_total(self):
        total = self.cleaned_data["total"]
        if self.pool_size == 0:
            raise forms.ValidationError(
                _("Nguồn biệt phái chưa có ai: thêm cán bộ ở trang Nguồn cán bộ trước khi lập phương án.")
            )
        if not 1 <= total <= self.pool_size:
            raise forms.ValidationError(
                _("Tổng số người phải từ 1 đến %(n)s (số người đang có trong nguồn biệt phái).")
                % {"n": self.pool_size}
            )
        return total

    def clean_period_start(self):
        return self._check_start(self.cleaned_data.get("period_start"))

    def _check_start(self, start):
        if start is None or start == self.kept_start:
            return start
        if start < self.earliest:
            raise forms.ValidationError(
                _("Ngày bắt đầu không được sớm hơn %(d)s (quá %(n)s ngày trước hôm nay).")
                % {"d": date_format(self.earliest, "d/m/Y"), "n": START_PAST_DAYS}
            )
        if start > self.latest:
            raise forms.ValidationError(
                _("Ngày bắt đầu không được muộn hơn %(d)s (quá %(n)s ngày sau hôm nay).")
                % {"d": date_format(self.latest, "d/m/Y"), "n": START_FUTURE_DAYS}
            )
        return start


class PlanForm(PlanLimits, forms.ModelForm):
    total = forms.IntegerField(label=_label("total"))
    period_months = _months_field()

    class Meta:
        model = Plan
        fields = [
            "name",
            "total",
            "distance_weight",
            "max_per_commune",
            "time_limit",
            "period_start",
            "period_months",
            "note",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_limits(province, kept_start=self.instance.period_start if self.instance.pk else None)


class CopyPlanForm(PlanLimits, forms.Form):
    """Another scenario from a plan: its name and total, and its period (the plan's own unless changed)."""

    name = forms.CharField(label=_("Tên phương án mới"), max_length=150)
    total = forms.IntegerField(label=_("Tổng số người"))
    period_start = forms.DateField(
        label=_label("period_start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_months = _months_field()

    def __init__(self, *args, plan, **kwargs):
        # the plan page also shows the edit form, with the same fields: keep the ids apart
        kwargs.setdefault("auto_id", "copy_%s")
        super().__init__(*args, **kwargs)
        self.fields["period_months"].required = False
        self.plan = plan
        self._set_limits(plan.province)

    def clean_period_start(self):
        return self._check_start(self.cleaned_data.get("period_start") or self.plan.period_start)

    def clean_period_months(self):
        return self.cleaned_data.get("period_months") or self.plan.period_months


class LockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại khóa"), choices=PlanLock.Kind.choices)
    staff_code = forms.CharField(label=_("Mã cán bộ"), max_length=40)
    commune_code = forms.IntegerField(label=_("Mã xã (khi cố định/cấm)"), required=False)
    field = forms.ChoiceField(
        label=_("Lĩnh vực (khi cố định)"), choices=[("", "—"), *Field.choices], required=False
    )
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class ApproveForm(forms.Form):
    """The first step of approval: the decision number, then a confirmation of what approving will create."""

    decision_number = forms.CharField(
        label=_("Số, ký hiệu quyết định (có thể bổ sung sau)"),
        max_length=60,
        required=False,
        help_text=_("Ví dụ: 125 hoặc 125/QĐ-UBND."),
    )


class ConfirmApproveForm(ApproveForm):
    """The confirmation itself: the decision number as shown, and which result the planner saw."""

    decision_number = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)
    result = forms.CharField(widget=forms.HiddenInput)


class WeeklyReportForm(forms.ModelForm):
    class Meta:
        model = WeeklyReport
        fields = ["week_start", "work_done", "dossiers_helped", "difficulties", "needs"]
        widgets = {
            "week_start": forms.DateInput(attrs={"type": "date"}),
            "work_done": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week_start"].initial = monday(timezone.localdate())


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["rating", "results", "shortcomings", "recommendation"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 3}),
            "shortcomings": forms.Textarea(attrs={"rows": 2}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
        }


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[("start", "start"), ("complete", "complete"), ("cancel", "cancel")])
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)
