"""The matching engine's messages (`community.matching.MESSAGE_CODES`) said in the reader's language.

The engine writes codes with JSON params; they are stored as they are (an accompaniment's `match_reasons`) and turned
into sentences here, when shown, so a Vietnamese and an English reader each read their own. Exclusion codes come two
ways: one person's (`Exclusion.params`), or counted over the commune's speakers (`propose`'s counts, shown as
`{"code": …, "params": {"count": n}}`); the counted form is recognised by its single "count" param.
"""

import json
import logging
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicdesk.kernel.languages import language_name

log = logging.getLogger(__name__)


def _km(value):
    return number_format(value, decimal_pos=1)


def _day(iso_day):
    return date_format(date.fromisoformat(iso_day), "d/m/Y")


def _slot(slot):
    return {"am": _("buổi sáng"), "pm": _("buổi chiều")}.get(slot, slot)


def _prepared(params):
    """Params as they appear in a sentence: language names, km with the local decimal mark, dates d/m/Y."""
    out = dict(params)
    if "language" in out:
        out["language"] = language_name(out["language"])
    for key in ("km", "max_km"):
        if key in out:
            out[key] = _km(out[key])
    if "date" in out:
        out["date"] = _day(out["date"])
    if "slot" in out:
        out["slot"] = _slot(out["slot"])
    return out


# One person's reasons and exclusions, and a plan's unserved requests: one sentence each.
_SENTENCES = {
    # Why a person is proposed.
    "speaks": gettext_lazy("Nói tiếng %(language)s mức %(level)s/5"),
    "level_not_assessed": gettext_lazy(
        "Nói tiếng %(language)s, chưa đánh giá trình độ (tạm tính mức %(level)s/5)"
    ),
    "dialect_match": gettext_lazy("Đúng phương ngữ %(dialect)s"),
    "certified": gettext_lazy("Có chứng chỉ tiếng dân tộc thiểu số"),
    "distance": gettext_lazy("Cách nơi hẹn %(km)s km"),
    "distance_unknown": gettext_lazy("Chưa rõ khoảng cách (thiếu tọa độ nơi ở hoặc nơi hẹn)"),
    "workload": gettext_lazy("Tuần này đã có %(count)s chuyến (tối đa %(capacity)s)"),
    "slot": gettext_lazy("Rảnh %(slot)s ngày %(date)s"),
    # Why a person cannot go.
    "no_language": gettext_lazy("Không nói tiếng %(language)s"),
    "level_too_low": gettext_lazy("Tiếng %(language)s mới ở mức %(level)s/5, cần mức %(min_level)s"),
    "declined": gettext_lazy("Đã từ chối chuyến này"),
    "too_far": gettext_lazy("Cách nơi hẹn %(km)s km, xa hơn giới hạn %(max_km)s km"),
    "unavailable": gettext_lazy("Nghỉ hoặc bận cả ngày %(date)s"),
    "busy": gettext_lazy("Đã có chuyến khác vào buổi đề nghị ngày %(date)s"),
    "off_slot": gettext_lazy("Không đi được vào buổi đề nghị ngày %(date)s"),
    "day_full": gettext_lazy("Ngày %(date)s đã đủ %(booked)s/%(capacity)s chuyến"),
    "week_full": gettext_lazy("Tuần này đã đủ %(booked)s/%(capacity)s chuyến"),
    # Why a request of the week's plan has nobody.
    "unserved_no_speaker": gettext_lazy(
        "Không ai nói tiếng %(language)s (từ mức %(min_level)s) trong phạm vi %(max_km)s km"
    ),
    "unserved_busy": gettext_lazy(
        "Những người nói tiếng %(language)s trong phạm vi đều bận, nghỉ hoặc đã từ chối ngày %(date)s"
    ),
    "unserved_capacity": gettext_lazy(
        "%(candidates)s người nói tiếng %(language)s đi được, nhưng đã được xếp cho đề nghị khác trong tuần"
    ),
}


def _dialect_differs(p):
    if p.get("dialect"):
        return _("Nói phương ngữ %(dialect)s (đề nghị: %(requested)s)") % p
    return _("Chưa ghi phương ngữ (đề nghị: %(requested)s)") % p


_COMPOSED = {"dialect_differs": _dialect_differs}

# The exclusions counted over a commune's speakers ("3 người …"). Vietnamese has one form; English has two.
_COUNTED = {
    "no_language": lambda n: ngettext(
        "%(count)s người không nói ngôn ngữ này", "%(count)s người không nói ngôn ngữ này", n
    ),
    "level_too_low": lambda n: ngettext(
        "%(count)s người nói nhưng chưa đủ mức yêu cầu", "%(count)s người nói nhưng chưa đủ mức yêu cầu", n
    ),
    "declined": lambda n: ngettext("%(count)s người đã từ chối", "%(count)s người đã từ chối", n),
    "too_far": lambda n: ngettext("%(count)s người ở quá xa", "%(count)s người ở quá xa", n),
    "unavailable": lambda n: ngettext(
        "%(count)s người nghỉ hoặc bận cả ngày", "%(count)s người nghỉ hoặc bận cả ngày", n
    ),
    "busy": lambda n: ngettext(
        "%(count)s người đã có chuyến khác vào buổi này", "%(count)s người đã có chuyến khác vào buổi này", n
    ),
    "off_slot": lambda n: ngettext(
        "%(count)s người không đi vào buổi này", "%(count)s người không đi vào buổi này", n
    ),
    "day_full": lambda n: ngettext(
        "%(count)s người đã đủ số chuyến trong ngày", "%(count)s người đã đủ số chuyến trong ngày", n
    ),
    "week_full": lambda n: ngettext(
        "%(count)s người đã đủ số chuyến trong tuần", "%(count)s người đã đủ số chuyến trong tuần", n
    ),
}

CODES = frozenset(_SENTENCES) | frozenset(_COMPOSED)
COUNTED_CODES = frozenset(_COUNTED)


def render(msg):
    """`msg` (`{"code", "params"}`) as a sentence in the active language; a plain string is returned as it is."""
    if isinstance(msg, str):
        return msg
    code, params = msg.get("code"), dict(msg.get("params") or {})
    try:
        if code in _COUNTED and set(params) == {"count"}:
            return _COUNTED[code](params["count"]) % params
        if code in _COMPOSED:
            return _COMPOSED[code](_prepared(params))
        if code in _SENTENCES:
            return str(_SENTENCES[code]) % _prepared(params)
    except (KeyError, TypeError, ValueError):
        log.warning("Matching message %r with unexpected params %r", code, params)
    else:
        log.warning("Unknown matching message code %r", code)
    # A code or params this version does not know (stored by another one): show what it holds, never break a page.
    return f"{code} {json.dumps(params, ensure_ascii=False, default=str)}"
