from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def workdays(days):
    """A processing limit in words: 0 reads "trong ngày" (settled the same working day), 3 "3 ngày làm việc".

    None (no verified limit) gives an empty string: each page says in its own words what happens then.
    """
    if days is None or days == "":
        return ""
    days = int(days)
    if days == 0:
        return gettext("trong ngày")
    return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", days) % {"n": days}


@register.filter
def pct(value):
    """A fraction as a Vietnamese percentage ("85,3%"), or an em dash when there is no denominator."""
    if value is None or value == "":
        return "—"
    return f"{value * 100:.1f}%".replace(".", ",")


@register.filter
def num(value, digits=1):
    if value is None or value == "":
        return "—"
    return f"{value:.{int(digits)}f}".replace(".", ",")


@register.filter
def mask(value, keep=4):
    """Hide all but the last `keep` characters (for CCCD and phone on printouts)."""
    value = str(value or "")
    keep = int(keep)
    return "•" * max(0, len(value) - keep) + value[-keep:] if value else "—"


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def sc_colour(value):
    """The scorecard map's colour of a rate (the same classes as the map, for the ranking's swatches)."""
    from ..scorecard_charts import colour_for

    return colour_for(None if value == "" else value)
