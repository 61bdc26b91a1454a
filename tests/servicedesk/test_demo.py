"""The demo loader: nothing without procedures, deterministic six months otherwise, and idempotent."""

from io import StringIO

from civicdesk.servicedesk import demo, kpi
from civicdesk.servicedesk.models import CommuneMonthStat, Dossier, SurveyResponse


def test_demo_needs_the_handbook(di_linh):
    out = StringIO()
    demo.load(out)
    assert "Cẩm nang chưa có thủ tục" in out.getvalue() and not Dossier.objects.exists()


def test_demo_generates_six_months_once(di_linh, cam_ly, khai_sinh, ket_hon, lam_dong):
    out = StringIO()
    demo.load(out)
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
    demo.load(StringIO())
    assert Dossier.objects.count() == count
