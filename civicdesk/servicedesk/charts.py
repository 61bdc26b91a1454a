"""Small server-rendered SVG charts for the KPI dashboard (no JavaScript, no CDN; readable when printed)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLORS = {
    "on_time_rate": "#1b7f4c",
    "online_rate": "#1f5fa8",
    "satisfaction_rate": "#b7791f",
    "supplement_rate": "#c0392b",
    "assisted_online_share": "#6b46c1",
}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 44, 12, 16, 34


def _x(i, n):
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * (i + 0.5) / n if n else 0)


def rate_lines(series, keys, labels, title):
    """A line chart of rates (0–100 %) by month: series = [(month, rates)], keys in COLORS."""
    n = len(series)
    inner_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="sd-chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for pct in (0, 25, 50, 75, 100):
        y = TOP + inner_h * (1 - pct / 100)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{pct}%</text>')
    for i, (month, _rates) in enumerate(series):
        parts.append(
            f'<text x="{_x(i, n):.1f}" y="{HEIGHT - 12}" text-anchor="middle" class="axis">{month:%m/%Y}</text>'
        )
    for key in keys:
        points = [
            (_x(i, n), TOP + inner_h * (1 - rates[key]))
            for i, (_m, rates) in enumerate(series)
            if rates.get(key) is not None
        ]
        color = COLORS.get(key, "#333")
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="sd-swatch" style="background:{COLORS.get(k, "#333")}"></span>{escape(labels[k])}</li>'
        for k in keys
    )
    return mark_safe("".join(parts) + f'<ul class="sd-legend">{legend}</ul>')


def volume_bars(series, title, online_label, other_label):
    """Stacked bars: dossiers received per month, online (incl. assisted) vs other channels."""
    n = len(series)
    inner_h = HEIGHT - TOP - BOTTOM
    peak = max([rates["received"] for _m, rates in series] + [1])
    bar_w = max(6, (WIDTH - LEFT - RIGHT) / max(n, 1) * 0.6)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="sd-chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" class="axis">{peak:,}</text>'.replace(
            ",", "."
        ),
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + inner_h}" y2="{TOP + inner_h}" class="grid"/>',
    ]
    for i, (month, rates) in enumerate(series):
        received = rates["received"]
        online = round(received * (rates["online_rate"] or 0))
        x = _x(i, n) - bar_w / 2
        h_total = inner_h * received / peak
        h_online = inner_h * online / peak
        base = TOP + inner_h
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h_total:.1f}" width="{bar_w:.1f}" height="{h_total - h_online:.1f}" '
            f'fill="#9bb7a8"><title>{month:%m/%Y}: {received}</title></rect>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h_online:.1f}" width="{bar_w:.1f}" height="{h_online:.1f}" '
            f'fill="{COLORS["online_rate"]}"><title>{month:%m/%Y}: {online}</title></rect>'
        )
        parts.append(
            f'<text x="{_x(i, n):.1f}" y="{HEIGHT - 12}" text-anchor="middle" class="axis">{month:%m/%Y}</text>'
        )
    parts.append("</svg>")
    legend = (
        f'<li><span class="sd-swatch" style="background:{COLORS["online_rate"]}"></span>{escape(online_label)}</li>'
        f'<li><span class="sd-swatch" style="background:#9bb7a8"></span>{escape(other_label)}</li>'
    )
    return mark_safe("".join(parts) + f'<ul class="sd-legend">{legend}</ul>')
