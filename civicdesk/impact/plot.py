"""The treated-versus-control chart, server-rendered SVG: monthly means, the start marked, labels that stay readable
on a phone (the SVG scales to the screen's width; its font sizes are in its own units, large enough at 360 px)."""

from calendar import monthrange

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 92, 16, 46, 52
TREATED, CONTROL = "#b3261e", "#1f5fa8"


def _bounds(values, scale):
    present = [v for v in values if v is not None]
    if not present:
        return 0.0, 1.0
    lo, hi = min(present), max(present)
    pad = max((hi - lo) * 0.15, 1.0 if scale == 100 else 0.5)
    lo, hi = lo - pad, hi + pad
    if scale == 100:
        lo, hi = max(0.0, lo), min(100.0, hi)
    else:
        lo = max(0.0, lo)
    return lo, hi


def _ticks(lo, hi, count=5):
    raw = (hi - lo) / (count - 1)
    for step in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 500):
        if step >= raw:
            break
    first = int(lo // step + 1) * step
    ticks, value = [], first
    while value <= hi:
        ticks.append(value)
        value += step
    return ticks


def _fmt(value):
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def chart(result, *, treated_label, control_label):
    """The SVG (safe HTML) for a `services.Result` or a saved estimate's dict (`months`, the two series, `start`)."""
    data = result if isinstance(result, dict) else result.as_dict()
    months = data["months"]
    treated, control = data["treated_series"], data["control_series"]
    scale = 1000 if data["indicator"] == "hotline" else 100
    lo, hi = _bounds([*treated, *control], scale)
    n = len(months)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return LEFT + inner_w * (i + 0.5) / n

    def y(v):
        return TOP + inner_h * (1 - (v - lo) / ((hi - lo) or 1))

    title = _("Trung bình hằng tháng: xã được can thiệp và xã so sánh")
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="impact-chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    unit = "%" if scale == 100 else ""
    for tick in _ticks(lo, hi):
        ty = y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 5:.1f}" text-anchor="end" class="axis">{_fmt(tick)}{unit}</text>'
        )
    every = 1 if n <= 8 else 2 if n <= 16 else 3
    for i, month in enumerate(months):
        if i % every == 0 or i == n - 1:
            label = f"{month[5:7]}/{month[2:4]}"
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 28}" text-anchor="middle" class="axis">{label}</text>'
            )
    # The start: inside its month, at its day.
    start = data["start"]
    year, month, day = (int(p) for p in start.split("-"))
    first = f"{start[:7]}-01"
    if first in months:
        index = months.index(first) - 0.5 + (day - 1) / monthrange(year, month)[1]
        sx = LEFT + inner_w * (index + 0.5) / n
        parts.append(
            f'<line x1="{sx:.1f}" x2="{sx:.1f}" y1="{TOP - 6}" y2="{HEIGHT - BOTTOM}" class="start"/>'
        )
        anchor = "start" if sx < WIDTH * 0.6 else "end"
        offset = 6 if anchor == "start" else -6
        parts.append(
            f'<text x="{sx + offset:.1f}" y="{TOP - 14}" text-anchor="{anchor}" class="start-label">'
            f"{escape(_('Bắt đầu'))} {day:02d}/{month:02d}/{year}</text>"
        )
    for values, color, dash in ((control, CONTROL, ' stroke-dasharray="7 5"'), (treated, TREATED, "")):
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="3"{dash}/>')
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{color}"/>')
    parts.append("</svg>")
    legend = (
        '<ul class="impact-legend">'
        f'<li><span class="impact-swatch treated"></span>{escape(treated_label)}</li>'
        f'<li><span class="impact-swatch control"></span>{escape(control_label)}</li>'
        "</ul>"
    )
    return mark_safe("".join(parts) + legend)
