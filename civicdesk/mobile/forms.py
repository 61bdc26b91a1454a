from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.handbook.models import Procedure


class TripForm(forms.Form):
    title = forms.CharField(label=_("Tên chuyến"), max_length=200)
    day = forms.DateField(label=_("Ngày đi"), widget=forms.DateInput(attrs={"type": "date"}))
    leave_at = forms.TimeField(
        label=_("Rời Trung tâm lúc"), initial=time(7, 30), widget=forms.TimeInput(attrs={"type": "time"})
    )
    back_by = forms.TimeField(
        label=_("Về Trung tâm trước"), initial=time(17, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    procedure_codes = forms.MultipleChoiceField(
        label=_("Thủ tục nhận tại thôn"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ Ctrl (hoặc chạm giữ trên điện thoại) để chọn nhiều thủ tục."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure_codes"].choices = [
            (p.code, f"{p.code} — {p.name}")
            for p in Procedure.objects.exclude(status=Procedure.Status.ARCHIVED)
            .order_by("code")
            .only("code", "name")
        ]


class StopForm(forms.Form):
    hamlet = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("Đến thôn này"), required=False)
    window_start = forms.TimeField(
        label=_("Tập trung dân từ"), initial=time(8, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    window_end = forms.TimeField(
        label=_("đến"), initial=time(11, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    service_minutes = forms.IntegerField(
        label=_("Làm việc tại thôn (phút)"), min_value=10, max_value=480, initial=60
    )


StopFormSet = forms.formset_factory(StopForm, extra=0)


class RescheduleForm(forms.Form):
    day = forms.DateField(label=_("Đổi sang ngày"), widget=forms.DateInput(attrs={"type": "date"}))


class AnnounceForm(forms.Form):
    """What the officer adds to the announcement: where the team works in each hamlet, what to bring."""

    bring = forms.CharField(
        label=_("Người dân mang theo (ngoài CCCD)"),
        max_length=120,
        required=False,
        help_text=_("Ví dụ: giấy chứng sinh, sổ hộ khẩu cũ. Để trống: “giấy tờ của thủ tục”."),
    )

    def __init__(self, *args, stops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stops = list(stops)
        for stop in self.stops:
            self.fields[f"place_{stop.pk}"] = forms.CharField(
                label=_("Địa điểm ở %(hamlet)s") % {"hamlet": stop.hamlet.name},
                max_length=80,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("ví dụ: nhà văn hóa thôn")}),
            )

    def places(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {stop.pk: data.get(f"place_{stop.pk}", "") for stop in self.stops}

    def place_fields(self):
        return [self[f"place_{stop.pk}"] for stop in self.stops]
