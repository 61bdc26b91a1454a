"""Ready-made choices of treated communes and start date, read from the initiatives' own records.

| kind | communes | start |
|---|---|---|
| secondment | the communes of an approved plan's secondments (cancelled ones left out) | the plan's start |
| outreach | an outreach campaign's commune, or the communes of a province campaign | the campaign's first day |
| volunteers | each commune with volunteer shifts | its first shift |
| mobile | each commune whose mobile team made a trip | its first trip |
| language | each commune with accompaniment (language-access) requests | its first request's day |
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.community.models import Accompaniment
from civicdesk.geo.models import Commune
from civicdesk.mobile.models import Trip
from civicdesk.outreach.models import Campaign
from civicdesk.staffing.models import Plan, Secondment
from civicdesk.volunteers.models import Shift

# How each kind of initiative is said in the result sentence: (after it, the treated, the comparison).
WORDING = {
    "secondment": (
        gettext_lazy("Sau biệt phái"),
        gettext_lazy("các xã được biệt phái"),
        gettext_lazy("các xã tương đồng không được biệt phái"),
    ),
    "outreach": (
        gettext_lazy("Sau chiến dịch tiếp cận người dân"),
        gettext_lazy("các xã có chiến dịch"),
        gettext_lazy("các xã tương đồng không có chiến dịch"),
    ),
    "volunteers": (
        gettext_lazy("Sau khi có tình nguyện viên tại Trung tâm"),
        gettext_lazy("xã có tình nguyện viên"),
        gettext_lazy("các xã tương đồng không có tình nguyện viên"),
    ),
    "mobile": (
        gettext_lazy("Sau khi có tổ lưu động"),
        gettext_lazy("xã có tổ lưu động"),
        gettext_lazy("các xã tương đồng không có tổ lưu động"),
    ),
    "language": (
        gettext_lazy("Sau khi có hỗ trợ tiếng dân tộc"),
        gettext_lazy("xã có hỗ trợ tiếng dân tộc"),
        gettext_lazy("các xã tương đồng không có hỗ trợ này"),
    ),
    "manual": (
        gettext_lazy("Sau ngày bắt đầu"),
        gettext_lazy("các xã đã chọn"),
        gettext_lazy("các xã tương đồng khác trong tỉnh"),
    ),
}


@dataclass(frozen=True)
class Preset:
    key: str  # "kind:id", what the form and the saved estimate keep
    kind: str
    label: str
    codes: tuple
    start: date


def _d(day):
    return date_format(day, "d/m/Y")


def _secondments(province):
    plans = Plan.objects.filter(province=province, status=Plan.Status.APPROVED).order_by(
        "-period_start", "pk"
    )
    for plan in plans:
        codes = sorted(
            set(
                Secondment.objects.filter(plan=plan)
                .exclude(status=Secondment.Status.CANCELLED)
                .values_list("commune__code", flat=True)
            )
        )
        if codes:
            label = _("Biệt phái: %(name)s (từ %(start)s, %(n)s xã)") % {
                "name": plan.name,
                "start": _d(plan.period_start),
                "n": len(codes),
            }
            yield Preset(f"secondment:{plan.pk}", "secondment", label, tuple(codes), plan.period_start)


def _campaigns(province):
    campaigns = Campaign.objects.filter(province=province).exclude(status=Campaign.Status.DRAFT)
    for campaign in campaigns.select_related("commune").prefetch_related("communes").order_by("-start_date"):
        codes = sorted(
            {campaign.commune.code} if campaign.commune else {c.code for c in campaign.communes.all()}
        )
        if codes:
            label = _("Chiến dịch tiếp cận: %(name)s (từ %(start)s, %(n)s xã)") % {
                "name": campaign.name,
                "start": _d(campaign.start_date),
                "n": len(codes),
            }
            yield Preset(f"outreach:{campaign.pk}", "outreach", label, tuple(codes), campaign.start_date)


def _first_by_commune(province, kind, queryset, day_field, template):
    names = dict(Commune.objects.filter(province=province).values_list("code", "name"))
    rows = (
        queryset.filter(commune__province=province)
        .values("commune__code")
        .annotate(first=Min(day_field))
        .order_by("commune__code")
    )
    for row in rows:
        code = row["commune__code"]
        label = template % {"commune": names.get(code, code), "start": _d(row["first"])}
        yield Preset(f"{kind}:{code}", kind, label, (code,), row["first"])


def presets(province):
    """Every preset of the province, the secondment waves first."""
    found = [*_secondments(province), *_campaigns(province)]
    found += _first_by_commune(
        province, "volunteers", Shift.objects.all(), "day", _("Tình nguyện viên: %(commune)s (từ %(start)s)")
    )
    found += _first_by_commune(
        province, "mobile", Trip.objects.all(), "day", _("Tổ lưu động: %(commune)s (từ %(start)s)")
    )
    found += _first_by_commune(
        province,
        "language",
        Accompaniment.objects.all(),
        "date",
        _("Hỗ trợ tiếng dân tộc: %(commune)s (từ %(start)s)"),
    )
    return found


def find(province, key):
    """The preset `key` of the province, or None."""
    return next((p for p in presets(province) if p.key == key), None)
