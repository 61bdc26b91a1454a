"""The KPI dashboard: ranking, trends, drill-down to dossiers, exports, and who may see what."""

from html import unescape
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from civicdesk.core.models import AuditEvent

from .factories import DossierFactory, vn

PERIOD = {"date_from": "2025-09-01", "date_to": "2025-10-31"}


@pytest.fixture
def numbers(di_linh, cam_ly, khai_sinh):
    DossierFactory(
        commune=di_linh,
        procedure=khai_sinh,
        code="DL-1",
        received_at=vn(2025, 10, 6, 9),
        finished_at=vn(2025, 10, 7, 9),
        is_on_time=True,
        channel="truc_tuyen_ho_tro",
        rating=5,
    )
    DossierFactory(
        commune=cam_ly, procedure=khai_sinh, code="CL-1", received_at=vn(2025, 9, 8, 9), supplement_count=1
    )


def test_province_dashboard_ranks_communes_and_draws_trends(client_for, quan, numbers):
    page = client_for(quan).get("/servicedesk/kpi/", PERIOD).content.decode()
    assert "Xã Di Linh" in page and "Phường Cam Ly - Đà Lạt" in page
    assert page.count("<svg") >= 2 and "10/2025" in page and "09/2025" in page
    assert "Cách tính các chỉ số" in page and "số hồ sơ có kết quả" in page
    assert "100,0%" in page  # Di Linh on time and satisfied
    # Drill-down: the number links to the dossiers behind it.
    assert (
        "/servicedesk/dossiers/?date_from=2025-09-01&date_to=2025-10-31&commune=25000&metric=late"
        in unescape(page)
    )


def test_ranking_sorts_and_swaps_with_htmx(client_for, quan, numbers):
    partial = (
        client_for(quan)
        .get("/servicedesk/kpi/", {**PERIOD, "sort": "supplement_rate"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "<html" not in partial and partial.index("Xã Di Linh") < partial.index("Phường Cam Ly")


def test_drill_down_lists_the_dossiers_behind_a_number(client_for, quan, numbers):
    client = client_for(quan)
    page = client.get("/servicedesk/dossiers/", {**PERIOD, "metric": "supplemented"}).content.decode()
    assert "CL-1" in page and "DL-1" not in page
    page = client.get(
        "/servicedesk/dossiers/", {**PERIOD, "commune": "25000", "metric": "assisted"}
    ).content.decode()
    assert "DL-1" in page and "CL-1" not in page


def test_invalid_period_falls_back_with_a_message(client_for, quan, numbers):
    page = client_for(quan).get("/servicedesk/kpi/", {"date_from": "2025-10-31", "date_to": "2025-09-01"})
    assert page.status_code == 200 and "phải trước hoặc bằng" in page.content.decode()


def test_commune_officer_sees_her_commune_only(client_for, alice, charlie, numbers):
    client = client_for(alice)
    response = client.get("/servicedesk/kpi/")
    assert response.status_code == 302 and response.url == "/servicedesk/kpi/communes/25000/"
    page = client.get("/servicedesk/kpi/communes/25000/", PERIOD).content.decode()
    assert "Xã Di Linh" in page and "<svg" in page
    assert client.get("/servicedesk/kpi/communes/24787/").status_code == 404
    assert client_for(charlie).get("/servicedesk/kpi/communes/25000/").status_code == 404


def test_other_province_cannot_see_lam_dong(client_for, numbers, other_province_commune):
    from tests.factories import UserFactory

    hcm_admin = UserFactory(username="hcm", role="province_admin", province=other_province_commune.province)
    client = client_for(hcm_admin)
    page = client.get("/servicedesk/kpi/", PERIOD).content.decode()
    assert "Xã Di Linh" not in page
    assert client.get("/servicedesk/kpi/communes/25000/").status_code == 404
    assert "DL-1" not in client.get("/servicedesk/dossiers/").content.decode()
    assert client.get("/servicedesk/dossiers/DL-1/").status_code == 404


def test_anonymous_is_sent_to_login(client, numbers):
    for path in (
        "/servicedesk/",
        "/servicedesk/kpi/",
        "/servicedesk/dossiers/",
        "/servicedesk/kpi/export.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_excel_export(client_for, quan, numbers):
    response = client_for(quan).get("/servicedesk/kpi/export.xlsx", PERIOD)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    di_linh = next(r for r in rows if r[0] == 25000)
    assert di_linh[2:5] == (1, 1, 1.0)
    assert book.sheetnames[-1] == "Cách tính"
    assert AuditEvent.objects.filter(action="export", actor=quan).exists()


def test_pdf_export_in_administrative_layout(client_for, quan, alice, numbers):
    response = client_for(quan).get("/servicedesk/kpi/export.pdf", PERIOD)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"DejaVuSerif" in response.content  # the embedded Vietnamese font
    assert client_for(alice).get("/servicedesk/kpi/export.pdf", PERIOD).content.startswith(b"%PDF")
    assert client_for(quan).get("/servicedesk/kpi/export.doc").status_code == 404


@time_machine.travel(vn(2025, 10, 20, 9), tick=False)
def test_home_cards(client_for, alice, quan, numbers):
    home = client_for(alice).get("/").content.decode()
    assert "Một cửa: hồ sơ của xã" in home and "Tiếp nhận hồ sơ" in home
    home = client_for(quan).get("/").content.decode()
    assert "Phục vụ người dân — 30 ngày qua" in home


def test_dossier_list_for_the_officer_with_htmx(client_for, alice, numbers):
    client = client_for(alice)
    page = client.get("/servicedesk/dossiers/").content.decode()
    assert "DL-1" in page and "CL-1" not in page
    partial = client.get("/servicedesk/dossiers/", {"q": "DL"}, HTTP_HX_REQUEST="true").content.decode()
    assert "DL-1" in partial and "<html" not in partial
    assert client.get("/servicedesk/").url == "/servicedesk/dossiers/"


def test_the_register_finds_and_shows_a_dossier_by_its_mobile_teams_provisional_receipt(
    client_for, alice, di_linh, cam_ly, khai_sinh
):
    """Issue 18: a citizen comes to the counter with the provisional receipt the mobile team gave in the hamlet; the
    officer types its code in the register's search and finds the dossier, whose page names the receipt."""
    DossierFactory(
        commune=di_linh,
        procedure=khai_sinh,
        code="DL-7",
        channel="luu_dong",
        provisional_code="TLD-25000A-0007",
    )
    DossierFactory(commune=cam_ly, procedure=khai_sinh, code="CL-7", provisional_code="TLD-24787A-0007")
    client = client_for(alice)
    for typed in ("TLD-25000A-0007", " tld-25000a-0007 "):
        found = client.get("/servicedesk/dossiers/", {"q": typed}).content.decode()
        assert "DL-7" in found and "CL-7" not in found
    assert "DL-7" not in client.get("/servicedesk/dossiers/", {"q": "TLD-24787A-0007"}).content.decode()
    page = client.get("/servicedesk/dossiers/DL-7/").content.decode()
    assert "<dt>Biên nhận tạm</dt><dd>TLD-25000A-0007</dd>" in page
