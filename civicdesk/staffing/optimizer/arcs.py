"""Candidate arcs: which (person, need) pairs are worth offering to the solver, and their values.

An arc's value is priority − distance_weight · km. Arcs with value ≤ 0 are never generated for free people (the
package docstring proves that loses nothing); must_send people keep every arc of their fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .inputs import message
from .model import EARTH_RADIUS_KM, _Model, haversine_km

# Staff rows per distance block: rows × needs-in-window float64 matrices stay around a few MB.
_CHUNK_ROWS = 512
_KM_PER_DEGREE_LAT = EARTH_RADIUS_KM * math.pi / 180.0


@dataclass
class _Arcs:
    """Parallel arrays, one entry per staff→need arc."""

    staff: np.ndarray  # int32 staff index
    need: np.ndarray  # int32 need index
    value: np.ndarray  # float64 value = priority − w·km

    def __len__(self) -> int:
        return int(self.staff.size)


def _join(first: _Arcs, second: _Arcs) -> _Arcs:
    """``first``'s arcs followed by ``second``'s."""
    return _Arcs(
        np.concatenate([first.staff, second.staff]),
        np.concatenate([first.need, second.need]),
        np.concatenate([first.value, second.value]),
    )


def _dense_blocks(m: _Model, staff_rows: np.ndarray, min_value: float) -> Iterable[tuple]:
    """Yield (staff indices, need indices, value matrix) blocks for the given staff, field by field.

    Only needs that are still open are considered. Needs and staff are sorted by latitude so that, for a block
    of staff, only needs inside a latitude band where ``value > min_value`` is possible are computed
    (great-circle km ≥ |Δlat| · 111.2): an exact cut that skips most of the 12,000 × 3,321 distance matrix
    at national scale. ``min_value = -inf`` disables the cut (must_send people keep every arc).
    """
    inp = m.inp
    w = float(inp.distance_weight)
    active = (m.need_units > 0) & (m.commune_capacity[m.need_commune] > 0)
    open_needs_by_field: dict[str, list[int]] = {}
    for i in np.flatnonzero(active):
        open_needs_by_field.setdefault(m.need_field[i], []).append(int(i))
    staff_fields = [inp.staff[i].fields for i in staff_rows]
    for fld in sorted(open_needs_by_field):
        need_ids = np.array(open_needs_by_field[fld], dtype=np.int64)
        staff_ids = np.array(
            [s for s, fs in zip(staff_rows, staff_fields, strict=True) if fld in fs], dtype=np.int64
        )
        if staff_ids.size == 0:
            continue
        need_lat = m.commune_lat[m.need_commune[need_ids]]
        order = np.argsort(need_lat, kind="stable")
        need_ids, need_lat = need_ids[order], need_lat[order]
        need_lon = m.commune_lon[m.need_commune[need_ids]]
        need_priority = m.need_priority[need_ids]
        staff_ids = staff_ids[np.argsort(m.staff_lat[staff_ids], kind="stable")]
        band = math.inf  # degrees of latitude beyond which no need can be worth more than min_value
        if w > 0 and math.isfinite(min_value):
            band = max(float(need_priority.max()) - min_value, 0.0) / w / _KM_PER_DEGREE_LAT
        for start in range(0, staff_ids.size, _CHUNK_ROWS):
            block = staff_ids[start : start + _CHUNK_ROWS]
            block_lat = m.staff_lat[block]
            lo, hi = 0, need_lat.size
            if math.isfinite(band):
                lo = int(np.searchsorted(need_lat, block_lat[0] - band, side="left"))
                hi = int(np.searchsorted(need_lat, block_lat[-1] + band, side="right"))
            if hi <= lo:
                continue
            km = haversine_km(
                block_lat[:, None], m.staff_lon[block][:, None], need_lat[None, lo:hi], need_lon[None, lo:hi]
            )
            yield block, need_ids[lo:hi], need_priority[None, lo:hi] - w * km


def _concat(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> _Arcs:
    """One _Arcs from (staff, need, value) array triples."""
    if not parts:
        return _Arcs(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    return _Arcs(
        np.concatenate([p[0] for p in parts]).astype(np.int32),
        np.concatenate([p[1] for p in parts]).astype(np.int32),
        np.concatenate([p[2] for p in parts]).astype(np.float64),
    )


def _drop_forbidden(m: _Model, arcs: _Arcs) -> _Arcs:
    if m.forbidden_keys.size == 0 or len(arcs) == 0:
        return arcs
    keys = arcs.staff.astype(np.int64) * len(m.inp.communes) + m.need_commune[arcs.need]
    keep = ~np.isin(keys, m.forbidden_keys)
    return _Arcs(arcs.staff[keep], arcs.need[keep], arcs.value[keep])


def _arcs_for(m: _Model, rows: np.ndarray, keep_all: bool) -> _Arcs:
    """Every arc of ``rows`` (keep_all, for must_send people) or every arc with value > 0."""
    parts = []
    for block, need_ids, values in _dense_blocks(m, rows, -math.inf if keep_all else 0.0):
        r, c = np.nonzero(np.ones(values.shape, dtype=bool) if keep_all else values > 0)
        if r.size:
            parts.append((block[r], need_ids[c], values[r, c]))
    return _drop_forbidden(m, _concat(parts))


def _estimate_arcs(m: _Model, rows: np.ndarray) -> float:
    """Expected number of positive arcs of ``rows`` from a fixed sample of 1,000 people (~50 ms nationally)."""
    if rows.size <= 2000:
        sample = rows
    else:
        sample = np.sort(np.random.default_rng(0).choice(rows, 1000, replace=False))
    count = sum(int((values > 0).sum()) for _, _, values in _dense_blocks(m, sample, 0.0))
    return count * rows.size / max(sample.size, 1)


def _must_send_without_arcs(m: _Model, arcs: _Arcs) -> list[dict]:
    """A message for each must_send person left with no arc at all (the plan is then infeasible)."""
    have = set(np.unique(arcs.staff).tolist())
    return [
        message("must_send_no_need", staff_id=m.inp.staff[i].staff_id) for i in m.must_send if i not in have
    ]
