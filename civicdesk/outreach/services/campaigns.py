"""Campaigns: defined by a commune (or the province, for several communes), opened and closed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.audit import diff
from civicdesk.kernel.validators import find_control_characters

from ..models import Campaign
from ..permissions import _province_admin as province_admin
from ..permissions import require, require_manage_campaign, require_run_commune

# A campaign's period: within these years, and at most two years long.
EARLIEST, LATEST = date(2020, 1, 1), date(2099, 12, 31)
MAX_DAYS = 2 * 366

FIELDS = (
    "name",
    "purpose",
    "theme",
    "start_date",
    "end_date",
    "owner",
    "status",
    "max_attempts",
    "cooloff_hours",
)


def _check(data, commune, province):
    bad = find_control_characters({k: v for k, v in data.items() if isinstance(v, str)})
    if bad:
        raise ValidationError({bad: _("Có ký tự điều khiển không hợp lệ.")})
    for name in ("start_date", "end_date"):
        day = data.get(name)
        if day is not None and not (EARLIEST <= day <= LATEST):
            raise ValidationError(
                {name: _("Ngày phải trong khoảng năm %(a)s–%(b)s.") % {"a": EARLIEST.year, "b": LATEST.year}}
            )
    if data.get("start_date") and data.get("end_date"):
        if data["end_date"] < data["start_date"]:
            raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if (data["end_date"] - data["start_date"]).days > MAX_DAYS:
            raise ValidationError({"end_date": _("Một chiến dịch kéo dài tối đa hai năm.")})
    owner = data.get("owner")
    if owner is not None:
        ok = owner.commune_id == commune.pk if commune is not None else owner.province_id == province.pk
        if not ok or not owner.is_active:
            raise ValidationError({"owner": _("Người phụ trách phải là người của đơn vị chạy chiến dịch.")})


@transaction.atomic
def save_campaign(actor, *, data, commune=None, province=None, campaign=None, procedures=None, communes=None):
    """Create a campaign of `commune` (or, with commune None, of `province` over `communes`) or update `campaign`."""
    created = campaign is None
    if created:
        if commune is not None:
            require_run_commune(actor, commune)
            province = commune.province
        else:
            require(
                province is not None and province_admin(actor, province.pk),
                _("Chỉ quản trị cấp tỉnh lập chiến dịch của tỉnh."),
            )
        campaign = Campaign(province=province, commune=commune, created_by=user_of(actor))
    else:
        require_manage_campaign(actor, campaign)
        commune, province = campaign.commune, campaign.province
    if created and data.get("owner") is None:
        # The one who creates it owns it, when they belong to the unit that runs it; a province admin who sets up a
        # commune's campaign names the commune's owner.
        mine = commune is not None and getattr(actor, "commune_id", None) == commune.pk
        mine = mine or (commune is None and getattr(actor, "province_id", None) == province.pk)
        if not mine:
            raise ValidationError(
                {"owner": _("Chọn người phụ trách chiến dịch (cán bộ của đơn vị chạy chiến dịch).")}
            )
        data = {**data, "owner": actor}
    _check(data, commune, province)
    if created:
        for name in FIELDS:
            if name in data:
                setattr(campaign, name, data[name])
        changes = {}
    else:
        changes = diff(campaign, data, FIELDS)
    campaign.full_clean(exclude=["province", "commune", "owner", "created_by"])
    campaign.save()
    if procedures is not None:
        campaign.procedures.set(procedures)
    if commune is None and communes is not None:
        outside = [c for c in communes if c.province_id != province.pk]
        if outside or not communes:
            raise ValidationError({"communes": _("Chọn ít nhất một xã của tỉnh.")})
        campaign.communes.set(communes)
    audit.record(
        actor,
        audit.Action.CREATE if created else audit.Action.UPDATE,
        campaign,
        changes={"name": campaign.name} if created else changes,
    )
    return campaign
