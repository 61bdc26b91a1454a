"""A phone joins the team: it gets the prefix its provisional receipts will carry."""

import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.validators import validate_no_control_characters
from civicdesk.servicedesk.permissions import can_receive

from ..models import Device


def register_device(actor, commune, *, label):
    """A new device of `commune`'s team, prefix `<commune code><letters>` (25162A, 25162B, …, 25162AA …)."""
    if not can_receive(actor, commune.pk):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được đăng ký máy cho tổ."))
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": [_("Cần đặt tên cho máy (ví dụ: “Điện thoại tổ 1”).")]})
    validate_no_control_characters(label)
    taken = Device.objects.filter(commune=commune).count()
    for attempt in range(50):
        number, letters = taken + attempt, ""
        while True:
            number, rest = divmod(number, 26)
            letters = string.ascii_uppercase[rest] + letters
            if number == 0:
                break
            number -= 1
        try:
            with transaction.atomic():
                device = Device.objects.create(
                    commune=commune,
                    label=label[:80],
                    prefix=f"{commune.code}{letters}",
                    registered_by=actor,
                    registered_at=timezone.now(),
                )
        except IntegrityError:  # another phone registered in the same instant
            continue
        audit.record(actor, audit.Action.CREATE, device, changes={"prefix": device.prefix})
        return device
    raise ValidationError(_("Không cấp được tiền tố cho máy, vui lòng thử lại."))
