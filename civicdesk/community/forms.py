"""Forms of language access. They keep what was typed on any error; the services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.forms import add_service_errors  # noqa: F401 — the views import it from here
from civicdesk.kernel.languages import choices as language_choices
from civicdesk.kernel.languages import is_language_code

from .models import Accompaniment, Person, PersonLanguage

WEEKDAYS = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật"))
SLOT_LABELS = {"am": _("sáng"), "pm": _("chiều")}
LEVEL_CHOICES = [("", _("Chưa đánh giá"))] + [
    (str(n), label)
    for n, label in (
        (0, _("0 – không biết")),
        (1, _("1 – vài câu")),
        (2, _("2 – giao tiếp đơn giản")),
        (3, _("3 – khá")),
        (4, _("4 – thành thạo")),
        (5, _("5 – như tiếng mẹ đẻ")),
    )
]


def slot_choices():
    return [(f"{d}:{s}", f"{WEEKDAYS[d]} {SLOT_LABELS[s]}") for d in range(6) for s in ("am", "pm")]


class LanguageField(forms.CharField):
    """A language: the regional list as suggestions, any ISO 639-3 code accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)
        self.widget = forms.Select(choices=[("", "—"), *language_choices()])

    def clean(self, value):
        value = super().clean((value or "").strip().lower())
        if value and not is_language_code(value):
            raise forms.ValidationError(_("Chọn một ngôn ngữ trong danh sách."))
        return value


class PersonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Là"), choices=[])
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    id_number = forms.CharField(
        label=_("Số CCCD"), max_length=12, required=False, help_text=_("Chỉ ghi khi người dân đồng ý.")
    )
    hamlet = forms.ModelChoiceField(label=_("Thôn, tổ dân phố"), queryset=None, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    preferred_language = LanguageField(label=_("Ngôn ngữ ưa dùng"), required=False)
    interpreter_needed = forms.BooleanField(label=_("Cần người phiên dịch"), required=False)
    weekly_capacity = forms.IntegerField(
        label=_("Số chuyến đi cùng tối đa mỗi tuần"), min_value=0, max_value=30, initial=5, required=False
    )
    available_slots = forms.MultipleChoiceField(
        label=_("Buổi có thể đi"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi buổi sáng, chiều từ thứ Hai đến thứ Sáu."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, commune, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = kinds or (Person.Kind.OFFICIAL, Person.Kind.VOLUNTEER, Person.Kind.CITIZEN)
        self.fields["kind"].choices = [(k.value, k.label) for k in Person.Kind if k in allowed]
        self.fields["hamlet"].queryset = commune.hamlets.all()
        self.fields["available_slots"].choices = slot_choices()

    def cleaned_for_service(self):
        data = dict(self.cleaned_data)
        if data.get("weekly_capacity") is None:
            data["weekly_capacity"] = 5
        return data

    @classmethod
    def initial_for(cls, person):
        return {name: getattr(person, name) for name in cls.base_fields}


class LanguageForm(forms.Form):
    code = LanguageField(label=_("Ngôn ngữ"))
    dialect = forms.CharField(
        label=_("Phương ngữ, nhóm"), max_length=60, required=False, help_text=_("Ví dụ: K'Ho Lạch, K'Ho Srê.")
    )
    listening = forms.TypedChoiceField(
        label=_("Nghe"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    speaking = forms.TypedChoiceField(
        label=_("Nói"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    reading = forms.TypedChoiceField(
        label=_("Đọc"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    writing = forms.TypedChoiceField(
        label=_("Viết"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    certificate_number = forms.CharField(label=_("Số chứng chỉ"), max_length=60, required=False)
    certificate_date = forms.DateField(
        label=_("Ngày cấp"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    certificate_issuer = forms.CharField(label=_("Nơi cấp"), max_length=200, required=False)
    is_preferred = forms.BooleanField(label=_("Ngôn ngữ ưa dùng"), required=False)

    @classmethod
    def initial_for(cls, language: PersonLanguage):
        return {name: getattr(language, name) for name in cls.base_fields}


class RequestForm(forms.Form):
    citizen = forms.ModelChoiceField(
        label=_("Người dân (đã có trong danh sách)"), queryset=None, required=False
    )
    new_citizen = forms.CharField(
        label=_("hoặc họ tên người dân mới"),
        max_length=150,
        required=False,
        help_text=_(
            "Người dân chưa có trong danh sách: ghi họ tên, thôn; hệ thống thêm vào danh sách của xã."
        ),
    )
    new_citizen_phone = forms.CharField(label=_("Điện thoại người dân"), max_length=20, required=False)
    language = LanguageField(
        label=_("Cần người nói tiếng"),
        help_text=_("Mặc định: ngôn ngữ ưa dùng của người dân."),
        required=False,
    )
    dialect = forms.CharField(label=_("Phương ngữ (nếu cần)"), max_length=60, required=False)
    min_level = forms.TypedChoiceField(
        label=_("Trình độ nghe, nói tối thiểu"),
        choices=LEVEL_CHOICES[2:],
        coerce=int,
        initial="2",
    )
    hamlet = forms.ModelChoiceField(label=_("Thôn, tổ dân phố"), queryset=None, required=False)
    address = forms.CharField(label=_("Địa chỉ, nơi hẹn"), max_length=255, required=False)
    date = forms.DateField(
        label=_("Ngày hẹn"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    slot = forms.ChoiceField(
        label=_("Buổi"), choices=Accompaniment.Slot.choices, initial=Accompaniment.Slot.DAY
    )
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=None, required=False)
    procedure_name = forms.CharField(
        label=_("hoặc việc cần làm"),
        max_length=400,
        required=False,
        help_text=_("Khi việc không phải một thủ tục."),
    )
    origin = forms.ChoiceField(
        label=_("Nguồn đề nghị"), choices=Accompaniment.Origin.choices, initial="commune"
    )
    note = forms.CharField(
        label=_("Ghi chú"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, commune, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["citizen"].queryset = (
            Person.objects.citizens().filter(commune=commune).select_related("hamlet")
        )
        self.fields["citizen"].label_from_instance = lambda p: (
            f"{p.full_name}"
            + (f" – {p.hamlet}" if p.hamlet else "")
            + (f" ({p.preferred_language_name})" if p.preferred_language else "")
        )
        self.fields["hamlet"].queryset = commune.hamlets.all()
        self.fields["procedure"].queryset = procedures
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("citizen") and not (data.get("new_citizen") or "").strip():
            self.add_error("citizen", _("Chọn người dân trong danh sách, hoặc ghi họ tên người dân mới."))
        if data.get("citizen") and (data.get("new_citizen") or "").strip():
            self.add_error("new_citizen", _("Chỉ chọn một: người đã có, hoặc người mới."))
        citizen = data.get("citizen")
        if not data.get("language"):
            if citizen is not None and citizen.preferred_language:
                data["language"] = citizen.preferred_language
            else:
                self.add_error("language", _("Chọn ngôn ngữ người dân cần."))
        if not data.get("procedure") and not (data.get("procedure_name") or "").strip():
            self.add_error("procedure", _("Chọn thủ tục, hoặc ghi việc cần làm."))
        return data


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Trả lời"),
        choices=[("1", _("Nhận chuyến đi")), ("0", _("Không nhận chuyến"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Lý do từ chối"), max_length=500, required=False)


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Accompaniment.Outcome.choices)
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ đã nộp"), max_length=40, required=False, help_text=_("Khi người dân đã nộp hồ sơ.")
    )
    visited_at = forms.DateTimeField(
        label=_("Thời điểm đi"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    note = forms.CharField(
        label=_("Ghi chú"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (UTF-8)"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False)
