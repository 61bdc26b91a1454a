"""The estimate form: a preset (an initiative already recorded) or communes typed in, a start day, an indicator."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .indicators import choices as indicator_choices
from .services import MAX_MONTHS


class EstimateForm(forms.Form):
    preset = forms.ChoiceField(label=_("Sáng kiến có sẵn"), required=False)
    communes = forms.MultipleChoiceField(
        label=_("Hoặc chọn các xã được can thiệp"),
        required=False,
        help_text=_(
            "Giữ Ctrl (hoặc chạm từng dòng trên điện thoại) để chọn nhiều xã. Bỏ trống khi dùng sáng kiến có sẵn."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    start = forms.DateField(
        label=_("Ngày bắt đầu"),
        required=False,
        help_text=_("Bỏ trống để dùng ngày bắt đầu của sáng kiến."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    indicator = forms.ChoiceField(label=_("Chỉ số"), choices=indicator_choices, initial="on_time")
    months_before = forms.IntegerField(
        label=_("Số tháng trước"), min_value=1, max_value=MAX_MONTHS, initial=6
    )
    months_after = forms.IntegerField(label=_("Số tháng sau"), min_value=1, max_value=MAX_MONTHS, initial=6)

    def __init__(self, *args, presets=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.presets = {p.key: p for p in presets}
        self.fields["preset"].choices = [("", _("— Tự chọn xã bên dưới —"))] + [
            (p.key, p.label) for p in presets
        ]
        # The latest secondment wave (or the first initiative found) is what a province asks about first.
        self.fields["preset"].initial = presets[0].key if presets else ""
        self.fields["communes"].choices = [(str(c.code), f"{c.name} ({c.code})") for c in communes]

    def clean(self):
        cleaned = super().clean()
        preset = self.presets.get(cleaned.get("preset") or "")
        codes = [int(c) for c in cleaned.get("communes") or []]
        if not codes and preset is None and "communes" not in self.errors:
            self.add_error("communes", _("Chọn một sáng kiến có sẵn hoặc ít nhất một xã."))
        if not cleaned.get("start") and preset is None and "start" not in self.errors:
            self.add_error("start", _("Nhập ngày bắt đầu."))
        cleaned["preset_obj"] = preset
        cleaned["codes"] = codes or (list(preset.codes) if preset else [])
        if not cleaned.get("start") and preset is not None:
            cleaned["start"] = preset.start
        return cleaned
