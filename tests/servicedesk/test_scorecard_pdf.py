"""The scorecard as PDF: the page's content for the same scope, filters and period, charts drawn, names neutralised."""

import pytest
import time_machine

from civicdesk.core.models import AuditEvent
from civicdesk.servicedesk.models import ScorecardTarget
from tests.pdftext import flat

from .factories import vn

# 7 January 2026: the default period is Q4 2025, the previous one Q3 2025.
TODAY = vn(2026, 1, 7, 9)
GROUPS = (
    "Công khai, minh bạch",
    "Tiến độ giải quyết",
    "Cung cấp dịch vụ trực tuyến",
    "Mức độ hài lòng",
    "Số hóa hồ sơ, kết quả",
)


@pytest.fixture
def data(scorecard_dossiers, lam_dong):
    ScorecardTarget.objects.create(province=lam_dong, indicator="td_dung_han", target=90)


@time_machine.travel(TODAY, tick=False)
def test_province_pdf_holds_the_page_content(client_for, quan, data):
    response = client_for(quan).get("/servicedesk/scorecard/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bang-diem-766-lam-dong-01-10-2025-31-12-2025.pdf"' in response["Content-Disposition"]
    text = flat(response.content)
    assert "Bảng điểm phục vụ người dân — tỉnh Lâm Đồng" in text
    assert "Hồ sơ tiếp nhận từ 01/10/2025 đến 31/12/2025; kỳ trước: 01/07/2025–30/09/2025." in text
    for n, group in enumerate(GROUPS, start=1):
        assert f"{n}. {group}" in text
    # On time: 1 of 2 this quarter, 0 of 1 before; the province's 90 % target not met; no points ("— / 20").
    assert "50,0% (1/2)" in text and "+50,0 điểm %" in text and "90,0% · chưa đạt" in text
    assert "Điểm: — / 20" in text and "Tổng điểm: — / 100" in text
    assert "Cần kiểm chứng" in text and "Chưa đo được" in text
    # The charts' labels are drawn text, in Vietnamese.
    assert "Kỳ này: 50,0% (1/2)" in text and "Kỳ trước: 0,0%" in text and "Mục tiêu của tỉnh" in text
    # The map's legend and the ranking (Di Linh 100 % before Cam Ly 0 % on time... by the default indicator).
    assert "Bản đồ: Tỷ lệ hồ sơ giải quyết đúng hạn" in text and "≥ 95%" in text
    assert "Xếp hạng: Tỷ lệ hồ sơ giải quyết đúng hạn" in text
    assert text.index("Xã Di Linh") < text.index("Phường Cam Ly - Đà Lạt")
    assert "Nguồn: Quyết định 766/QĐ-TTg (2022) · Lập ngày 07/01/2026 lúc 09:00" in text
    assert AuditEvent.objects.filter(object_type="servicedesk.scorecard", action="export").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_filters_and_partial_months_follow_the_query(client_for, quan, data, khai_sinh):
    params = {
        "date_from": "2025-10-15",
        "date_to": "2025-12-31",
        "indicator": "sh_ho_so",
        "field": khai_sinh.field.code,
    }
    page = client_for(quan).get("/servicedesk/scorecard/", params).content.decode()
    assert "/servicedesk/scorecard/export.pdf?date_from=2025-10-15" in page and "Tải PDF" in page
    text = flat(client_for(quan).get("/servicedesk/scorecard/export.pdf", params).content)
    assert "Tháng 10/2025 chỉ tính 15/10–31/10 (17/31 ngày)" in text
    assert (
        f"Đang lọc theo lĩnh vực: {khai_sinh.field.name}." in text and "Không lọc được theo lĩnh vực" in text
    )
    assert "Xếp hạng: Tỷ lệ hồ sơ được số hóa thành phần khi tiếp nhận" in text


@time_machine.travel(vn(2025, 12, 20, 9), tick=False)
def test_an_unfinished_period_is_marked(client_for, quan, data):
    text = flat(client_for(quan).get(
        "/servicedesk/scorecard/export.pdf", {"date_from": "2025-12-01", "date_to": "2025-12-31"}
    ).content)  # fmt: skip
    assert "Kỳ chưa kết thúc: số liệu còn thay đổi" in text


@time_machine.travel(TODAY, tick=False)
def test_commune_pdf_for_province_roles_keeps_the_ranking(client_for, noi, data):
    response = client_for(noi).get("/servicedesk/scorecard/communes/25000/export.pdf")
    text = flat(response.content)
    assert response.status_code == 200 and "Bảng điểm phục vụ người dân — Xã Di Linh" in text
    assert "Xếp hạng" in text and "100,0% (1/1)" in text


@time_machine.travel(TODAY, tick=False)
def test_commune_officer_gets_her_commune_only(client_for, alice, data):
    client = client_for(alice)
    response = client.get("/servicedesk/scorecard/export.pdf", {"indicator": "td_dung_han"})
    assert response.status_code == 302
    assert response.url == "/servicedesk/scorecard/communes/25000/export.pdf?indicator=td_dung_han"
    text = flat(client.get(response.url).content)
    assert (
        "Xã Di Linh" in text
        and "Phường Cam Ly" not in text
        and "Xếp hạng" not in text
        and "Bản đồ" not in text
    )
    assert client.get("/servicedesk/scorecard/communes/24787/export.pdf").status_code == 404


def test_refusals(client, client_for, charlie, quan, other_province_commune, data, django_user_model):
    assert client.get("/servicedesk/scorecard/export.pdf").status_code == 302  # to log in
    assert client_for(charlie).get("/servicedesk/scorecard/communes/25000/export.pdf").status_code == 404
    assert client_for(quan).get("/servicedesk/scorecard/communes/26734/export.pdf").status_code == 404
    nobody = django_user_model.objects.create_user("nobody", role="hotline_operator")  # no province
    assert client_for(nobody).get("/servicedesk/scorecard/export.pdf").status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_hostile_names_print_as_typed(client_for, quan, data, di_linh, khai_sinh):
    di_linh.name = 'Xã <font size=60>Evil</font> & =HYPERLINK("x")\x0b'
    di_linh.save()
    field = khai_sinh.field
    field.name = "<b>Lĩnh vực</b>\x01"
    field.save()
    response = client_for(quan).get("/servicedesk/scorecard/export.pdf", {"field": field.code})
    assert response.status_code == 200
    text = flat(response.content)
    assert 'Xã <font size=60>Evil</font> & =HYPERLINK("x")' in text
    assert "Đang lọc theo lĩnh vực: <b>Lĩnh vực</b>." in text
    assert "\x0b" not in text and "\x01" not in text
