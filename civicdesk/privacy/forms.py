"""Forms of the privacy pages. They keep what was typed on any error; the services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.forms import add_service_errors  # noqa: F401 — the views import it from here

from .models import MAX_MONTHS, RequestChannel, Requester, RequestKind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Người dân yêu cầu"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    id_number = forms.CharField(
        label=_("Số CCCD của người có dữ liệu"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Ghi số CCCD, số điện thoại hoặc cả hai: CivicDesk tìm các bản ghi theo các số này."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    subject_name = forms.CharField(label=_("Họ tên người có dữ liệu"), max_length=150, required=False)
    requester = forms.ChoiceField(label=_("Ai yêu cầu"), choices=Requester.choices, initial=Requester.SUBJECT)
    requester_name = forms.CharField(
        label=_("Họ tên người yêu cầu thay"),
        max_length=150,
        required=False,
        help_text=_(
            "Khi không phải chính người có dữ liệu: kiểm tra giấy tờ chứng minh quyền đại diện, ủy quyền."
        ),
    )
    channel = forms.ChoiceField(label=_("Nhận qua"), choices=RequestChannel.choices)
    received_at = forms.DateTimeField(
        label=_("Thời điểm nhận"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    detail = forms.CharField(
        label=_("Nội dung yêu cầu"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: thông tin nào cần sửa, vì sao muốn hạn chế hoặc xóa."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class CorrectForm(forms.Form):
    full_name = forms.CharField(label=_("Họ tên đúng"), max_length=150, required=False)
    id_number = forms.CharField(label=_("Số CCCD đúng"), max_length=14, required=False)
    phone = forms.CharField(label=_("Số điện thoại đúng"), max_length=20, required=False)
    note = forms.CharField(
        label=_("Căn cứ sửa (giấy tờ người dân xuất trình)"), max_length=500, required=False
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Kết quả, giải thích cho người dân"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RetentionForm(forms.Form):
    """One field per kind of record (`policies`), then the answering deadline."""

    response_days = forms.IntegerField(
        label=_("Số ngày trả lời yêu cầu của người dân"),
        min_value=1,
        max_value=90,
        required=False,
        help_text=_(
            "Để trống khi chưa xác định: trang yêu cầu sẽ ghi “theo thời hạn Luật và Nghị định quy định (cần kiểm "
            "chứng)”. Ghi số ngày theo quy định hiện hành sau khi đã kiểm chứng."
        ),
    )
    working_days = forms.BooleanField(label=_("Tính theo ngày làm việc"), required=False)

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.policies = list(policies)
        for policy in self.policies:
            source = policy.source
            self.fields[self.field_name(source.key)] = forms.IntegerField(
                label=source.label,
                min_value=1,
                max_value=MAX_MONTHS,
                initial=policy.months,
                help_text=_("Đề xuất %(n)s tháng (cần kiểm chứng với quy định lưu trữ).")
                % {"n": source.default_months},
            )

    @staticmethod
    def field_name(key):
        return "months_" + key.replace(".", "_")

    def months(self):
        return {p.source.key: self.cleaned_data[self.field_name(p.source.key)] for p in self.policies}

    def retention_fields(self):
        return [(p, self[self.field_name(p.source.key)]) for p in self.policies]
