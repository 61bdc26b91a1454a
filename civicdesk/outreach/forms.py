"""Forms of outreach. They keep what was typed on any error; the services hold the rules."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.handbook.models import Procedure
from civicdesk.kernel.forms import add_service_errors  # noqa: F401 — the views import it from here

from .models import (
    MESSAGE_CHANNELS,
    Campaign,
    Consent,
    ContactChannel,
    DoNotContact,
    MessageTemplate,
    Outcome,
    Target,
)
from .services.targets import RULES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    procedures = forms.ModelMultipleChoiceField(
        queryset=Procedure.objects.none(),
        required=False,
        label=_("Thủ tục hướng tới"),
        help_text=_(
            "Kịch bản gọi điện lấy từ cẩm nang của thủ tục đầu tiên; báo cáo so sánh theo các thủ tục này."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "purpose",
            "theme",
            "start_date",
            "end_date",
            "owner",
            "status",
            "max_attempts",
            "cooloff_hours",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].queryset = Procedure.objects.published().order_by("name")
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
        if self.instance.pk:
            self.fields["procedures"].initial = list(self.instance.procedures.values_list("pk", flat=True))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách (CSV UTF-8 hoặc Excel .xlsx)"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False)


class RegisterForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Lập danh sách từ"), choices=[(k, str(v) % {"days": "N"}) for k, v in RULES.items()]
    )
    days = forms.IntegerField(label=_("Số ngày (N)"), min_value=0, max_value=365, initial=7)


class ReserveForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label=_("Giao cho"))
    count = forms.IntegerField(label=_("Số người"), min_value=1, max_value=5000, initial=30)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} — {u.get_role_display()}"
        )


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kênh"), choices=ContactChannel.choices)
    outcome = forms.ChoiceField(
        label=_("Kết quả"), choices=[(o.value, o.label) for o in Outcome if o != Outcome.MESSAGE_SENT]
    )
    note = forms.CharField(
        label=_("Ghi chú"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dossier_code = forms.CharField(label=_("Mã hồ sơ (khi người dân đã nộp)"), max_length=40, required=False)
    next_date = forms.DateField(label=_("Hẹn liên hệ lại / ngày hẹn"), required=False, widget=DATE,
                                help_text=_("Để trống: không nghe máy, không có nhà thì tự hẹn sáng ngày làm việc kế tiếp."))  # fmt: skip
    next_time = forms.TimeField(
        label=_("Giờ"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def next_action_at(self):
        day = self.cleaned_data.get("next_date")
        if day is None:
            return None
        clock = self.cleaned_data.get("next_time") or datetime.strptime("08:00", "%H:%M").time()
        return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


class MessageForm(forms.Form):
    template = forms.ModelChoiceField(queryset=MessageTemplate.objects.none(), label=_("Mẫu tin nhắn"))

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kênh"), choices=ContactChannel.choices)
    state = forms.ChoiceField(label=_("Tình trạng"), choices=Consent.State.choices)
    basis = forms.ChoiceField(label=_("Căn cứ"), choices=Consent.Basis.choices)
    source = forms.CharField(label=_("Nguồn ghi nhận"), max_length=200,
                             help_text=_("Ví dụ: phiếu đồng ý ký tại quầy ngày 02/07; đồng ý qua điện thoại khi gọi."))  # fmt: skip


class DoNotContactForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Mọi kênh")), *ContactChannel.choices], required=False
    )
    reason = forms.ChoiceField(label=_("Lý do"), choices=DoNotContact.Reason.choices)
    until = forms.DateField(label=_("Đến hết ngày (để trống: không thời hạn)"), required=False, widget=DATE)
    source = forms.CharField(label=_("Nguồn ghi nhận"), max_length=200)


class LinkForm(forms.Form):
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["channel", "name", "body", "zns_template_id", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class TargetFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", _("Mọi trạng thái")), *Target.Status.choices], required=False)
    q = forms.CharField(required=False, max_length=100)


__all__ = ["MESSAGE_CHANNELS"]
