"""The estimator alone (numpy, no database): it recovers a planted effect, covers 0 without one, matches the
nearest communes, and gives the same interval every time."""

import numpy as np
import pytest

from civicdesk.impact import method, synthetic

pytestmark = pytest.mark.clock_free


def test_a_planted_effect_of_8_points_is_recovered_within_its_interval():
    panel, treated = synthetic.panel(n=120, months=12, start=6, treated=20, effect=0.08, seed=2)
    did = method.estimate(panel, treated, range(6), range(6, 12))
    assert did.low <= 8 <= did.high
    assert did.low > 0, "the interval must exclude 0"
    assert abs(did.estimate - 8) < 2
    assert did.n_treated == 20 and 20 <= did.n_control <= 60


def test_without_an_effect_the_interval_covers_0():
    panel, treated = synthetic.panel(n=120, months=12, start=6, treated=20, effect=0.0, seed=2)
    did = method.estimate(panel, treated, range(6), range(6, 12))
    assert did.covers_zero


def test_the_interval_is_the_same_on_every_run():
    panel, treated = synthetic.panel(seed=5)
    first = method.estimate(panel, treated, range(6), range(6, 12))
    again = method.estimate(panel, treated, range(6), range(6, 12))
    assert (first.low, first.high) == (again.low, again.high)


def test_matching_takes_the_nearest_untreated_communes_with_replacement():
    # two treated communes at levels 50 % and 90 %; the pool spans 40–95 %, same size and no trend
    levels = np.array([0.5, 0.9, 0.4, 0.52, 0.55, 0.7, 0.88, 0.91, 0.95])
    den = np.full((9, 4), 100.0)
    num = levels[:, None] * den
    panel = method.Panel(codes=np.arange(9), num=num, den=den, volume=den)
    treated = np.array([True, True, False, False, False, False, False, False, False])
    did = method.estimate(panel, treated, [0, 1], [2, 3], k=2, resamples=50)
    assert sorted(did.matches[0].tolist()) == [3, 4]  # 52 %, 55 %
    assert sorted(did.matches[1].tolist()) == [6, 7]  # 88 %, 91 %
    assert did.estimate == pytest.approx(0)


def test_a_commune_without_dossiers_in_a_window_is_left_out_and_reported():
    panel, treated = synthetic.panel(n=60, treated=10, seed=3)
    first = int(np.flatnonzero(treated)[0])
    panel.den[first, 6:] = 0
    did = method.estimate(panel, treated, range(6), range(6, 12), resamples=50)
    assert did.n_treated == 9 and did.dropped.tolist() == [first]


def test_the_pre_trend_check_needs_two_pre_months():
    panel, treated = synthetic.panel(n=60, treated=10, seed=3)
    assert method.placebo(panel, treated, [5]) is None
    check = method.placebo(panel, treated, range(6), resamples=200)
    assert check.covers_zero  # the generated groups share their trends before the start


def test_nothing_to_compare_is_said():
    panel, treated = synthetic.panel(n=10, treated=10, seed=3)
    with pytest.raises(method.NotEstimable) as refused:
        method.estimate(panel, treated, range(6), range(6, 12))
    assert refused.value.code == "no_controls"


def test_an_estimate_over_3321_communes_and_24_months_is_fast():
    import time

    panel, treated = synthetic.panel(n=3321, months=24, start=12, treated=300, effect=0.05, seed=7)
    began = time.perf_counter()
    did = method.estimate(panel, treated, range(12), range(12, 24))
    method.placebo(panel, treated, range(12))
    assert time.perf_counter() - began < 5
    assert did.low <= 5 <= did.high
