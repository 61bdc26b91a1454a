from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback


class AskForm(forms.Form):
    q = forms.CharField(
        label=_("Câu hỏi"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("Ví dụ: làm giấy khai sinh cho con cần gì?")}
        ),
        error_messages={"required": _("Hãy nhập câu hỏi.")},
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("1", _("Hữu ích")), ("0", _("Chưa hữu ích"))], coerce=lambda v: v == "1"
    )
    reasons = forms.MultipleChoiceField(
        label=_("Lý do"), choices=Feedback.Reason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label=_("Góp ý thêm"), max_length=500, required=False)
