"""The auto-roster's reasons (codes with parameters, stored as data: `roster.GAP_CODES`) in the reader's language,
at render time."""

from django.utils.translation import gettext as _

from .models import Part, Skill

WEEKDAYS = (_("thứ Hai"), _("thứ Ba"), _("thứ Tư"), _("thứ Năm"), _("thứ Sáu"), _("thứ Bảy"), _("Chủ nhật"))


def _skill(code):
    return str(Skill(code).label) if code in Skill.values else str(code)


def _week(value):
    """ISO week "2026-W10" as "tuần 10/2026"."""
    year, _sep, number = str(value).partition("-W")
    return _("tuần %(n)s/%(y)s") % {"n": number.lstrip("0") or number, "y": year} if number else str(value)


def reason_text(code, params):
    """One reason a shift is left short, e.g. ("skill_missing", {"skill": "vneid"}) → a sentence."""
    p = params or {}
    count = p.get("count", "?")
    if code == "demand_above_maximum":
        return _("Dự báo cần %(demand)s người, nhiều hơn số tối đa của ca (%(maximum)s).") % p
    if code == "nobody_available":
        weekday = p.get("weekday")
        day = WEEKDAYS[weekday] if isinstance(weekday, int) and 0 <= weekday <= 6 else str(weekday)
        part = Part(p["part"]).label if p.get("part") in Part.values else p.get("part", "")
        return _("Không tình nguyện viên nào rảnh %(part)s %(day)s.") % {
            "part": str(part).lower(),
            "day": day,
        }
    if code == "day_off":
        return _("%(n)s người có thể đến nhưng nghỉ ngày này.") % {"n": count}
    if code == "forbidden":
        return _("%(n)s người đã báo không đến hoặc đã rút khỏi ca này.") % {"n": count}
    if code == "few_available":
        return _("Chỉ %(n)s người có thể trực ca này.") % {"n": count}
    if code == "at_weekly_limit":
        return _("%(n)s người rảnh ca này đã đủ số ca tối đa của %(week)s.") % {
            "n": count,
            "week": _week(p.get("week")),
        }
    if code == "not_chosen":
        return _("%(n)s người còn có thể đến nhưng không được xếp.") % {"n": count}
    if code == "skill_missing":
        return _("Không ai có thể trực ca này có kỹ năng “%(skill)s”.") % {"skill": _skill(p.get("skill"))}
    if code == "skill_at_weekly_limit":
        return _("%(n)s người có kỹ năng “%(skill)s” đã đủ số ca tối đa của %(week)s.") % {
            "n": count, "skill": _skill(p.get("skill")), "week": _week(p.get("week")),
        }  # fmt: skip
    if code == "skill_not_chosen":
        return _("%(n)s người có kỹ năng “%(skill)s” còn có thể đến nhưng không được xếp.") % {
            "n": count, "skill": _skill(p.get("skill")),
        }  # fmt: skip
    return _("Không xếp đủ người (%(code)s).") % {"code": code}


def lock_text(code, params):
    """Why a coordinator's lock was not kept by the auto-roster (`roster.LOCK_CODES`)."""
    p = params or {}
    if code == "forbidden":
        return _("Người này đã báo không đến hoặc đã rút khỏi ca.")
    if code == "not_available":
        return _("Ngoài các buổi người này đăng ký rảnh.")
    if code == "day_off":
        return _("Người này nghỉ ngày %(date)s.") % {"date": p.get("date", "")}
    if code == "weekly_limit":
        return _("Quá %(limit)s ca trong %(week)s của người này.") % {
            "limit": p.get("limit", "?"),
            "week": _week(p.get("week")),
        }
    if code == "slot_maximum":
        return _("Ca đã đủ số tối đa (%(maximum)s).") % {"maximum": p.get("maximum", "?")}
    return _("Không giữ được (%(code)s).") % {"code": code}
