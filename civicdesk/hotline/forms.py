from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from civicdesk.core.models import User
from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Field
from civicdesk.kernel import served

from .models import SlaPolicy, Team
from .models.teams import Urgency
from .services.attachments import allowed_extensions


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the type and size checks are the service's (services/attachments.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _attachments_help():
    return _("Tùy chọn. Nhận: %(types)s; tối đa 5 tệp, mỗi tệp 10 MB.") % {"types": allowed_extensions()}


def _attachments_field():
    # Lazy: the form classes are built at import time, the help text must follow the reader's language.
    return MultipleFileField(label=_("Tệp đính kèm"), help_text=lazy(_attachments_help, str)())


class LanguageAccessMixin(served.ServedLanguageFormMixin):
    """The two language-access fields (issue 15): filing a question, logging a call, the ticket page."""

    served_language_help = _(
        "Ngôn ngữ đã dùng để phục vụ người dân trong vụ việc; để “Tiếng Việt” nếu không có gì đặc biệt."
    )


class TicketForm(LanguageAccessMixin, forms.Form):
    title = forms.CharField(
        label=_("Câu hỏi ngắn gọn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Ví dụ: Đăng ký khai sinh cho trẻ có cha là người nước ngoài cần giấy tờ gì?"),
    )
    body = forms.CharField(
        label=_("Mô tả chi tiết"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Tình huống cụ thể, đã làm gì, vướng ở đâu. Không ghi số CCCD hay thông tin riêng của người dân."
        ),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("— Chưa rõ (tổng đài sẽ phân loại) —"),
    )
    urgency = forms.ChoiceField(label=_("Mức độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    attachments = _attachments_field()
    conversation = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["title", "body", "field", "urgency", "served_language", "interpreter_used", "attachments"]


class PhoneTicketForm(TicketForm):
    commune = forms.ModelChoiceField(label=_("Xã, phường của người gọi"), queryset=Commune.objects.none())
    requester = forms.ModelChoiceField(
        label=_("Cán bộ gọi đến (nếu có tài khoản)"), queryset=User.objects.none(), required=False
    )
    caller_name = forms.CharField(label=_("Tên người gọi"), max_length=150, required=False)
    caller_phone = forms.CharField(label=_("Số điện thoại người gọi"), max_length=20, required=False)

    field_order = [
        "commune",
        "requester",
        "caller_name",
        "caller_phone",
        "title",
        "body",
        "field",
        "urgency",
        "served_language",
        "interpreter_used",
        "attachments",
    ]

    def __init__(self, *args, province_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("conversation")
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province_id).order_by("name")
        self.fields["requester"].queryset = User.objects.filter(
            province_id=province_id, commune__isnull=False, is_active=True
        ).select_related("commune")
        self.fields["requester"].label_from_instance = lambda u: f"{u.get_full_name()} — {u.commune}"


class TicketPageForm(forms.Form):
    """A form of the ticket page. Several of them sit on one page and share field names (`reason`, `body`), so each
    has its own element ids (`transfer_reason`, `reopen_reason`…) while the names posted stay the same."""

    ids = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


class ReplyForm(TicketPageForm):
    ids = "reply"
    THEN = [
        ("", _("Gửi trả lời")),
        ("waiting", _("Gửi và đề nghị xã bổ sung thông tin (tạm dừng đồng hồ)")),
        ("resolved", _("Gửi và đánh dấu đã giải quyết")),
    ]
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    internal = forms.BooleanField(label=_("Ghi chú nội bộ (xã không thấy)"), required=False)
    then = forms.ChoiceField(label=_("Sau khi gửi"), choices=THEN, required=False)
    attachments = _attachments_field()

    def __init__(self, *args, staff=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["internal"]
            del self.fields["then"]


class LanguageForm(LanguageAccessMixin, TicketPageForm):
    """Recording or correcting the language access of a question (the ticket page)."""

    ids = "language"


class AssignForm(TicketPageForm):
    ids = "assign"
    assignee = forms.ModelChoiceField(label=_("Giao cho"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["assignee"].queryset = team.members().order_by("full_name")


class TransferForm(TicketPageForm):
    """Move a question to another team — or, for a question without a team yet, triage it. Either way the field can
    be set, and without a chosen team the question goes where the province routes that field."""

    ids = "transfer"
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("— Chưa rõ —"),
    )
    team = forms.ModelChoiceField(
        label=_("Nhóm nhận"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— Theo lĩnh vực —"),
        help_text=_("Để trống: chuyển đến nhóm phụ trách lĩnh vực đã chọn."),
    )
    reason = forms.CharField(
        label=_("Lý do chuyển"),
        max_length=500,
        error_messages={"required": _("Cần ghi lý do chuyển nhóm.")},
    )

    def __init__(self, *args, teams=None, routes=None, triage=False, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams
        if routes is not None:
            # "Đất đai → Tổ Đất đai – Xây dựng": the operator sees where the field sends the question.
            self.fields["field"].label_from_instance = lambda f: (
                f"{f.name} → {routes[f.pk].name}"
                if routes.get(f.pk)
                else f"{f.name} ({_('chưa có nhóm trả lời')})"
            )
        if triage:
            self.fields["reason"].required = False
            self.fields["reason"].label = _("Ghi chú")

    def clean(self):
        data = super().clean()
        if not (data.get("field") or data.get("team")) and not {"field", "team"} & set(self.errors):
            raise forms.ValidationError(_("Chọn lĩnh vực hoặc nhóm nhận."))
        return data


class MergeForm(TicketPageForm):
    ids = "merge"
    target = forms.IntegerField(label=_("Gộp vào câu hỏi số (HL-…)"), min_value=1)
    reason = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)


class ReasonForm(TicketPageForm):
    """Reopening a question."""

    ids = "reopen"
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class RateForm(TicketPageForm):
    ids = "rate"
    score = forms.TypedChoiceField(
        label=_("Mức hài lòng"),
        choices=[(i, f"{i} ★") for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class FaqForm(TicketPageForm):
    ids = "faq"
    question = forms.CharField(label=_("Câu hỏi (viết chung, không nêu tên người, tên xã)"), max_length=500)
    answer = forms.CharField(
        label=_("Trả lời"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Đã bỏ lời chào, lời chúc, chữ ký và tên người hỏi, người trả lời; đọc lại trước khi lưu."
        ),
    )
    submit = forms.BooleanField(
        label=_("Gửi duyệt ngay"),
        required=False,
        initial=False,
        help_text=_("Không đánh dấu: bản nháp nằm trong Cẩm nang, anh/chị xem lại rồi gửi duyệt sau."),
    )


class RoutingRuleForm(forms.Form):
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Field.objects.all())
    team = forms.ModelChoiceField(label=_("Nhóm trả lời"), queryset=Team.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, province_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(province_id=province_id, is_active=True)


class SlaPolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicy
        fields = ["urgency", "first_response_hours", "resolution_hours", "warn_percent"]


class TeamForm(forms.Form):
    strategy = forms.ChoiceField(label=_("Cách phân công"), choices=Team.Strategy.choices)
    leader = forms.ModelChoiceField(label=_("Trưởng nhóm"), queryset=User.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Đang nhận câu hỏi"), required=False)
    rota = forms.ModelMultipleChoiceField(
        label=_("Chuyên viên trực (nhận câu hỏi khi phân công tự động)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi chuyên viên của nhóm đều được phân công."),
    )

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["leader"].queryset = team.members()
            self.fields["rota"].queryset = team.members()


class CannedForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=120)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}))


class AbsenceForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Chuyên viên"), queryset=User.objects.none())
    start = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Lý do"), max_length=200, required=False)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["user"].queryset = users


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
