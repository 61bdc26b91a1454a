"""Server-rendered SVG for the Decision 766 scorecard: one bar per indicator and a map of the communes as points.

No JavaScript and no tile server: the map is the communes' coordinates (geo app) projected onto a plain SVG, so it
works offline and prints. Text is escaped here because the SVG is marked safe as a whole.
"""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Display classes of a rate (0–1), low to high: a colour-blind-safe diverging palette (ColorBrewer RdYlBu). These are
# bands for reading the map, not thresholds of the decision.
BINS = (
    (0.5, "#d7191c", "< 50%"),
    (0.7, "#fdae61", "50–70%"),
    (0.85, "#ffffbf", "70–85%"),
    (0.95, "#abd9e9", "85–95%"),
    (math.inf, "#2c7bb6", "≥ 95%"),
)
NO_DATA = "#bdbdbd"


def colour_for(value):
    """The fill of a point for a rate 0–1 (grey when there is nothing to count)."""
    if value is None:
        return NO_DATA
    for upper, colour, _label in BINS:
        if value < upper:
            return colour
    return BINS[-1][1]


def indicator_bar(score, *, now_label, before_label):
    """This period's rate as a bar, the previous period's as a thin bar under it, the target as a dashed line.

    The SVG holds no text (the figures sit beside it in HTML): it stretches to its card's width at any size without
    shrinking a label into unreadability. The tooltip repeats the figures.
    """
    parts = [
        '<svg viewBox="0 0 100 30" preserveAspectRatio="none" class="sc-bar" role="img" '
        f'aria-label="{escape(score.indicator.name)}: {escape(now_label)} {escape(_fmt(score.percent))}, '
        f'{escape(before_label)} {escape(_fmt(score.previous_percent))}">',
        '<rect x="0" y="2" width="100" height="16" class="sc-track"/>',
        '<rect x="0" y="22" width="100" height="6" class="sc-track"/>',
    ]
    if score.value is not None:
        parts.append(
            f'<rect x="0" y="2" width="{100 * min(score.value, 1):.2f}" height="16" class="sc-now"/>'
        )
    if score.previous is not None:
        parts.append(
            f'<rect x="0" y="22" width="{100 * min(score.previous, 1):.2f}" height="6" class="sc-before"/>'
        )
    if score.target is not None:
        x = min(float(score.target), 100)
        parts.append(
            f'<line x1="{x:.2f}" x2="{x:.2f}" y1="0" y2="30" class="sc-target" vector-effect="non-scaling-stroke"/>'
        )
    target = f" · {_('mục tiêu')} {_fmt(float(score.target))}" if score.target is not None else ""
    parts.append(
        f"<title>{escape(now_label)}: {escape(_fmt(score.percent))} · "
        f"{escape(before_label)}: {escape(_fmt(score.previous_percent))}{escape(target)}</title></svg>"
    )
    return mark_safe("".join(parts))


def _fmt(percent):
    """A percent the Vietnamese way ("87,5%"), an em dash when there is nothing to count."""
    return "—" if percent is None else f"{percent:.1f}%".replace(".", ",")


MAP_W, MAP_H, MAP_PAD = 640, 560, 24


def _projection(points):
    """Equirectangular, longitudes shrunk by cos(mean latitude), fitted into the map's box (north up)."""
    lats = [lat for lat, _lon in points]
    lons = [lon for _lat, lon in points]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    x0, x1 = min(lons) * k, max(lons) * k
    y0, y1 = min(lats), max(lats)
    scale = min((MAP_W - 2 * MAP_PAD) / ((x1 - x0) or 1), (MAP_H - 2 * MAP_PAD) / ((y1 - y0) or 1))
    width, height = (x1 - x0) * scale, (y1 - y0) * scale
    ox, oy = (MAP_W - width) / 2, (MAP_H - height) / 2

    def project(lat, lon):
        return ox + (lon * k - x0) * scale, oy + (y1 - lat) * scale

    return project


def province_map(entries, *, title, selected=None):
    """A map of the communes as points coloured by one indicator.

    `entries`: [(commune, score, url)] where score is the commune's IndicatorScore for the chosen indicator.
    Communes without coordinates are left off the map (the page lists them). Each point links to its scorecard
    and carries a tooltip (name, value, what it is computed from).
    """
    placed = [(c, s, url) for c, s, url in entries if c.lat is not None and c.lon is not None]
    parts = [
        f'<svg viewBox="0 0 {MAP_W} {MAP_H}" class="sc-map" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if placed:
        project = _projection([(c.lat, c.lon) for c, _s, _u in placed])
        # Grey points first, so coloured ones stay on top where they overlap.
        for commune, score, url in sorted(placed, key=lambda e: e[1].value is not None):
            x, y = project(commune.lat, commune.lon)
            value = _fmt(score.percent)
            detail = (
                f" ({score.numerator}/{score.denominator})"
                if score.value is not None
                else f" — {_('chưa có dữ liệu')}"
            )
            radius = 11 if selected is not None and commune.pk == selected else 7
            ring = " sc-selected" if selected is not None and commune.pk == selected else ""
            parts.append(
                f'<a href="{escape(url)}" class="sc-point{ring}" data-code="{commune.code}" '
                f'data-fill="{colour_for(score.value)}">'
                f"<title>{escape(commune.name)}: {escape(value)}{escape(detail)}</title>"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour_for(score.value)}"/></a>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def legend():
    """[(colour, label)] of the map's classes, the grey 'no data' last."""
    return [(colour, label) for _upper, colour, label in BINS] + [(NO_DATA, _("Chưa có dữ liệu"))]
