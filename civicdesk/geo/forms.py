from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Hamlet


class HamletForm(forms.ModelForm):
    class Meta:
        model = Hamlet
        fields = ["name", "kind", "population", "lat", "lon"]


class CoordinatesForm(forms.Form):
    lat = forms.FloatField(label=_("Vĩ độ"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Kinh độ"), min_value=-180, max_value=180)


class HamletImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"), help_text=_("Cột: commune_code, name, kind, lat, lon, population")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 2 MB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Tệp phải được lưu với bảng mã UTF-8.")) from exc
