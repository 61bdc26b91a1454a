"""The five indicators an initiative is judged on, each a ratio of monthly counters (docs/impact.md)."""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object  # lazy Vietnamese name, lower case, as it sits inside a sentence
    numerator: str  # a CommuneMonthStat counter, or "questions" (hotline tickets filed in the month)
    denominator: str
    scale: float  # 100: points of a rate; 1,000: per 1,000 dossiers
    unit: object  # what a difference is counted in


POINTS = _("điểm")
PER_THOUSAND = _("câu hỏi trên 1.000 hồ sơ")

INDICATORS = {
    i.key: i
    for i in (
        Indicator("on_time", _("tỉ lệ đúng hạn"), "on_time", "finished", 100, POINTS),
        Indicator(
            "supplement", _("tỉ lệ phải bổ sung hồ sơ (sai sót)"), "supplemented", "received", 100, POINTS
        ),
        Indicator("online", _("tỉ lệ nộp trực tuyến"), "online", "received", 100, POINTS),
        Indicator("satisfaction", _("tỉ lệ hài lòng"), "satisfied", "rated", 100, POINTS),
        Indicator(
            "hotline",
            _("số câu hỏi đường dây nóng trên 1.000 hồ sơ"),
            "questions",
            "received",
            1000,
            PER_THOUSAND,
        ),
    )
}


def _choices():
    return [(key, str(i.label).capitalize()) for key, i in INDICATORS.items()]


choices = lazy(_choices, list)
