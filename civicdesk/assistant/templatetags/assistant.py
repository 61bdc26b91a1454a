"""Template tags of the assistant: a cited record's kind in the reader's language; what the assistant answers."""

from django import template

from ..respond import SCOPE_HINT
from ..respond import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(kind):
    """ "procedure" → "Thủ tục" (or "Procedure" for an English reader); unknown kinds as they are."""
    return _kind_label(kind)


@register.simple_tag
def scope_hint():
    """What the assistant answers (`respond.SCOPE_HINT`): one sentence for the page and the refusal's text."""
    return SCOPE_HINT
