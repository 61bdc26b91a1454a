import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import CalendarDay


def _key(kind, value):
    return f"login-fail:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, locked for a while after repeated failures.

    Failures are counted per user name and per client address. The messages are the same whether or not the
    account exists, so the form never tells an attacker which user names are real.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "locked": _(
            "Bạn đã đăng nhập sai quá nhiều lần. Vì an toàn, chức năng đăng nhập tạm khóa %(minutes)s phút. "
            "Hãy thử lại sau, hoặc dùng “Quên mật khẩu”."
        ),
    }

    def _keys(self):
        username = (self.data.get("username") or "").strip().lower()
        ip = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return _key("user", username), _key("ip", ip)

    def clean(self):
        user_key, ip_key = self._keys()
        limit = settings.LOGIN_FAILURE_LIMIT
        # A shared office address gets more room than one account before it is locked.
        if (cache.get(user_key, 0) >= limit) or (cache.get(ip_key, 0) >= limit * 4):
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            for key in (user_key, ip_key):
                cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
            audit.record(
                None,
                audit.Action.LOGIN_FAILED,
                object_type="auth.login",
                object_repr=(self.data.get("username") or "")[:200],
            )
            raise
        cache.delete(user_key)
        return cleaned


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Loại"), choices=CalendarDay.Kind.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)


class WorkcalCalculatorForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Thời điểm bắt đầu"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    amount = forms.IntegerField(label=_("Số lượng"), min_value=0, max_value=365)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=[("d", _("ngày làm việc")), ("h", _("giờ làm việc"))])


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=100, initial="cli")
