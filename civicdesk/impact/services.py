"""Impact estimates: `estimate` (a read, checked) and `save_estimate` (the one write), for the page and the API."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import person

from . import data, method, wording
from .indicators import INDICATORS
from .models import Estimate
from .permissions import can_estimate
from .presets import WORDING

MAX_MONTHS = 24


@dataclass
class Request:
    """What to estimate: the treated communes (codes), the start day, the indicator, the windows in months."""

    province: object
    codes: list
    start: date
    indicator: str = "on_time"
    months_before: int = 6
    months_after: int = 6
    kind: str = "manual"
    label: str = ""
    preset: str = ""
    k: int = method.DEFAULT_K


@dataclass
class Result:
    request: Request
    did: method.Did
    placebo: method.Did | None
    months: list  # every month shown (pre, the partial start month if any, post)
    pre: list
    post: list
    treated: list  # [(code, name)] used
    controls: list  # [(code, name, times matched)]
    dropped: list  # [(code, name)] treated communes without data
    sentence: str = ""
    caveats: list = field(default_factory=list)

    @property
    def indicator(self):
        return INDICATORS[self.request.indicator]

    def as_dict(self):
        did, placebo = self.did, self.placebo
        return {
            "indicator": self.request.indicator,
            "start": self.request.start.isoformat(),
            "estimate": round(did.estimate, 2),
            "low": round(did.low, 2),
            "high": round(did.high, 2),
            "n_treated": did.n_treated,
            "n_control": did.n_control,
            "pre_months": [m.isoformat() for m in self.pre],
            "post_months": [m.isoformat() for m in self.post],
            "months": [m.isoformat() for m in self.months],
            "treated_series": [_round(v) for v in did.treated_series],
            "control_series": [_round(v) for v in did.control_series],
            "treated": [{"code": c, "name": n} for c, n in self.treated],
            "controls": [{"code": c, "name": n, "matched": k} for c, n, k in self.controls],
            "dropped": [{"code": c, "name": n} for c, n in self.dropped],
            "placebo": None
            if placebo is None
            else {
                "estimate": round(placebo.estimate, 2),
                "low": round(placebo.low, 2),
                "high": round(placebo.high, 2),
            },
            "sentence": self.sentence,
            "caveats": list(self.caveats),
        }


def _round(value):
    return None if value is None or np.isnan(value) else round(float(value), 2)


def _invalid(field_name, message):
    raise ValidationError({field_name: message})


def _windows(request, today):
    """(months shown, pre months, post months): whole months only; the start's month is left out unless the
    start is its first day, and so is every month that has not ended."""
    start_month = request.start.replace(day=1)
    first_post = start_month if request.start.day == 1 else data.add_months(start_month, 1)
    last = data.last_whole_month(today)
    pre = data.month_range(
        data.add_months(start_month, -request.months_before), data.add_months(start_month, -1)
    )
    post = [
        m
        for m in data.month_range(first_post, data.add_months(first_post, request.months_after - 1))
        if m <= last
    ]
    if not post:
        _invalid(
            "start",
            _(
                "Chưa có tháng trọn vẹn nào sau ngày bắt đầu (tháng đang diễn ra chưa được tính): chọn ngày sớm hơn."
            ),
        )
    return data.month_range(pre[0], post[-1]), pre, post


def _check(actor, request):
    if not can_estimate(actor, request.province):
        raise PermissionDenied(
            _("Chỉ quản trị cấp tỉnh và chuyên viên Sở Nội vụ của tỉnh được đánh giá tác động.")
        )
    if request.indicator not in INDICATORS:
        _invalid("indicator", _("Chỉ số không có trong danh sách."))
    for name in ("months_before", "months_after"):
        if not 1 <= getattr(request, name) <= MAX_MONTHS:
            _invalid(name, _("Số tháng từ 1 đến %(n)s.") % {"n": MAX_MONTHS})
    if not request.codes:
        _invalid("communes", _("Chọn ít nhất một xã (hoặc một sáng kiến có sẵn)."))


def estimate(actor, request, *, today=None, resamples=method.RESAMPLES):
    """The difference-in-differences of `method` for `request`, with its sentence and caveats.

    Refused (PermissionDenied) outside the province roles; ValidationError, by field, for an unknown commune, a
    start with no whole month after it, or data that cannot give an estimate.
    """
    _check(actor, request)
    indicator = INDICATORS[request.indicator]
    communes = data.communes_of(request.province)
    by_code = {c.code: c for c in communes}
    unknown = sorted(set(request.codes) - set(by_code))
    if unknown:
        _invalid(
            "communes",
            _("Không có trong tỉnh: %(codes)s.") % {"codes": ", ".join(str(c) for c in unknown)},
        )
    months, pre, post = _windows(request, today)
    panel = data.load_panel(request.province, indicator, months, communes)
    # Months before the province's first counters or after its last are not months of the window.
    filled = [m for j, m in enumerate(months) if panel.den[:, j].any()]
    pre = [m for m in pre if filled and m >= filled[0]]
    post = [m for m in post if filled and m <= filled[-1]]
    if not pre:
        _invalid("start", _("Chưa có số liệu nào trước ngày bắt đầu: chọn ngày muộn hơn."))
    if not post:
        _invalid("start", _("Chưa có số liệu nào sau ngày bắt đầu: chọn ngày sớm hơn."))
    if months[0] != pre[0] or months[-1] != post[-1]:
        keep = [j for j, m in enumerate(months) if pre[0] <= m <= post[-1]]
        months = [months[j] for j in keep]
        panel = method.Panel(
            codes=panel.codes,
            num=panel.num[:, keep],
            den=panel.den[:, keep],
            volume=panel.volume[:, keep],
            scale=panel.scale,
        )
    col = {m: j for j, m in enumerate(months)}
    pre_cols, post_cols = [col[m] for m in pre], [col[m] for m in post]
    treated_mask = np.isin(panel.codes, list(request.codes))
    try:
        did = method.estimate(panel, treated_mask, pre_cols, post_cols, k=request.k, resamples=resamples)
    except method.NotEstimable as exc:
        messages = {
            "no_treated": _("Các xã đã chọn chưa có số liệu cả trước và sau ngày bắt đầu."),
            "no_controls": _("Không còn xã nào khác có số liệu để so sánh."),
        }
        raise ValidationError({"communes": messages.get(exc.code, str(exc))}) from exc
    placebo = method.placebo(panel, treated_mask, pre_cols, k=request.k, resamples=resamples)
    matched = np.bincount(did.matches.ravel(), minlength=len(communes))
    result = Result(
        request=request,
        did=did,
        placebo=placebo,
        months=months,
        pre=pre,
        post=post,
        treated=[(communes[i].code, communes[i].name) for i in did.treated_rows],
        controls=sorted(
            ((communes[i].code, communes[i].name, int(matched[i])) for i in did.control_rows),
            key=lambda row: (-row[2], row[0]),
        ),
        dropped=[(communes[i].code, communes[i].name) for i in did.dropped],
    )
    result.sentence = wording.sentence(result, WORDING.get(request.kind, WORDING["manual"]))
    result.caveats = wording.caveats(result)
    return result


@transaction.atomic
def save_estimate(actor, result):
    """Keep `result` in the province's list of past estimates (no personal data: commune figures only)."""
    request = result.request
    if not can_estimate(actor, request.province):
        raise PermissionDenied(
            _("Chỉ quản trị cấp tỉnh và chuyên viên Sở Nội vụ của tỉnh được đánh giá tác động.")
        )
    return Estimate.objects.create(
        province=request.province,
        label=(request.label or _("Các xã đã chọn"))[:300],
        preset=request.preset,
        kind=request.kind,
        indicator=request.indicator,
        start=request.start,
        months_before=request.months_before,
        months_after=request.months_after,
        treated_codes=sorted(request.codes),
        estimate=round(result.did.estimate, 2),
        low=round(result.did.low, 2),
        high=round(result.did.high, 2),
        n_treated=result.did.n_treated,
        n_control=result.did.n_control,
        sentence=result.sentence,
        result=result.as_dict(),
        created_by=person(actor),
    )
