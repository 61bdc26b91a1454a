"""The scorecard page and its API: who sees what, the default quarter, the filters, the map, the 400s."""

from html import unescape

import pytest
import time_machine

from civicdesk.core.services import issue_api_token
from civicdesk.servicedesk.models import ScorecardTarget

from .factories import vn

# 7 January 2026: the last full quarter is Q4 2025, the previous one Q3 2025.
TODAY = vn(2026, 1, 7, 9)


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def data(scorecard_dossiers):
    return scorecard_dossiers


@time_machine.travel(TODAY, tick=False)
def test_province_admin_reads_the_scorecard_map_and_ranking(client_for, quan, data):
    response = client_for(quan).get("/servicedesk/scorecard/")
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Hồ sơ tiếp nhận từ 01/10/2025 đến 31/12/2025; kỳ trước: 01/07/2025–30/09/2025." in page
    for group in ("Công khai, minh bạch", "Tiến độ giải quyết", "Cung cấp dịch vụ trực tuyến", "Mức độ hài lòng",
                  "Số hóa hồ sơ, kết quả"):  # fmt: skip
        assert group in page
    assert "Cần kiểm chứng" in page and "Chưa đo được" in page and "Quyết định 766/QĐ-TTg (2022)" in page
    assert "<details" in page and page.count('class="sc-bar"') >= 5
    # The map: one point per commune, coloured by on-time rate (Di Linh 100 %, Cam Ly 0 %), each a link.
    assert 'data-code="25000" data-fill="#2c7bb6"' in page and 'data-code="24787" data-fill="#d7191c"' in page
    assert "/servicedesk/scorecard/communes/25000/?" in page
    assert page.index(">Xã Di Linh</a>") < page.index(">Phường Cam Ly - Đà Lạt</a>")  # the ranking
    assert "Đặt mục tiêu của tỉnh" in page
    assert "Thủ tục, kênh tiếp nhận: chưa có bộ đếm theo thủ tục hay theo kênh, nên khi chọn" in page
    assert 'name="procedure"' in page and 'name="channel"' in page


@time_machine.travel(TODAY, tick=False)
def test_map_colour_follows_the_chosen_indicator_and_partial_months_are_marked(client_for, quan, data):
    page = unescape(client_for(quan).get(
        "/servicedesk/scorecard/", {"date_from": "2025-10-15", "date_to": "2025-12-31", "indicator": "sh_ho_so"}
    ).content.decode())  # fmt: skip
    assert "Tháng 10/2025 chỉ tính 15/10–31/10 (17/31 ngày)" in page
    assert "Bản đồ: Tỷ lệ hồ sơ được số hóa thành phần khi tiếp nhận" in page
    assert 'data-code="25000" data-fill="#2c7bb6"' in page and 'data-code="24787" data-fill="#d7191c"' in page


@time_machine.travel(TODAY, tick=False)
def test_the_field_filter_says_which_indicators_it_cannot_filter(client_for, quan, data, khai_sinh):
    page = client_for(quan).get("/servicedesk/scorecard/", {"field": khai_sinh.field.code}).content.decode()
    assert "Đang lọc theo lĩnh vực" in page and "Không lọc được theo lĩnh vực" in page


@time_machine.travel(TODAY, tick=False)
def test_choosing_a_commune_opens_its_scorecard_beside_the_province(client_for, noi, data):
    client = client_for(noi)
    response = client.get("/servicedesk/scorecard/", {"commune": "25000", "indicator": "td_dung_han"})
    assert response.status_code == 302 and response.url.startswith("/servicedesk/scorecard/communes/25000/?")
    page = unescape(client.get(response.url).content.decode())
    assert "Bảng điểm phục vụ người dân — Xã Di Linh" in page and 'class="sc-current"' in page
    assert "Đặt mục tiêu của tỉnh" not in page  # Home Affairs reads, the province admin sets targets


@time_machine.travel(TODAY, tick=False)
def test_commune_officer_sees_only_her_commune(client_for, alice, data):
    client = client_for(alice)
    response = client.get("/servicedesk/scorecard/")
    assert response.status_code == 302 and response.url == "/servicedesk/scorecard/communes/25000/"
    page = client.get(response.url).content.decode()
    assert "Xã Di Linh" in page and "sc-map" not in page and "Phường Cam Ly" not in page
    assert client.get("/servicedesk/scorecard/communes/24787/").status_code == 404


def test_targets_form_saves_for_the_province_admin_only(client_for, quan, noi, lam_dong):
    response = client_for(noi).post("/servicedesk/scorecard/targets/", {"target_td_dung_han": "90"})
    assert response.status_code == 403 and not ScorecardTarget.objects.exists()
    response = client_for(quan).post(
        "/servicedesk/scorecard/targets/", {"target_td_dung_han": "92.5", "next": "indicator=td_dung_han"}
    )
    assert response.status_code == 302 and response.url == "/servicedesk/scorecard/?indicator=td_dung_han"
    assert ScorecardTarget.objects.get().target == 92.5


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/servicedesk/scorecard/").status_code == 302


# -- API ---------------------------------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_api_shape_for_the_province(client, quan, data):
    body = client.get("/api/servicedesk/scorecard", {"province": 68}, **auth(quan)).json()
    assert body["period"]["date_from"] == "2025-10-01" and body["previous_period"]["date_to"] == "2025-09-30"
    assert (
        body["period"]["partial_months"] == [] and body["total_max"] == 100 and body["total_points"] is None
    )
    assert [g["code"] for g in body["groups"]] == ["cong_khai", "tien_do", "truc_tuyen", "hai_long", "so_hoa"]
    on_time = body["groups"][1]["indicators"][0]
    assert on_time["code"] == "td_dung_han" and on_time["needs_verification"] and on_time["points"] is None
    assert (on_time["numerator"], on_time["denominator"], on_time["value"], on_time["previous_value"]) == (
        1,
        2,
        0.5,
        0.0,
    )
    assert on_time["counters"] == ["on_time", "finished"] and on_time["filters"] == [
        "channel",
        "commune",
        "field",
        "procedure",
    ]
    not_measured = body["groups"][0]["indicators"][0]
    assert (
        not not_measured["measured"] and not_measured["value"] is None and not_measured["not_measured_reason"]
    )
    communes = {c["commune_code"]: c for c in body["communes"]}
    assert communes[25000]["values"]["sh_ho_so"] == 1.0 and communes[24787]["values"]["sh_ho_so"] == 0.0


@time_machine.travel(TODAY, tick=False)
def test_api_for_one_commune_and_a_partial_period(client, alice, data):
    body = client.get(
        "/api/servicedesk/scorecard",
        {"province": 68, "commune": 25000, "from": "2025-11-01", "to": "2025-11-15"},
        **auth(alice),
    ).json()
    assert body["commune"] == 25000 and body["communes"] == []
    assert body["period"]["partial_months"] == [
        {
            "month": "2025-11",
            "date_from": "2025-11-01",
            "date_to": "2025-11-15",
            "days": 15,
            "days_in_month": 30,
        }
    ]
    assert body["previous_period"] == {
        "date_from": "2025-10-17", "date_to": "2025-10-31", "unfinished": False,
        "partial_months": [{"month": "2025-10", "date_from": "2025-10-17", "date_to": "2025-10-31", "days": 15,
                            "days_in_month": 31}],
    }  # fmt: skip
    assert body["groups"][4]["indicators"][0]["value"] == 1.0


@time_machine.travel(TODAY, tick=False)
def test_api_refusals_and_clear_400s(client, alice, charlie, quan, other_province_commune, data):
    url = "/api/servicedesk/scorecard"
    assert client.get(url, {"province": 68}, **auth(alice)).status_code == 403
    assert client.get(url, {"province": 68, "commune": 25000}, **auth(charlie)).status_code == 404
    assert client.get(url, {"province": 79}, **auth(quan)).status_code == 404
    assert client.get(url, {"province": 68, "commune": 26734}, **auth(quan)).status_code == 404
    assert client.get(url, {"province": 68}).status_code == 401
    assert client.get(url, {"province": "LD"}, **auth(quan)).status_code == 422
    for params, param in (
        ({"from": "2025-13-01"}, "from"),
        ({"to": "31/12/2025"}, "to"),
        ({"from": "2025-12-31", "to": "2025-10-01"}, "from"),
        ({"from": "2020-01-01", "to": "2025-12-31"}, "to"),
        ({"field": "khong-co"}, "field"),
    ):
        response = client.get(url, {"province": 68, **params}, **auth(quan))
        body = response.json()
        assert response.status_code == 400 and body["error"]["code"] == "bad_request", params
        assert body["error"]["details"] == {"param": param} and body["error"]["message"]


def test_api_is_documented(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/servicedesk/scorecard"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {
        "province", "commune", "from", "to", "field", "procedure", "channel"
    }  # fmt: skip
    described = {p["name"]: p.get("description", "") for p in operation["parameters"]}
    assert "400" in described["procedure"] and "truc_tuyen_ho_tro" in described["channel"]
