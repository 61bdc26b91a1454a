"""Template filters of the assistant: a cited record's kind in the reader's language."""

from django import template

from ..respond import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(kind):
    """ "procedure" → "Thủ tục" (or "Procedure" for an English reader); unknown kinds as they are."""
    return _kind_label(kind)
