from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits=0):
    """0.4567 → "46 %" (in the reader's number format); "—" for no value."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, decimal_pos=int(digits))} %"


@register.filter
def decimal(value, digits=1):
    if value is None:
        return "—"
    return number_format(value, decimal_pos=int(digits))


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0
