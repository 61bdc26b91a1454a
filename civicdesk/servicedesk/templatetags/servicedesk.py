from django import template

register = template.Library()


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
