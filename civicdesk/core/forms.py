import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import audit, throttle
from .clients import client_ip
from .models import CalendarDay


def _key(kind, value):
    return f"login:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


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
        return _key("user", username), _key("ip", client_ip(self.request))

    def clean(self):
        user_key, ip_key = self._keys()
        limit, seconds = settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCKOUT_SECONDS
        # Each attempt takes its number *before* the password is checked (core/throttle.py): sixteen parallel
        # guesses get 1…16 and those past the limit never reach the password check. A shared office address gets
        # more room than one account before it is locked.
        if throttle.attempt(user_key, seconds) > limit or throttle.attempt(ip_key, seconds) > limit * 4:
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": max(1, seconds // 60)}
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            audit.record(
                None,
                audit.Action.LOGIN_FAILED,
                object_type="auth.login",
                object_repr=(self.data.get("username") or "")[:200],
            )
            raise
        throttle.reset(user_key)
        throttle.forgive(ip_key)  # a success is no failure of the office's address
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


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, limited per address and per e-mail so nobody floods a mailbox or the mail server.

    The limit is the same whether or not the address belongs to an account: it tells an attacker nothing.
    """

    PER_ADDRESS, PER_EMAIL, WINDOW = 5, 3, 3600

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("email") or "").strip().lower()
        if email:
            by_address = throttle.attempt(_key("reset-ip", client_ip(self.request)), self.WINDOW)
            by_email = throttle.attempt(_key("reset-email", email), self.WINDOW)
            if by_address > self.PER_ADDRESS or by_email > self.PER_EMAIL:
                raise ValidationError(
                    _(
                        "Đã gửi nhiều yêu cầu đặt lại mật khẩu trong một giờ. Hãy kiểm tra hộp thư, hoặc thử lại sau."
                    ),
                    code="throttled",
                )
        return cleaned
