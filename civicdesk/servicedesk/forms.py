import uuid
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from civicdesk.handbook.models import Field, Procedure
from civicdesk.kernel import served
from civicdesk.kernel.forms import add_service_errors  # noqa: F401 — the views import it from here
from civicdesk.kernel.roles import Role

from .models import Channel, Status, SupplementReason, SurveyReason, normalise_phone, validate_cccd

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LanguageAccessMixin(served.ServedLanguageFormMixin):
    """The two language-access fields (issue 15), shared by the counter's form and the dossier page's."""


class IntakeForm(LanguageAccessMixin, forms.Form):
    """Applicant, channel, language access and the component checklist of one procedure (built from the handbook)."""

    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=Channel.choices, initial=Channel.TRUC_TIEP)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    applicant_id_number = forms.CharField(
        label=_("Số CCCD/căn cước"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{12}"}),
        help_text=_("12 chữ số."),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Người dân dùng 4 số cuối để tra cứu tình trạng hồ sơ."),
    )
    components = forms.TypedMultipleChoiceField(
        label=_("Thành phần hồ sơ người dân đã nộp"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    appointment_at = forms.DateTimeField(
        label=_("Ngày hẹn trả kết quả"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("Chỉ nhập khi Cẩm nang chưa có thời hạn giải quyết đã kiểm chứng của thủ tục."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
    documents_digitised = forms.BooleanField(
        label=_("Đã số hóa thành phần hồ sơ"),
        required=False,
        help_text=_(
            "Đã quét, lưu các giấy tờ vào hồ sơ điện tử khi tiếp nhận (chỉ tiêu số hóa, Quyết định 766)."
        ),
    )
    assisted_by = forms.ModelChoiceField(
        label=_("Tình nguyện viên hỗ trợ nộp"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Chỉ khi người dân nộp trực tuyến có hỗ trợ tại Trung tâm: ai đã giúp."),
    )
    # One-time token of this filling-in of the form (`services.receive_dossier_once`): a double click or the browser
    # sending the form again registers one dossier. Not required: a page opened before the token existed still
    # registers (without that protection) rather than losing what the officer typed.
    submission = forms.UUIDField(
        label=_("Mã lượt gửi biểu mẫu"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Mã lượt gửi biểu mẫu không hợp lệ; hãy bấm tiếp nhận lại.")},
    )

    # The language fields sit with the applicant's (the error summary lists the fields in this order).
    field_order = [
        "channel",
        "assisted_by",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "served_language",
        "interpreter_used",
        "components",
        "appointment_at",
        "documents_digitised",
        "note",
    ]

    def __init__(self, *args, checklist=(), days_known=True, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)
        volunteers = get_user_model().objects.filter(role=Role.VOLUNTEER, commune=commune, is_active=True)
        if commune is None or not volunteers.exists():
            del self.fields["assisted_by"]  # a commune without volunteers is not asked
        else:
            self.fields["assisted_by"].queryset = volunteers.order_by("full_name")
        self.fields["components"].choices = [
            (item["index"], item["name"] + ("" if item["required"] else " " + str(_("(không bắt buộc)"))))
            for item in self.checklist
        ]
        if days_known:
            del self.fields["appointment_at"]
        else:
            self.fields["appointment_at"].required = True
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())

    def renew_submission(self):
        """A new token for the form shown again, so that its next submission counts as a new one."""
        self.data = self.data.copy()
        self.data["submission"] = str(uuid.uuid4())

    # The service checks these again; checking them here names every mistake in one round, not the appointment
    # first and the CCCD on the next submission.
    def clean_applicant_id_number(self):
        value = self.cleaned_data["applicant_id_number"].replace(" ", "")
        validate_cccd(value)
        return value

    def clean_applicant_phone(self):
        return normalise_phone(self.cleaned_data["applicant_phone"])


class LanguageForm(LanguageAccessMixin, forms.Form):
    """Recording or correcting the language access of a registered dossier (the dossier page, its own ids)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "language_%s")
        super().__init__(*args, **kwargs)


class DigitisationForm(forms.Form):
    """Recording or correcting the two digitisation inputs of a registered dossier (the dossier page, own ids)."""

    documents_digitised = forms.BooleanField(label=_("Đã số hóa thành phần hồ sơ"), required=False)
    result_electronic = forms.BooleanField(
        label=_("Kết quả được cấp bản điện tử"),
        required=False,
        help_text=_("Chỉ ghi khi hồ sơ đã có kết quả."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "digitisation_%s")
        super().__init__(*args, **kwargs)


class SupplementForm(forms.Form):
    """Supplement request during processing. Own ids: the dossier page holds three forms with a "reason" field."""

    reason_category = forms.ChoiceField(label=_("Nhóm lý do"), choices=SupplementReason.choices)
    items = forms.CharField(
        label=_("Giấy tờ, nội dung cần bổ sung (mỗi dòng một mục)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi rõ những gì người dân phải bổ sung.")},
    )
    reason = forms.CharField(
        label=_("Hướng dẫn thêm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "supplement_%s")
        super().__init__(*args, **kwargs)

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class DelayForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trễ hạn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi lý do trễ hạn.")},
    )
    new_due_at = forms.DateTimeField(
        label=_("Ngày hẹn trả mới"),
        widget=DATETIME_WIDGET,
        error_messages={"required": _("Cần nhập ngày hẹn trả mới.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "delay_%s")
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    """The reason for rejecting or withdrawing a dossier (one form, two buttons)."""

    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "closing_%s")
        super().__init__(*args, **kwargs)


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    phone4 = forms.RegexField(
        label=_("4 số cuối điện thoại đã đăng ký"),
        regex=r"^\d{4}$",
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
    )


class SurveyForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Ông/bà hài lòng ở mức nào?"),
        coerce=int,
        choices=[
            (5, _("5 sao — Rất hài lòng")),
            (4, _("4 sao — Hài lòng")),
            (3, _("3 sao — Bình thường")),
            (2, _("2 sao — Chưa hài lòng")),
            (1, _("1 sao — Rất không hài lòng")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("Vì sao?"), choices=SurveyReason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Góp ý thêm"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        lo, hi = data.get("date_from"), data.get("date_to")
        if lo and hi:
            if lo > hi:
                raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
            if (hi - lo).days > 3 * 366:
                raise forms.ValidationError(_("Kỳ báo cáo tối đa 3 năm."))
        return data


class DossierFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *Status.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Tất cả")), *Channel.choices], required=False
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV từ hệ thống một cửa của tỉnh"),
        help_text=_(
            "Cột: code, commune_code, procedure_code, procedure_name, channel, received_at, due_at, "
            "finished_at, returned_at, status, supplement_requests, rating; tùy chọn: served_language "
            "(mã hoặc tên ngôn ngữ), interpreter_used (1/0, có/không)"
        ),
    )


def parse_date(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


class ProcedureChoiceField(forms.ModelChoiceField):
    """A handbook procedure chosen by its code; the option reads "name (code)" so typing the name finds it."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class ScorecardForm(PeriodForm):
    """The scorecard's period and filters (see the page's note for which indicators each filter applies to).

    Commune and field are read from the counters; a procedure (any handbook procedure, by code) or a channel makes
    the scorecard aggregate the dossier rows instead (`scorecard.dossier_counts_by_commune`)."""

    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả lĩnh vực"),
    )
    procedure = ProcedureChoiceField(
        label=_("Thủ tục"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả thủ tục"),
        widget=forms.Select(attrs={"aria-describedby": "sc-procedure-help"}),
        error_messages={"invalid_choice": _("Không có thủ tục mã này trong Cẩm nang.")},
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[("", _("Tất cả kênh")), *Channel.choices],
        required=False,
        error_messages={"invalid_choice": _("Kênh tiếp nhận không hợp lệ.")},
    )
    indicator = forms.ChoiceField(label=_("Tô màu bản đồ, xếp hạng theo"), required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.order_by("name")
        self.fields["procedure"].queryset = Procedure.objects.only("code", "name").order_by("name", "code")
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]
