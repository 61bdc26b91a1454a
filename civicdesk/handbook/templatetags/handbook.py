"""Template filters of the handbook: Markdown rendered then sanitised, plain-text diffs, status badges."""

import markdown
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


@register.filter
def md(text):
    """Markdown → HTML, then sanitised with nh3: only plain formatting tags and links survive."""
    html = markdown.markdown(str(text or ""), extensions=["tables", "sane_lists"], output_format="html")
    # Headings inside a section start at h3: the page uses h1/h2 for its own structure.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return mark_safe(
        nh3.clean(
            html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer"
        )
    )


STATUS_BADGES = {"published": "badge-ok", "in_review": "badge-warn", "draft": "", "archived": "badge-bad"}


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "")
