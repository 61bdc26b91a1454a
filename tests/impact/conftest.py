"""Impact fixtures: 40 communes of Lâm Đồng with a year (2025) of monthly KPI counters generated with a known
planted effect — the first 10 communes of a random order gain 8 points of on-time rate from 1 July 2025 —, and the
clock pinned to 15 January 2026 (every month of 2025 has ended; January 2026 is partial)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import time_machine

from civicdesk.impact import synthetic
from civicdesk.servicedesk.models import CommuneMonthStat
from tests.factories import CommuneFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime(2026, 1, 15, 9, 0, tzinfo=VN)
START = date(2025, 7, 1)
MONTHS = [date(2025, m, 1) for m in range(1, 13)]
EFFECT = 0.08


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def lay_counters(province, effect, *, n=40, treated=10, seed=4, extra=None):
    """Communes 70001… with counters from `synthetic.panel`; returns (communes, treated codes)."""
    panel, mask = synthetic.panel(n=n, months=12, start=6, treated=treated, effect=effect, seed=seed)
    communes = [CommuneFactory(code=70001 + i, name=f"Xã Mẫu {i + 1}", province=province) for i in range(n)]
    rows = []
    for i, commune in enumerate(communes):
        for j, month in enumerate(MONTHS):
            finished = int(panel.den[i, j])
            rows.append(
                CommuneMonthStat(
                    commune=commune,
                    province=province,
                    month=month,
                    received=finished,
                    finished=finished,
                    on_time=int(panel.num[i, j]),
                    online=finished // 3,
                    supplemented=finished // 10,
                    rated=finished // 2,
                    satisfied=finished // 3,
                    **(extra or {}),
                )
            )
    CommuneMonthStat.objects.bulk_create(rows)
    return communes, [c.code for c, m in zip(communes, mask, strict=True) if m]


@pytest.fixture
def planted(lam_dong):
    return lay_counters(lam_dong, EFFECT)


@pytest.fixture
def no_effect(lam_dong):
    return lay_counters(lam_dong, 0.0)


def as_request(province, codes, **kwargs):
    from civicdesk.impact import services

    params = {"start": START, "indicator": "on_time", "months_before": 6, "months_after": 6} | kwargs
    return services.Request(province=province, codes=list(codes), **params)


__all__ = ["np"]
