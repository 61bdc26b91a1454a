"""The Decision 766/QĐ-TTg (2022) scorecard: the indicator catalogue as data, and its computation from the counters.

The catalogue states, for each indicator, its Vietnamese name, the formula in words, the source, which CivicDesk
counters compute it and its verification state. Law-adjacent content is never made up: where the decision's points,
maxima or scoring bands have not been checked against its text, the maximum is left empty (or flagged) and
`needs_verification` is set, so the page says "Cần kiểm chứng" and no points are computed for it. Indicators whose
input CivicDesk does not hold are listed as not measured, with the reason — never scored as zero.

Without a procedure or channel filter everything is computed from the counters (`CommuneMonthStat` /
`CommuneDayStat`, and `CommuneDayFieldStat` when a handbook field is chosen), so a province's quarter costs a few
thousand counter rows. There are no counters per procedure or per channel: when a procedure and/or a channel is chosen,
the same counters are aggregated from the Dossier rows themselves (`kpi.dossier_aggregates()`, grouped by commune, on
the `(province, received_date)` index), so every indicator is exact under those filters, at the price of reading the
province's dossiers of both periods.
"""

import calendar as pycal
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from . import kpi
from .models import Channel, CommuneDayFieldStat, Dossier, ScorecardTarget

SOURCE = "Quyết định 766/QĐ-TTg (2022)"
# The decision's five groups make 100 points in all.
TOTAL_MAX = 100

# Filters the scorecard offers. Commune and field are read from the counters (field: only for the indicators with
# per-field counters); procedure and channel from the dossier rows (then the field too, for every indicator).
FILTER_COMMUNE, FILTER_FIELD, FILTER_PROCEDURE, FILTER_CHANNEL = "commune", "field", "procedure", "channel"
ROW_FILTERS = frozenset({FILTER_PROCEDURE, FILTER_CHANNEL})


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: int | None
    needs_verification: bool
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue.

    `numerator`/`denominator` name the counters (`kpi.COUNTERS`) the rate is computed from; both None when CivicDesk
    cannot measure it (`not_measured_reason` says why). `max_points` and `scoring` stay None until checked against
    the decision's text; points are computed only when they are set and `needs_verification` is False.

    `filters`: the filters the indicator can be computed under and still mean something. "field" is listed only
    where per-field counters exist (without a procedure or channel filter); with one of those the figures come from
    the dossier rows and the field applies to every indicator. `meaningless`: {filter: why the indicator says nothing
    under it} for the filters it leaves out on purpose (shown instead of a number).
    """

    code: str
    group: str
    name: str
    formula: str
    numerator: str | None = None
    denominator: str | None = None
    max_points: Decimal | None = None
    scoring: str | None = None  # "proportional": points = rate × max_points
    needs_verification: bool = True
    not_measured_reason: str = ""
    filters: frozenset = frozenset({FILTER_COMMUNE})
    meaningless: dict = field(default_factory=dict, hash=False)
    note: str = ""
    source: str = SOURCE

    @property
    def measured(self):
        return self.numerator is not None

    @property
    def counters(self):
        return tuple(c for c in (self.numerator, self.denominator) if c)

    @property
    def scored(self):
        return self.max_points is not None and self.scoring is not None and not self.needs_verification


GROUPS = (
    Group(
        "cong_khai",
        _("Công khai, minh bạch"),
        18,
        True,
        _("Điểm tối đa của nhóm theo ghi chép của dự án; cần đối chiếu văn bản Quyết định."),
    ),
    Group(
        "tien_do",
        _("Tiến độ giải quyết"),
        20,
        True,
        _("Điểm tối đa của nhóm theo ghi chép của dự án; cần đối chiếu văn bản Quyết định."),
    ),
    Group(
        "truc_tuyen",
        _("Cung cấp dịch vụ trực tuyến"),
        22,
        True,
        _("Thường được trích là 22 điểm; chưa đối chiếu văn bản Quyết định."),
    ),
    Group(
        "hai_long",
        _("Mức độ hài lòng"),
        18,
        True,
        _("Điểm tối đa của nhóm theo ghi chép của dự án; cần đối chiếu văn bản Quyết định."),
    ),
    Group(
        "so_hoa",
        _("Số hóa hồ sơ, kết quả"),
        22,
        True,
        _("Thường được trích là 22 điểm; chưa đối chiếu văn bản Quyết định."),
    ),
)

# Measured from the rows under a procedure or channel filter: every measured indicator, unless said otherwise.
ROWS = frozenset({FILTER_COMMUNE, FILTER_PROCEDURE, FILTER_CHANNEL})
# ...and also from the per-field counters (`kpi.FIELD_COUNTERS`) when only a field is chosen.
BOTH_FILTERS = ROWS | {FILTER_FIELD}

INDICATORS = (
    # -- Công khai, minh bạch: CivicDesk holds none of its inputs.
    Indicator(
        "ck_cong_bo",
        "cong_khai",
        _("Công khai thủ tục hành chính đầy đủ, đúng hạn trên Cổng Dịch vụ công quốc gia"),
        _("Số thủ tục được công khai đầy đủ, đúng hạn ÷ số thủ tục phải công khai."),
        not_measured_reason=_(
            "Việc công bố, công khai thủ tục diễn ra trên Cơ sở dữ liệu quốc gia và Cổng Dịch vụ công; "
            "Cẩm nang của CivicDesk không phải danh mục công bố chính thức."
        ),
    ),
    Indicator(
        "ck_dong_bo",
        "cong_khai",
        _("Đồng bộ, công khai tiến độ và kết quả xử lý hồ sơ trên Cổng Dịch vụ công quốc gia"),
        _("Số hồ sơ được đồng bộ trạng thái đầy đủ lên Cổng ÷ tổng số hồ sơ tiếp nhận."),
        not_measured_reason=_(
            "CivicDesk không gửi dữ liệu lên Cổng Dịch vụ công quốc gia nên không biết hồ sơ nào đã được đồng bộ. "
            "Tra cứu tình trạng hồ sơ của CivicDesk không thay thế được việc đồng bộ này."
        ),
    ),
    # -- Tiến độ giải quyết
    Indicator(
        "td_dung_han",
        "tien_do",
        _("Tỷ lệ hồ sơ giải quyết đúng hạn"),
        _(
            "Số hồ sơ có kết quả không muộn hơn ngày hẹn ban đầu ÷ số hồ sơ đã có kết quả "
            "(theo ngày tiếp nhận trong kỳ; hồ sơ không có ngày hẹn tính là chưa chứng minh được đúng hạn)."
        ),
        numerator="on_time",
        denominator="finished",
        filters=BOTH_FILTERS,
    ),
    # -- Cung cấp dịch vụ trực tuyến
    Indicator(
        "tt_ho_so",
        "truc_tuyen",
        _("Tỷ lệ hồ sơ tiếp nhận trực tuyến"),
        _("Số hồ sơ nộp trực tuyến (kể cả có hỗ trợ tại Trung tâm) ÷ tổng số hồ sơ tiếp nhận."),
        numerator="online",
        denominator="received",
        filters=ROWS - {FILTER_CHANNEL},
        meaningless={
            FILTER_CHANNEL: _(
                "Khi lọc theo một kênh tiếp nhận, tỷ lệ trực tuyến chỉ có thể là 0% hoặc 100% nên không có ý nghĩa."
            )
        },
    ),
    Indicator(
        "tt_thu_tuc",
        "truc_tuyen",
        _("Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến (toàn trình, một phần)"),
        _("Số thủ tục được cung cấp trực tuyến ÷ số thủ tục đủ điều kiện cung cấp."),
        not_measured_reason=_(
            "Là thuộc tính của danh mục thủ tục trên Cổng Dịch vụ công quốc gia, không phải của hồ sơ; "
            "CivicDesk không giữ danh mục chính thức đó."
        ),
    ),
    Indicator(
        "tt_thanh_toan",
        "truc_tuyen",
        _("Tỷ lệ thanh toán trực tuyến phí, lệ phí"),
        _("Số giao dịch thanh toán trực tuyến ÷ số hồ sơ có phí, lệ phí."),
        not_measured_reason=_("CivicDesk không ghi nhận phí, lệ phí và cách thanh toán của hồ sơ."),
    ),
    # -- Mức độ hài lòng
    Indicator(
        "hl_hai_long",
        "hai_long",
        _("Tỷ lệ người dân hài lòng khi giải quyết thủ tục"),
        _("Số đánh giá 4–5 sao ÷ số hồ sơ được đánh giá (phiếu đánh giá theo hồ sơ của CivicDesk)."),
        numerator="satisfied",
        denominator="rated",
        filters=ROWS,
        note=_(
            "CivicDesk dùng phiếu 1–5 sao; cách đánh giá của Quyết định có thể khác — cần đối chiếu trước khi báo cáo."
        ),
    ),
    # -- Số hóa hồ sơ, kết quả
    Indicator(
        "sh_ho_so",
        "so_hoa",
        _("Tỷ lệ hồ sơ được số hóa thành phần khi tiếp nhận"),
        _("Số hồ sơ đã số hóa thành phần hồ sơ ÷ tổng số hồ sơ tiếp nhận."),
        numerator="digitised",
        denominator="received",
        filters=BOTH_FILTERS,
        note=_(
            "Ghi tại quầy khi tiếp nhận (ô “Đã số hóa thành phần hồ sơ”); hồ sơ tiếp nhận trước khi có ô này và hồ sơ "
            "nhập từ hệ thống của tỉnh tính là chưa số hóa."
        ),
    ),
    Indicator(
        "sh_ket_qua",
        "so_hoa",
        _("Tỷ lệ kết quả giải quyết được cấp bản điện tử"),
        _("Số hồ sơ có kết quả điện tử ÷ số hồ sơ đã có kết quả."),
        numerator="result_electronic",
        denominator="finished",
        filters=BOTH_FILTERS,
        note=_(
            "Ghi khi cán bộ ghi nhận có kết quả (ô “Kết quả được cấp bản điện tử”); hồ sơ có kết quả trước khi có ô "
            "này tính là chưa có kết quả điện tử."
        ),
    ),
    Indicator(
        "sh_tai_su_dung",
        "so_hoa",
        _("Khai thác, sử dụng lại dữ liệu đã số hóa"),
        _("Số hồ sơ dùng lại giấy tờ, kết quả đã số hóa thay cho bản giấy ÷ số hồ sơ tiếp nhận."),
        not_measured_reason=_(
            "CivicDesk không biết người dân có dùng lại giấy tờ đã số hóa (kho dữ liệu trên Cổng) hay không."
        ),
    ),
)

INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}
MEASURED = tuple(i for i in INDICATORS if i.measured)
GROUP_BY_CODE = {g.code: g for g in GROUPS}


def indicators_of(group_code, catalogue=INDICATORS):
    return [i for i in catalogue if i.group == group_code]


# -- Periods ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def days(self):
        return (self.date_to - self.date_from).days + 1

    @property
    def whole_months(self):
        return not kpi.split_period(self.date_from, self.date_to)[1]

    def partial_months(self):
        """[(first day, last day)] of the months at the period's edges it covers only in part."""
        return kpi.split_period(self.date_from, self.date_to)[1]

    def unfinished(self, today):
        """The period reaches today or later: its last days have no (or not all) dossiers yet."""
        return self.date_to >= today


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def last_full_quarter(today):
    """The last calendar quarter that ended before `today`."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = _add_months(quarter_start, -3)
    return Period(start, quarter_start - timedelta(days=1))


def previous_period(period):
    """The period of the same length just before: the same number of whole months when the period is made of
    whole months (a quarter → the quarter before), otherwise the same number of days."""
    if period.whole_months:
        months = (
            (period.date_to.year - period.date_from.year) * 12
            + period.date_to.month
            - period.date_from.month
            + 1
        )
        start = _add_months(period.date_from, -months)
        return Period(start, period.date_from - timedelta(days=1))
    return Period(period.date_from - timedelta(days=period.days), period.date_from - timedelta(days=1))


def month_label(lo, hi):
    last = pycal.monthrange(lo.year, lo.month)[1]
    return {"month": lo.replace(day=1), "from": lo, "to": hi, "days": (hi - lo).days + 1, "of": last}


# -- Counters --------------------------------------------------------------------------------------------------------


def field_counts_by_commune(date_from, date_to, field_id, *, province_id=None, commune_ids=None):
    """{commune_id: counters} of one handbook field from `CommuneDayFieldStat` (only the per-field counters)."""
    rows = CommuneDayFieldStat.objects.filter(field_id=field_id, day__gte=date_from, day__lte=date_to)
    if province_id is not None:
        rows = rows.filter(commune__province_id=province_id)
    if commune_ids is not None:
        rows = rows.filter(commune_id__in=list(commune_ids))
    result = {}
    for row in rows.values("commune_id").annotate(**{c: Sum(c) for c in kpi.FIELD_COUNTERS}).order_by():
        counts = kpi.empty()
        for name in kpi.FIELD_COUNTERS:
            counts[name] = row[name] or 0
        result[row["commune_id"]] = counts
    return result


def dossier_counts_by_commune(
    period, *, province_id=None, commune_ids=None, field_id=None, procedure_code=None, channel=None
):
    """{commune_id: counters} aggregated from the Dossier rows received in `period` (`kpi.dossier_aggregates()`).

    For the filters no counter table holds (procedure, channel). The rows are found by the `(province,
    received_date)` index (or `(commune, received_date)` for one commune) and filtered on `procedure_code` /
    `channel`; a dossier's field is its handbook procedure's (`procedure.field`), so dossiers of a procedure the
    handbook does not know belong to no field, as in `CommuneDayFieldStat`. One grouped query per period.
    """
    rows = Dossier.objects.filter(received_date__gte=period.date_from, received_date__lte=period.date_to)
    if province_id is not None:
        rows = rows.filter(province_id=province_id)
    if commune_ids is not None:
        rows = rows.filter(commune_id__in=list(commune_ids))
    if procedure_code is not None:
        rows = rows.filter(procedure_code=procedure_code)
    if channel is not None:
        rows = rows.filter(channel=channel)
    if field_id is not None:
        rows = rows.filter(procedure__field_id=field_id)
    result = {}
    for row in rows.values("commune_id").annotate(**kpi.dossier_aggregates()).order_by():
        counts = kpi.empty()
        kpi.add(counts, row)
        result[row["commune_id"]] = counts
    return result


def counts_by_commune(
    period, *, province_id=None, commune_ids=None, field_id=None, procedure_code=None, channel=None
):
    """{commune_id: counters} for the period and filters: from the dossier rows when a procedure or channel is
    chosen, otherwise from the counters (the per-field counters when a field is chosen)."""
    if procedure_code is not None or channel is not None:
        return dossier_counts_by_commune(
            period,
            province_id=province_id,
            commune_ids=commune_ids,
            field_id=field_id,
            procedure_code=procedure_code,
            channel=channel,
        )
    if field_id is not None:
        return field_counts_by_commune(
            period.date_from, period.date_to, field_id, province_id=province_id, commune_ids=commune_ids
        )
    return kpi.counts_by(
        "commune_id", period.date_from, period.date_to, province_id=province_id, commune_ids=commune_ids
    )


def summed(by_commune, commune_ids=None):
    total = kpi.empty()
    for commune_id, counts in by_commune.items():
        if commune_ids is None or commune_id in commune_ids:
            kpi.add(total, counts)
    return total


# -- Scoring ---------------------------------------------------------------------------------------------------------


@dataclass
class IndicatorScore:
    indicator: Indicator
    numerator: int | None = None
    denominator: int | None = None
    value: float | None = None  # a fraction 0–1; None when not measured, filtered out or nothing to count
    previous: float | None = None
    target: Decimal | None = None  # percent, set by the province
    points: Decimal | None = None
    previous_points: Decimal | None = None
    filtered_out: bool = False  # a chosen filter cannot apply to this indicator (no counters, or meaningless)
    filtered_reason: str = ""  # why, in the user's words

    @property
    def percent(self):
        return None if self.value is None else round(self.value * 100, 1)

    @property
    def previous_percent(self):
        return None if self.previous is None else round(self.previous * 100, 1)

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return round((self.value - self.previous) * 100, 1)

    @property
    def meets_target(self):
        if self.value is None or self.target is None:
            return None
        return Decimal(str(self.percent)) >= self.target


@dataclass
class GroupScore:
    group: Group
    indicators: list = field(default_factory=list)
    points: Decimal | None = None
    previous_points: Decimal | None = None

    @property
    def measured(self):
        return [s for s in self.indicators if s.indicator.measured]

    @property
    def not_measured(self):
        return [s for s in self.indicators if not s.indicator.measured]

    @property
    def needs_verification(self):
        return self.group.needs_verification or any(s.indicator.needs_verification for s in self.indicators)


@dataclass
class Scorecard:
    period: Period
    previous_period: Period
    groups: list
    total_points: Decimal | None
    previous_total_points: Decimal | None
    field_id: int | None = None
    procedure_code: str | None = None
    channel: str | None = None
    total_max: int = TOTAL_MAX

    @property
    def from_dossiers(self):
        """The figures were aggregated from the dossier rows (a procedure or channel filter), not the counters."""
        return self.procedure_code is not None or self.channel is not None

    def indicator(self, code):
        for group in self.groups:
            for score in group.indicators:
                if score.indicator.code == code:
                    return score
        raise KeyError(code)


def rate(counts, indicator):
    if not indicator.measured:
        return None
    return kpi.ratio(counts[indicator.numerator], counts[indicator.denominator])


def points_for(indicator, value):
    """Points only for a verified, scored indicator; None otherwise (never a made-up number)."""
    if not indicator.scored or value is None:
        return None
    if indicator.scoring == "proportional":
        return (Decimal(str(value)) * indicator.max_points).quantize(Decimal("0.01"))
    raise ValueError(f"Unknown scoring rule {indicator.scoring!r} for {indicator.code}")


def _sum_points(values):
    """The sum when every part has points, else None: a partly scored group has no honest total."""
    if not values or any(v is None for v in values):
        return None
    return sum(values, Decimal("0"))


FIELD_COUNTERS_MISSING = _("Không lọc được theo lĩnh vực (chưa có bộ đếm theo lĩnh vực cho chỉ tiêu này).")


def why_filtered_out(indicator, filters):
    """Why `indicator` shows no figure under the chosen `filters` (a set of FILTER_*), or "" when it can.

    A filter the indicator leaves out on purpose (`meaningless`) wins; then, on the counter path (no procedure or
    channel chosen), a field filter without per-field counters. Under a procedure or channel filter the figures
    come from the dossier rows and the field applies to every indicator.
    """
    if not indicator.measured:
        return ""
    for name in (FILTER_CHANNEL, FILTER_PROCEDURE, FILTER_FIELD):
        if name in filters and name in indicator.meaningless:
            return indicator.meaningless[name]
    from_rows = bool(filters & ROW_FILTERS)
    if FILTER_FIELD in filters and not from_rows and FILTER_FIELD not in indicator.filters:
        return FIELD_COUNTERS_MISSING
    return ""


def chosen_filters(*, field_id=None, procedure_code=None, channel=None):
    """The set of FILTER_* names the arguments choose (the commune is a scope, always applicable)."""
    chosen = set()
    if field_id is not None:
        chosen.add(FILTER_FIELD)
    if procedure_code is not None:
        chosen.add(FILTER_PROCEDURE)
    if channel is not None:
        chosen.add(FILTER_CHANNEL)
    return frozenset(chosen)


def score(
    now, before, *, targets=None, field_filter=False, filters=None, catalogue=INDICATORS, groups=GROUPS
):
    """The scorecard's numbers from two sets of counters (this period, the previous one).

    `targets`: {indicator code: percent} the province set. `filters`: the FILTER_* names chosen (`field_filter=True`
    is the same as `filters={"field"}`); an indicator that cannot be computed, or means nothing, under them is marked
    `filtered_out` with the reason instead of showing a number (see `why_filtered_out`).
    """
    targets = targets or {}
    filters = frozenset(filters or ()) | ({FILTER_FIELD} if field_filter else frozenset())
    result, totals, previous_totals = [], [], []
    for group in groups:
        gs = GroupScore(group)
        for indicator in indicators_of(group.code, catalogue):
            s = IndicatorScore(indicator, target=targets.get(indicator.code))
            reason = why_filtered_out(indicator, filters)
            if reason:
                s.filtered_out, s.filtered_reason = True, reason
            elif indicator.measured:
                s.numerator, s.denominator = now[indicator.numerator], now[indicator.denominator]
                s.value, s.previous = rate(now, indicator), rate(before, indicator)
                s.points, s.previous_points = (
                    points_for(indicator, s.value),
                    points_for(indicator, s.previous),
                )
            gs.indicators.append(s)
        gs.points = _sum_points([s.points for s in gs.indicators])
        gs.previous_points = _sum_points([s.previous_points for s in gs.indicators])
        totals.append(gs.points)
        previous_totals.append(gs.previous_points)
        result.append(gs)
    return result, _sum_points(totals), _sum_points(previous_totals)


def province_targets(province_id):
    return dict(ScorecardTarget.objects.filter(province_id=province_id).values_list("indicator", "target"))


@dataclass
class ProvinceScorecard:
    """The province (or one commune) scorecard plus every commune's indicator values, for the ranking and the map."""

    scorecard: Scorecard
    communes: list  # [(commune, {indicator code: IndicatorScore})]


def compute(
    province, period, *, commune=None, field_id=None, procedure_code=None, channel=None, with_communes=True
):
    """The scorecard of `commune` (or the whole province) for `period`, the previous period beside it.

    Without `procedure_code` / `channel` it reads the counters of the province's communes twice (this period, the
    previous one): ≈ 124 × (months + edge days) rows each, whatever the number of dossiers. With either it runs two
    grouped queries over the province's (or the commune's) dossiers received in the two periods.
    `procedure_code`: a handbook procedure code (matched on `Dossier.procedure_code`); `channel`: a `Channel` value.
    """
    if channel is not None and channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    before_period = previous_period(period)
    scope = [commune.pk] if commune is not None and not with_communes else None
    where = {"field_id": field_id, "procedure_code": procedure_code, "channel": channel}
    now = counts_by_commune(period, province_id=province.pk, commune_ids=scope, **where)
    before = counts_by_commune(before_period, province_id=province.pk, commune_ids=scope, **where)
    targets = province_targets(province.pk)
    filters = chosen_filters(**where)
    only = {commune.pk} if commune is not None else None
    groups, total, previous_total = score(
        summed(now, only), summed(before, only), targets=targets, filters=filters
    )
    card = Scorecard(
        period,
        before_period,
        groups,
        total,
        previous_total,
        field_id=field_id,
        procedure_code=procedure_code,
        channel=channel,
    )
    communes = []
    if with_communes:
        for unit in province.communes.order_by("name"):
            unit_groups, _t, _p = score(
                now.get(unit.pk, kpi.empty()),
                before.get(unit.pk, kpi.empty()),
                targets=targets,
                filters=filters,
            )
            communes.append((unit, {s.indicator.code: s for g in unit_groups for s in g.indicators}))
    return ProvinceScorecard(card, communes)


def ranking(communes, indicator_code):
    """[(commune, scores)] best first by one indicator; communes with nothing to count last, by name."""
    present = [r for r in communes if r[1][indicator_code].value is not None]
    missing = [r for r in communes if r[1][indicator_code].value is None]
    present.sort(key=lambda r: (-r[1][indicator_code].value, r[0].name))
    return present + missing
