"""Forms of the legal texts and of the review page. They shape input; the services (`legal_texts.py`, `review.py`)
validate it and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LegalText


class LegalTextForm(forms.Form):
    identifier = forms.CharField(
        label=_("Số hiệu hoặc tên"),
        max_length=200,
        help_text=_("Ví dụ: 20/2021/NĐ-CP; Luật Hộ tịch 2014 (tên luật kèm năm)."),
    )
    kind = forms.ChoiceField(
        label=_("Loại văn bản"),
        required=False,
        choices=[("", _("Theo số hiệu")), *LegalText.Kind.choices],
    )
    title = forms.CharField(label=_("Trích yếu"), required=False, max_length=500)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    aliases = forms.CharField(
        label=_("Cách ghi khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một số hiệu khác của cùng văn bản, ví dụ số của luật: 60/2014/QH13."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_from(cls, legal_text):
        return {
            "identifier": legal_text.identifier,
            "kind": legal_text.kind,
            "title": legal_text.title,
            "issued_on": legal_text.issued_on,
            "aliases": "\n".join(legal_text.aliases or []),
            "note": legal_text.note,
        }


class SupersedeForm(forms.Form):
    successor = forms.CharField(
        label=_("Văn bản thay thế"),
        required=False,
        max_length=200,
        help_text=_(
            "Số hiệu của văn bản mới, ví dụ 120/2025/NĐ-CP; chưa có trong danh mục thì được thêm vào."
        ),
        widget=forms.TextInput(attrs={"list": "legal-text-identifiers", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: hiệu lực từ ngày nào, phần nào được thay thế."),
    )


class ReinstateForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=255)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú kiểm chứng"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đã đối chiếu với văn bản, nguồn nào; hoặc cần sửa gì."),
    )
