from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.core.models import Department

from .fields import Field
from .models import Assessment, CapacityRecord, GapWeights, Plan, PlanLock, StaffMember, WeeklyReport
from .queries import monday


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
        label=_("Ngôn ngữ (cách nhau bởi dấu ;)"), required=False, help_text=_("Ví dụ: Tiếng Việt; K'Ho")
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
            self.initial["languages_"] = "; ".join(self.instance.languages)

    def service_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("code", "fields_", "languages_")}
        data["fields"] = self.cleaned_data["fields_"]
        data["languages"] = [x.strip() for x in self.cleaned_data["languages_"].split(";") if x.strip()]
        return data


class QuotaForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Sở, ngành"), queryset=Department.objects.none())
    max_release = forms.IntegerField(
        label=_("Số người tối đa (để trống = bỏ hạn mức)"), min_value=0, max_value=100000, required=False
    )

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(province=province)


class PlanForm(forms.ModelForm):
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


class CopyPlanForm(forms.Form):
    name = forms.CharField(label=_("Tên phương án mới"), max_length=150)
    total = forms.IntegerField(label=_("Tổng số người"), min_value=0, max_value=100000)


class LockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại khóa"), choices=PlanLock.Kind.choices)
    staff_code = forms.CharField(label=_("Mã cán bộ"), max_length=40)
    commune_code = forms.IntegerField(label=_("Mã xã (khi cố định/cấm)"), required=False)
    field = forms.ChoiceField(
        label=_("Lĩnh vực (khi cố định)"), choices=[("", "—"), *Field.choices], required=False
    )
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class ApproveForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số, ký hiệu quyết định (có thể bổ sung sau)"), max_length=60, required=False
    )


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
