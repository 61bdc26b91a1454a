"""Edit forms. They only shape input into a schema dict; `services.save_record` validates it like an import line."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.core.models import Department
from civicdesk.kernel import languages

from .models import Field, Guide, Procedure
from .schema import METHODS
from .text import METHOD_LABELS

LINES_HELP = _("Mỗi dòng một mục.")
CODES_HELP = _("Mã thủ tục, cách nhau bằng dấu phẩy, ví dụ: HT-001, HT-002.")


def _lines(value):
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _commas(value):
    return [part.strip() for part in (value or "").replace("\n", ",").split(",") if part.strip()]


class CommonForm(forms.Form):
    keywords = forms.CharField(
        label=_("Từ khóa người dân hay dùng"),
        required=False,
        help_text=_("Cách nhau bằng dấu phẩy, có thể viết không dấu: làm giấy khai sinh, khai sinh cho con."),
    )
    source = forms.CharField(label=_("Nguồn"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    verification = forms.ChoiceField(
        label=_("Kiểm chứng"),
        choices=[("needs_verification", _("Cần kiểm chứng")), ("verified", _("Đã kiểm chứng"))],
        help_text=_("Chọn “Cần kiểm chứng” khi có con số, mức phí, thời hạn hay số văn bản chưa chắc chắn."),
    )
    verification_note = forms.CharField(
        label=_("Điều cần kiểm tra"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.ChoiceField(label=_("Sở, ngành chịu trách nhiệm"), required=False)
    note = forms.CharField(
        label=_("Ghi chú thay đổi"),
        required=False,
        max_length=255,
        help_text=_("Ngắn gọn: sửa gì, vì sao (hiện trong lịch sử phiên bản)."),
    )

    def __init__(self, *args, can_choose_department=False, province_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if can_choose_department:
            departments = Department.objects.filter(is_active=True)
            if province_id:
                departments = departments.filter(province_id=province_id)
            self.fields["department"].choices = [("", _("Theo lĩnh vực"))] + [
                (d.code, d.name) for d in departments
            ]
        else:
            del self.fields["department"]

    META = ("keywords", "source", "verification", "verification_note", "department", "note")

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.META]

    def meta_fields(self):
        return [self[name] for name in self.fields if name in self.META]

    def common_data(self):
        data = {
            "keywords": _commas(self.cleaned_data["keywords"]),
            "source": self.cleaned_data["source"],
            "verification": self.cleaned_data["verification"],
            "verification_note": self.cleaned_data["verification_note"],
        }
        if "department" in self.fields:
            data["department"] = self.cleaned_data["department"] or None
        return data

    @staticmethod
    def common_initial(data):
        return {
            "keywords": ", ".join(data.get("keywords") or []),
            "source": data.get("source", ""),
            "verification": data.get("verification", "needs_verification"),
            "verification_note": data.get("verification_note", ""),
            "department": data.get("department") or "",
        }


def _field_choices(blank):
    choices = [(f.code, f.name) for f in Field.objects.all()]
    return ([("", _("— Không —"))] if blank else []) + choices


class ProcedureForm(CommonForm):
    code = forms.CharField(label=_("Mã (danh mục nội bộ)"), max_length=40, help_text=_("Ví dụ: HT-001."))
    national_code = forms.CharField(label=_("Mã thủ tục (CSDL quốc gia)"), max_length=40, required=False)
    name = forms.CharField(label=_("Tên thủ tục"), max_length=400)
    decision = forms.CharField(label=_("Số quyết định công bố"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=Procedure.Level.choices)
    procedure_type = forms.CharField(label=_("Loại thủ tục"), max_length=200, required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"))
    agency = forms.CharField(label=_("Cơ quan thực hiện"), max_length=500, required=False)
    applicants = forms.CharField(
        label=_("Đối tượng thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    steps = forms.CharField(
        label=_("Trình tự thực hiện"),
        required=False,
        help_text=LINES_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    requirements = forms.CharField(
        label=_("Yêu cầu, điều kiện"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.CharField(
        label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        required=False,
        help_text=LINES_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ dịch vụ công trực tuyến"),
        required=False,
        choices=[("", _("— Không —")), *Procedure.OnlineLevel.choices],
    )
    online_url = forms.CharField(label=_("Đường dẫn nộp trực tuyến"), max_length=200, required=False)
    related = forms.CharField(label=_("Thủ tục liên quan"), required=False, help_text=CODES_HELP)
    notes = forms.CharField(
        label=_("Lưu ý cho cán bộ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    police = forms.BooleanField(label=_("Do Công an cấp xã thực hiện"), required=False)

    field_order = ["code", "national_code", "name", "decision", "level", "procedure_type", "field", "agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _field_choices(blank=False)

    def to_data(self):
        c = self.cleaned_data
        return {
            "kind": "procedure",
            **{
                name: c[name]
                for name in ("code", "name", "level", "field", "agency", "applicants", "summary")
            },
            **{name: c[name] for name in ("requirements", "result", "notes", "police")},
            **{
                name: c[name] or None
                for name in ("national_code", "decision", "procedure_type", "online_level")
            },
            "online_url": c["online_url"] or None,
            "steps": _lines(c["steps"]),
            "legal_basis": _lines(c["legal_basis"]),
            "related": _commas(c["related"]),
            **self.common_data(),
        }

    @classmethod
    def initial_from(cls, data):
        initial = {key: value for key, value in data.items() if isinstance(value, str | bool)}
        initial.update(
            steps="\n".join(data.get("steps") or []),
            legal_basis="\n".join(data.get("legal_basis") or []),
            related=", ".join(data.get("related") or []),
            **cls.common_initial(data),
        )
        return initial


class MethodForm(forms.Form):
    enabled = forms.BooleanField(label=_("Áp dụng"), required=False)
    processing_days = forms.IntegerField(
        label=_("Thời hạn (ngày làm việc)"),
        min_value=0,
        required=False,
        help_text=_("0 = trong ngày. Để trống nếu luật quy định khoảng hoặc chưa chắc chắn."),
    )
    processing_text = forms.CharField(
        label=_("Diễn giải thời hạn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fee_text = forms.CharField(
        label=_("Phí, lệ phí"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fee_amount = forms.IntegerField(
        label=_("Mức phí cố định (đồng)"),
        min_value=0,
        required=False,
        help_text=_("Chỉ điền khi mức phí thống nhất toàn quốc và chắc chắn."),
    )


def method_forms(data=None, methods=()):
    """One sub-form per method (trực tiếp, trực tuyến, bưu chính), filled from the record's `methods`."""
    existing = {m.get("method"): m for m in methods}
    forms_ = []
    for method in METHODS:
        initial = dict(existing.get(method, {}), enabled=method in existing)
        form = MethodForm(data, prefix=f"m-{method}", initial=initial)
        form.method, form.label = method, METHOD_LABELS[method]
        forms_.append(form)
    return forms_


def methods_data(forms_):
    return [
        {
            "method": f.method,
            "processing_days": f.cleaned_data["processing_days"],
            "processing_text": f.cleaned_data["processing_text"],
            "fee_text": f.cleaned_data["fee_text"],
            "fee_amount": f.cleaned_data["fee_amount"],
        }
        for f in forms_
        if f.cleaned_data.get("enabled")
    ]


class ComponentForm(forms.Form):
    name = forms.CharField(label=_("Giấy tờ"), required=False)
    original = forms.IntegerField(label=_("Bản chính"), min_value=0, required=False)
    copy = forms.IntegerField(label=_("Bản sao"), min_value=0, required=False)
    form = forms.CharField(label=_("Mẫu đơn, tờ khai"), required=False)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)


ComponentFormSet = forms.formset_factory(ComponentForm, extra=2)


def components_data(formset):
    return [
        {
            "name": f.cleaned_data["name"],
            "original": f.cleaned_data["original"] or 0,
            "copy": f.cleaned_data["copy"] or 0,
            "form": f.cleaned_data["form"] or None,
            "required": f.cleaned_data["required"],
            "note": f.cleaned_data["note"],
        }
        for f in formset
        if f.cleaned_data.get("name")
    ]


class GuideForm(CommonForm):
    slug = forms.SlugField(
        label=_("Định danh (đường dẫn)"), max_length=120, help_text=_("Chữ thường không dấu, gạch ngang.")
    )
    handbook = forms.ChoiceField(label=_("Cẩm nang"), choices=Guide.Handbook.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    audience = forms.ChoiceField(label=_("Đối tượng"), choices=Guide.Audience.choices)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tags = forms.CharField(label=_("Thẻ"), required=False, help_text=_("Cách nhau bằng dấu phẩy."))
    related_procedures = forms.CharField(label=_("Thủ tục liên quan"), required=False, help_text=CODES_HELP)

    field_order = ["slug", "handbook", "title", "audience", "summary", "tags", "related_procedures"]

    def to_data(self):
        c = self.cleaned_data
        return {
            "kind": "guide",
            **{name: c[name] for name in ("slug", "handbook", "title", "audience", "summary")},
            "tags": _commas(c["tags"]),
            "related_procedures": _commas(c["related_procedures"]),
            **self.common_data(),
        }

    @classmethod
    def initial_from(cls, data):
        initial = {key: value for key, value in data.items() if isinstance(value, str)}
        initial.update(
            tags=", ".join(data.get("tags") or []),
            related_procedures=", ".join(data.get("related_procedures") or []),
            **cls.common_initial(data),
        )
        return initial


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Tiêu đề mục"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Nội dung (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=1)


def sections_data(formset):
    return [
        {"heading": f.cleaned_data["heading"], "body": f.cleaned_data["body"]}
        for f in formset
        if f.cleaned_data.get("heading") or f.cleaned_data.get("body")
    ]


class FaqForm(CommonForm):
    slug = forms.SlugField(label=_("Định danh (đường dẫn)"), max_length=120)
    question = forms.CharField(label=_("Câu hỏi"), max_length=500)
    answer = forms.CharField(label=_("Trả lời (Markdown)"), widget=forms.Textarea(attrs={"rows": 8}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    sources = forms.CharField(
        label=_("Nguồn trích dẫn"),
        required=False,
        help_text=LINES_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    related_procedures = forms.CharField(label=_("Thủ tục liên quan"), required=False, help_text=CODES_HELP)

    field_order = ["slug", "question", "answer", "field", "sources", "related_procedures"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _field_choices(blank=True)

    def to_data(self):
        c = self.cleaned_data
        return {
            "kind": "faq",
            "slug": c["slug"],
            "question": c["question"],
            "answer": c["answer"],
            "field": c["field"] or None,
            "sources": _lines(c["sources"]),
            "related_procedures": _commas(c["related_procedures"]),
            **self.common_data(),
        }

    @classmethod
    def initial_from(cls, data):
        initial = {key: value for key, value in data.items() if isinstance(value, str)}
        initial.update(
            sources="\n".join(data.get("sources") or []),
            related_procedures=", ".join(data.get("related_procedures") or []),
            **cls.common_initial(data),
        )
        return initial


FORMS = {"procedure": ProcedureForm, "guide": GuideForm, "faq": FaqForm}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp JSON hoặc JSONL"),
        help_text=_(
            "Theo lược đồ của cẩm nang (docs/handbook/schema.md) hoặc tên trường của CSDL quốc gia về TTHC."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Tệp phải được lưu với bảng mã UTF-8.")) from exc


class NationalListForm(forms.Form):
    file = forms.FileField(
        label=_("Danh sách TTHC của CSDL quốc gia (.xlsx, .csv hoặc .json)"),
        help_text=_(
            "Bản xuất của Cổng dịch vụ công quốc gia với các cột Mã thủ tục, Tên thủ tục, Cấp thực hiện, "
            "Lĩnh vực, Mức độ DVC trực tuyến."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        return upload.name, upload.read()


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), max_length=255)


def translation_language_choices(current=""):
    """The regional languages but Vietnamese (the original), plus `current` when it is a code off that list."""
    choices = [(code, name) for code, name in languages.choices() if code != languages.VIETNAMESE]
    if current and current not in dict(choices):
        choices.append((current, languages.language_name(current)))
    return [("", _("— Chọn ngôn ngữ —")), *choices]


class TranslationForm(forms.Form):
    """A translation's text; `services.save_translation` checks it again (language, duplicates, lengths)."""

    language = forms.ChoiceField(label=_("Ngôn ngữ"))
    title = forms.CharField(label=_("Tiêu đề bằng tiếng này"), max_length=400)
    summary = forms.CharField(
        label=_("Tóm tắt dễ hiểu"),
        help_text=_("Người dân cần mang gì, làm gì, ở đâu. Không dịch toàn bộ văn bản pháp lý."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    translator_name = forms.CharField(
        label=_("Người dịch"),
        max_length=150,
        help_text=_("Người nói tiếng này đã viết bản dịch (họ tên, nơi công tác hoặc thôn, bon)."),
    )
    source = forms.CharField(
        label=_("Nguồn, ghi chú"),
        required=False,
        help_text=_("Ví dụ: dịch từ bản công bố ngày nào, phương ngữ (K'Ho Lạch, K'Ho Srê…)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, current_language="", **kwargs):
        kwargs.setdefault("prefix", "tr")
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = translation_language_choices(current_language)

    @classmethod
    def initial_from(cls, translation):
        return {name: getattr(translation, name) for name in cls.base_fields}

    def to_data(self):
        return dict(self.cleaned_data)


class VerifyTranslationForm(forms.Form):
    verifier_name = forms.CharField(
        label=_("Người nói tiếng này đã kiểm tra"),
        max_length=150,
        help_text=_("Họ tên người đã đọc và xác nhận bản dịch đúng; không phải người dịch."),
    )

    def __init__(self, *args, translation, **kwargs):
        kwargs.setdefault("prefix", f"v{translation.pk}")
        super().__init__(*args, **kwargs)
        self.translation = translation
