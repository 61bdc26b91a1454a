"""The shift's check-in QR code, as inline SVG (segno; no outside service)."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(url, scale=4):
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, omitsize=False))
