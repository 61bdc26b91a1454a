"""Did an initiative change an indicator? Difference-in-differences against matched untreated communes (numpy).

Plain on purpose, so that a province's statistician can redo it by hand (docs/impact.md states it in words):

1. Each commune's indicator over a window of whole months is a ratio of sums (Σ numerator ÷ Σ denominator),
   e.g. dossiers on time ÷ dossiers finished, so a month with few dossiers weighs little.
2. Controls: for each treated commune, the `k` nearest untreated communes of the province (with replacement) on
   three standardised pre-period features: the level of the indicator (shrunk toward the province's mean by its
   chance noise, `shrink`), its monthly trend (least-squares slope of the monthly values) and the dossier volume
   (log of dossiers received per month).
3. Estimate = treated (post − pre) − control (post − pre), both weighted by dossiers: a treated commune weighs its
   dossiers received in the two windows; each of its k controls stands in for it with 1/k of that weight.
4. Uncertainty: 95 % percentile interval of `resamples` bootstrap replicates that resample treated communes and
   control communes (clusters: a commune's months move together), with a fixed seed; the matching is held fixed.
5. Pre-trend check (placebo): the same estimate, same controls, with the pre-period split in two (first half
   "before", second half "after"): an interval that excludes 0 means the groups were already drifting apart.

Nothing here reads the database or the clock: `Panel` holds the numbers, `estimate` returns `Did`.
"""

from dataclasses import dataclass

import numpy as np

DEFAULT_K = 3
RESAMPLES = 999
SEED = 19


class NotEstimable(ValueError):
    """The data cannot give an estimate (no treated commune with data, no control, no month)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Panel:
    """One indicator for a province's communes by month: `num` ÷ `den` (e.g. on time ÷ finished), times `scale`
    (100: points of a rate; 1,000: per 1,000 dossiers); `volume` = dossiers received (size and weights)."""

    codes: np.ndarray  # (n,) commune codes
    num: np.ndarray  # (n, m)
    den: np.ndarray  # (n, m)
    volume: np.ndarray  # (n, m)
    scale: float = 100.0


@dataclass
class Did:
    estimate: float
    low: float
    high: float
    n_treated: int
    n_control: int
    treated_rows: np.ndarray  # rows of the panel used as treated
    control_rows: np.ndarray  # rows used as controls (weight > 0)
    control_weights: np.ndarray  # their weights (dossiers of the treated they stand in for)
    treated_weights: np.ndarray
    matches: np.ndarray  # (n_treated, k) panel rows of each treated commune's controls
    dropped: np.ndarray  # treated rows without data in one of the windows
    treated_series: np.ndarray  # (m,) weighted monthly means over every month of the panel (nan: no data)
    control_series: np.ndarray

    @property
    def covers_zero(self):
        return self.low <= 0 <= self.high


def window_rate(num, den, cols):
    """Σ num ÷ Σ den over the months `cols`, per commune (nan where there is no denominator)."""
    n, d = num[:, cols].sum(axis=1), den[:, cols].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)


def _slope(num, den, cols):
    """Least-squares monthly slope of the monthly ratios over `cols` (months without data left out; 0 if < 2)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(den[:, cols] > 0, num[:, cols] / np.where(den[:, cols] > 0, den[:, cols], 1), np.nan)
    x = np.arange(len(cols), dtype=float)
    ok = ~np.isnan(y)
    count = ok.sum(axis=1)
    xm = np.where(ok, x, 0).sum(axis=1) / np.maximum(count, 1)
    ym = np.where(ok, y, 0).sum(axis=1) / np.maximum(count, 1)
    dx = np.where(ok, x - xm[:, None], 0)
    dy = np.where(ok, y - ym[:, None], 0)
    sxx = (dx * dx).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((count >= 2) & (sxx > 0), (dx * dy).sum(axis=1) / np.where(sxx > 0, sxx, 1), 0.0)


def shrink(level, den, scale):
    """Each commune's level pulled toward the province's mean by how much of it may be chance: a commune with 15
    dossiers a month moves further than one with 300 (empirical Bayes, binomial or Poisson noise). Matching on the
    raw level would pick controls that were merely unlucky in the pre-period, and their rebound would pass for
    (less) effect."""
    ok = ~np.isnan(level)
    if ok.sum() < 3:
        return level
    mean = np.average(level[ok], weights=den[ok])
    noise = np.where(ok, (level * (1 - level) if scale == 100 else level) / np.maximum(den, 1), 0)
    spread = max(float(np.var(level[ok]) - noise[ok].mean()), 1e-9)
    return np.where(ok, mean + (level - mean) * spread / (spread + noise), level)


def features(panel, pre):
    """(n, 3): pre-period level (shrunk, see `shrink`), monthly trend, log dossiers per month."""
    level = shrink(window_rate(panel.num, panel.den, pre), panel.den[:, pre].sum(axis=1), panel.scale)
    trend = _slope(panel.num, panel.den, pre)
    size = np.log1p(panel.volume[:, pre].sum(axis=1) / max(len(pre), 1))
    return np.column_stack([level, trend, size])


def match(feats, treated, pool, k):
    """(len(treated), k) rows of `pool` nearest to each treated row, on features standardised over both groups."""
    both = feats[np.concatenate([treated, pool])]
    sd = both.std(axis=0)
    z = (feats - both.mean(axis=0)) / np.where(sd > 0, sd, 1)
    dist = ((z[treated][:, None, :] - z[pool][None, :, :]) ** 2).sum(axis=2)
    # Ties (identical communes) go to the lower row, i.e. the lower commune code: the same answer every time.
    nearest = np.argsort(dist, axis=1, kind="stable")[:, :k]
    return pool[nearest]


def _weighted_series(panel, rows, weights):
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(
            panel.den[rows] > 0, panel.num[rows] / np.where(panel.den[rows] > 0, panel.den[rows], 1), 0
        )
    has = (panel.den[rows] > 0) * weights[:, None]
    total = has.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            np.where(total > 0, (rate * has).sum(axis=0) / np.where(total > 0, total, 1), np.nan)
            * panel.scale
        )


def estimate(panel, treated_mask, pre, post, *, k=DEFAULT_K, resamples=RESAMPLES, seed=SEED, match_on=None):
    """The difference-in-differences of the module doc; `pre` and `post` are month columns of the panel, and the
    controls are matched on the months `match_on` (default: `pre`)."""
    pre, post = np.asarray(pre, dtype=int), np.asarray(post, dtype=int)
    if not len(pre) or not len(post):
        raise NotEstimable("no_months", "no whole month before or after the start")
    before = window_rate(panel.num, panel.den, pre)
    after = window_rate(panel.num, panel.den, post)
    usable = ~np.isnan(before) & ~np.isnan(after)
    treated_mask = np.asarray(treated_mask, dtype=bool)
    treated = np.flatnonzero(treated_mask & usable)
    dropped = np.flatnonzero(treated_mask & ~usable)
    pool = np.flatnonzero(~treated_mask & usable)
    if not len(treated):
        raise NotEstimable("no_treated", "no treated commune has data before and after the start")
    if not len(pool):
        raise NotEstimable("no_controls", "no untreated commune has data before and after the start")
    k = min(k, len(pool))
    matches = match(
        features(panel, pre if match_on is None else np.asarray(match_on, dtype=int)), treated, pool, k
    )
    delta = (after - before) * panel.scale
    w_treated = panel.volume[treated][:, np.concatenate([pre, post])].sum(axis=1).astype(float)
    w_treated = np.where(w_treated > 0, w_treated, 1.0)
    weights = np.zeros(len(panel.codes))
    np.add.at(weights, matches.ravel(), np.repeat(w_treated / k, k))
    controls = np.flatnonzero(weights > 0)
    w_control = weights[controls]
    d_t, d_c = delta[treated], delta[controls]
    point = w_treated @ d_t / w_treated.sum() - w_control @ d_c / w_control.sum()

    rng = np.random.default_rng(seed)
    draws_t = rng.multinomial(len(treated), np.full(len(treated), 1 / len(treated)), size=resamples)
    draws_c = rng.multinomial(len(controls), np.full(len(controls), 1 / len(controls)), size=resamples)
    bt, bc = draws_t * w_treated, draws_c * w_control
    boot = (bt @ d_t) / bt.sum(axis=1) - (bc @ d_c) / bc.sum(axis=1)
    low, high = np.percentile(boot, [2.5, 97.5])
    return Did(
        estimate=float(point),
        low=float(low),
        high=float(high),
        n_treated=len(treated),
        n_control=len(controls),
        treated_rows=treated,
        control_rows=controls,
        control_weights=w_control,
        treated_weights=w_treated,
        matches=matches,
        dropped=dropped,
        treated_series=_weighted_series(panel, treated, w_treated),
        control_series=_weighted_series(panel, controls, w_control),
    )


def placebo(panel, treated_mask, pre, *, k=DEFAULT_K, resamples=RESAMPLES, seed=SEED):
    """The pre-trend check: the same comparison (the same controls, matched on the whole pre-period) with the
    pre-period's first half as "before" and its second half as "after". None when the pre-period has fewer than
    two months or the data give no estimate. Matching on the trend makes this check lenient: it catches groups
    drifting apart, not every difference."""
    pre = list(pre)
    if len(pre) < 2:
        return None
    half = len(pre) // 2
    try:
        return estimate(
            panel, treated_mask, pre[:half], pre[half:], k=k, resamples=resamples, seed=seed, match_on=pre
        )
    except NotEstimable:
        return None
