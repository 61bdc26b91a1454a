"""The demo loader: nothing without procedures, deterministic six months otherwise, idempotent, on any anchor."""

from datetime import date
from io import StringIO

import pytest

from civicdesk.core.demo import DemoClock
from civicdesk.servicedesk import demo, kpi
from civicdesk.servicedesk.models import CommuneMonthStat, Dossier, SurveyResponse

CLOCK = DemoClock(date(2026, 3, 2))


def test_demo_needs_the_handbook(di_linh):
    out = StringIO()
    demo.load(out, CLOCK)
    assert "Cẩm nang chưa có thủ tục" in out.getvalue() and not Dossier.objects.exists()


def test_demo_generates_six_months_once(di_linh, cam_ly, khai_sinh, ket_hon, lam_dong):
    out = StringIO()
    demo.load(out, CLOCK)
    count = Dossier.objects.count()
    assert count > 100 and "Đã tạo" in out.getvalue()
    months = {d.replace(day=1) for d in Dossier.objects.values_list("received_date", flat=True)}
    assert len(months) == 6
    assert set(Dossier.objects.values_list("channel", flat=True)) >= {
        "truc_tiep",
        "truc_tuyen",
        "truc_tuyen_ho_tro",
    }
    assert Dossier.objects.filter(rating__isnull=False).count() == SurveyResponse.objects.count() > 0
    assert Dossier.objects.filter(due_source="manual", procedure=ket_hon).exists()  # no invented limits
    assert CommuneMonthStat.objects.exists()
    first, last = min(months), max(months)
    report = kpi.province_report(lam_dong, first, kpi.month_end(last))
    assert report["total"]["received"] == count
    demo.load(StringIO(), CLOCK)
    assert Dossier.objects.count() == count


@pytest.mark.parametrize(
    "anchor",
    [
        date(2027, 1, 1),  # New Year's Day: the last working day is in December
        date(2027, 2, 8),  # a Monday in Tết 2027
        date(2028, 2, 29),  # leap day
        date(2026, 12, 31),
    ],
)
def test_any_anchor_gives_six_months_before_it(di_linh, khai_sinh, ket_hon, anchor):
    clock = DemoClock(anchor)
    demo.load(StringIO(), clock)
    received = list(Dossier.objects.values_list("received_at", flat=True))
    assert received and max(received) < clock.now
    months = {d.replace(day=1) for d in Dossier.objects.values_list("received_date", flat=True)}
    assert len(months) == 6
    for dossier in Dossier.objects.exclude(finished_at=None):
        assert dossier.finished_at < clock.now
