"""Forms of the volunteers' pages; every write goes to the services, which check the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.phones import normalise

from .models import ChangeRequest, ReminderChannel, Skill, Volunteer


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


class ReminderForm(forms.Form):
    """The volunteer's own reminder settings: consent, the channel, and the number or address it needs."""

    contact_consent = forms.BooleanField(label=_("Tôi đồng ý nhận nhắc lịch trực"), required=False)
    reminder_channel = forms.ChoiceField(
        label=_("Nhận nhắc lịch qua"), choices=ReminderChannel.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False, help_text=_("Cho tin nhắn SMS và Zalo.")
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def clean_phone(self):
        return normalise(self.cleaned_data["phone"])


CHANGE_KINDS = ChangeRequest.Kind


class TemplateRowForm(forms.Form):
    """One weekday × half-day of the commune's shift templates."""

    weekday = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=6)
    part = forms.CharField(widget=forms.HiddenInput, max_length=2)
    is_active = forms.BooleanField(label=_("Có ca"), required=False)
    start = forms.TimeField(label=_("Từ giờ"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Đến giờ"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    minimum = forms.IntegerField(label=_("Tối thiểu"), min_value=0, max_value=30)
    maximum = forms.IntegerField(label=_("Tối đa"), min_value=0, max_value=30)
    skills = forms.MultipleChoiceField(
        label=_("Kỹ năng cần có"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


TemplateFormSet = forms.formset_factory(TemplateRowForm, extra=0, max_num=14, validate_max=True)
