"""Forms of the volunteers' pages; every write goes to the services, which check the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChangeRequest, Volunteer


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class BookForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Tình nguyện viên"))

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = (
            Volunteer.objects.active().filter(person__commune=commune).select_related("person")
        )


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class SwapForm(forms.Form):
    to_volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Đổi cho"))
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)

    def __init__(self, *args, commune=None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = Volunteer.objects.active().filter(person__commune=commune).select_related("person")
        self.fields["to_volunteer"].queryset = rows.exclude(pk=exclude) if exclude else rows


class HelpForm(forms.Form):
    procedure_code = forms.ChoiceField(label=_("Thủ tục"), required=False)
    filed_online = forms.BooleanField(label=_("Đã nộp trực tuyến"), required=False)
    dossier_code = forms.CharField(label=_("Mã hồ sơ (nếu có)"), max_length=40, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure_code"].choices = [("", _("— chọn thủ tục —"))] + [
            (p.code, p.name) for p in procedures
        ]


CHANGE_KINDS = ChangeRequest.Kind
