"""Generated panels with a known planted effect, for the tests and the benchmark (never the demo or a page)."""

import numpy as np

from .method import Panel


def panel(n=120, months=12, start=6, treated=20, effect=0.08, seed=1):
    """(Panel, treated mask): `n` communes × `months` months of an on-time-like rate (finished dossiers as the
    denominator), each commune with its own level, trend and size; from month `start` on, the first `treated`
    communes of a random order gain `effect` (a fraction: 0.08 = 8 points)."""
    rng = np.random.default_rng(seed)
    size = rng.uniform(15, 80, n)
    level = rng.uniform(0.55, 0.8, n)
    trend = rng.normal(0.004, 0.004, n)
    mask = np.zeros(n, dtype=bool)
    mask[rng.permutation(n)[:treated]] = True
    t = np.arange(months)
    rate = level[:, None] + trend[:, None] * t[None, :]
    rate = rate + effect * (mask[:, None] & (t[None, :] >= start))
    den = rng.poisson(size[:, None] * np.ones(months))
    num = rng.binomial(den, np.clip(rate, 0, 1))
    codes = np.arange(10_000, 10_000 + n)
    return Panel(codes=codes, num=num.astype(float), den=den.astype(float), volume=den.astype(float)), mask
