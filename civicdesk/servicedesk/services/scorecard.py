"""The province's targets for the Decision 766 scorecard (the target lines on the page)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.roles import Role

from ..models import ScorecardTarget
from ..scorecard import INDICATOR_BY_CODE


def can_set_targets(user, province):
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.role == Role.PROVINCE_ADMIN and user.province_id == province.pk))
    )


def _clean(code, value):
    indicator = INDICATOR_BY_CODE.get(code)
    if indicator is None or not indicator.measured:
        raise ValidationError({code: [_("Chỉ tiêu không có trong bảng điểm hoặc CivicDesk chưa đo được.")]})
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError({code: [_("Mục tiêu là một số phần trăm, ví dụ 95.")]}) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationError({code: [_("Mục tiêu phải từ 0 đến 100%.")]})
    return number


@transaction.atomic
def set_targets(actor, province, targets):
    """Set (or clear, with None or "") the province's target, in percent, of each indicator in `targets`.

    The province admin of that province only. Validates every value before writing; audited with old and new.
    Returns {code: target or None} after the change.
    """
    if not can_set_targets(actor, province):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh đặt mục tiêu của tỉnh."))
    cleaned, errors = {}, {}
    for code, value in targets.items():
        try:
            cleaned[code] = _clean(code, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    existing = {t.indicator: t for t in ScorecardTarget.objects.filter(province=province)}
    changes = {}
    for code, value in cleaned.items():
        old = existing.get(code)
        old_value = old.target if old else None
        if old_value == value:
            continue
        if value is None:
            old.delete()
        elif old is None:
            ScorecardTarget.objects.create(province=province, indicator=code, target=value, set_by=actor)
        else:
            old.target, old.set_by = value, actor
            old.save(update_fields=["target", "set_by", "updated_at"])
        changes[code] = [None if old_value is None else str(old_value), None if value is None else str(value)]
    if changes:
        audit.record(
            actor,
            audit.Action.UPDATE,
            object_type="servicedesk.scorecardtarget",
            object_id=str(province.pk),
            object_repr=f"Mục tiêu bảng điểm 766 — {province.name}",
            changes=changes,
        )
    return cleaned
