"""The scorecard's procedure and channel filters: computed from the dossier rows, exact against a hand count, with
the field; the online share refused under a channel filter; the page, the PDF and the API; bad values refused."""

from datetime import date
from html import unescape

import pytest
import time_machine

from civicdesk.core.services import issue_api_token
from civicdesk.servicedesk import scorecard
from civicdesk.servicedesk.scorecard import Period
from tests.handbook.factories import FieldFactory, ProcedureFactory
from tests.pdftext import flat

from .factories import DossierFactory, vn

# 7 January 2026: the default period is Q4 2025, the previous one Q3 2025.
TODAY = vn(2026, 1, 7, 9)
Q4 = Period(date(2025, 10, 1), date(2025, 12, 31))
CHANNEL_REASON = (
    "Khi lọc theo một kênh tiếp nhận, tỷ lệ trực tuyến chỉ có thể là 0% hoặc 100% nên không có ý nghĩa."
)


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def dat_dai(db):
    return ProcedureFactory(code="DD-001", name="Đăng ký đất đai lần đầu",
                            field=FieldFactory(code="dat_dai", name="Đất đai"))  # fmt: skip


@pytest.fixture
def mixed(di_linh, cam_ly, khai_sinh, ket_hon, dat_dai, other_province_commune):
    """Q4 2025 and Q3 2025 dossiers of three procedures (two in "ho_tich", one in "dat_dai") and four channels.

    The hand counts the tests use are written beside each dossier: procedure, channel, received, result, on time,
    digitised, electronic result, rating."""
    di_linh.lat, di_linh.lon = 11.58, 108.07
    di_linh.save()
    cam_ly.lat, cam_ly.lon = 11.94, 108.43
    cam_ly.save()

    def make(commune, procedure, channel, received, finished=None, on_time=None, **extra):
        return DossierFactory(commune=commune, procedure=procedure, channel=channel, received_at=received,
                              finished_at=finished, is_on_time=on_time, **extra)  # fmt: skip

    # Q4 2025, Di Linh
    make(di_linh, khai_sinh, "truc_tiep", vn(2025, 10, 6, 9), vn(2025, 10, 7, 9), True,
         documents_digitised=True, result_electronic=True, rating=5)  # d1  # fmt: skip
    make(di_linh, khai_sinh, "truc_tuyen", vn(2025, 11, 3, 9), vn(2025, 11, 10, 9), False, rating=3)  # d2
    make(di_linh, khai_sinh, "truc_tiep", vn(2025, 12, 1, 9), documents_digitised=True)  # d3, open
    make(di_linh, ket_hon, "truc_tiep", vn(2025, 11, 5, 9), vn(2025, 11, 6, 9), True, rating=4)  # d4
    make(di_linh, dat_dai, "truc_tiep", vn(2025, 10, 20, 9), vn(2025, 10, 21, 9), True)  # d5
    # Q4 2025, Cam Ly
    make(cam_ly, khai_sinh, "truc_tiep", vn(2025, 12, 10, 9), vn(2025, 12, 11, 9), False,
         result_electronic=True, rating=4)  # c1  # fmt: skip
    make(cam_ly, khai_sinh, "truc_tuyen_ho_tro", vn(2025, 10, 8, 9))  # c2, open
    # Q3 2025 (the previous period), Di Linh
    make(di_linh, khai_sinh, "truc_tiep", vn(2025, 8, 4, 9), vn(2025, 8, 5, 9), True)  # b1
    make(di_linh, khai_sinh, "truc_tiep", vn(2025, 9, 4, 9), vn(2025, 9, 5, 9), False)  # b2
    # Outside: another province, and after the period.
    make(other_province_commune, khai_sinh, "truc_tiep", vn(2025, 11, 3, 9), vn(2025, 11, 4, 9), True)
    make(di_linh, khai_sinh, "truc_tiep", vn(2026, 1, 2, 9), vn(2026, 1, 5, 9), True)


def figures(card, code):
    s = card.indicator(code)
    return (s.numerator, s.denominator, s.value, s.previous)


def test_procedure_filter_equals_a_hand_count(mixed, lam_dong, di_linh, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        result = scorecard.compute(lam_dong, Q4, procedure_code="HT-001")
    card = result.scorecard
    assert card.from_dossiers and card.procedure_code == "HT-001" and card.channel is None
    # HT-001 in Q4: d1 d2 d3 c1 c2 received; d1 d2 c1 finished, d1 on time; Q3: b1 on time, b2 late.
    assert figures(card, "td_dung_han") == (1, 3, round(1 / 3, 4), 0.5)
    assert figures(card, "tt_ho_so") == (2, 5, 0.4, 0.0)  # d2 online, c2 online with help
    assert figures(card, "hl_hai_long") == (2, 3, round(2 / 3, 4), None)  # d1 5★, d2 3★, c1 4★
    assert figures(card, "sh_ho_so") == (2, 5, 0.4, 0.0)  # d1, d3
    assert figures(card, "sh_ket_qua") == (2, 3, round(2 / 3, 4), 0.0)  # d1, c1
    assert not any(s.filtered_out for g in card.groups for s in g.indicators)
    communes = {unit.code: scores for unit, scores in result.communes}
    assert (communes[25000]["td_dung_han"].numerator, communes[25000]["td_dung_han"].denominator) == (1, 2)
    assert communes[24787]["td_dung_han"].value == 0.0 and communes[24787]["tt_ho_so"].value == 0.5
    # One commune alone reads the same rows, narrowed.
    alone = scorecard.compute(lam_dong, Q4, commune=di_linh, procedure_code="HT-001", with_communes=False)
    assert figures(alone.scorecard, "sh_ho_so") == (2, 3, round(2 / 3, 4), 0.0)


def test_channel_filter_marks_the_online_share_and_counts_the_rest(mixed, lam_dong):
    card = scorecard.compute(lam_dong, Q4, channel="truc_tiep").scorecard
    online = card.indicator("tt_ho_so")
    assert online.filtered_out and online.value is None and online.numerator is None
    assert str(online.filtered_reason) == CHANNEL_REASON
    # In person in Q4: d1 d3 d4 d5 c1; finished d1 d4 d5 c1; on time d1 d4 d5; rated d1 d4 c1, all ≥ 4.
    assert figures(card, "td_dung_han") == (3, 4, 0.75, 0.5)
    assert figures(card, "hl_hai_long") == (3, 3, 1.0, None)
    assert figures(card, "sh_ho_so") == (2, 5, 0.4, 0.0)


def test_field_procedure_and_channel_combine(mixed, lam_dong, khai_sinh, dat_dai):
    ho_tich = khai_sinh.field_id
    both = scorecard.compute(lam_dong, Q4, field_id=ho_tich, procedure_code="HT-001", channel="truc_tiep")
    card = both.scorecard
    # HT-001 in person: d1 d3 c1; finished d1 c1; on time d1; Q3: b1, b2.
    assert figures(card, "td_dung_han") == (1, 2, 0.5, 0.5)
    assert figures(card, "sh_ket_qua") == (2, 2, 1.0, 0.0)
    # From the rows the field applies to every indicator, even those without per-field counters ...
    assert (
        figures(card, "hl_hai_long") == (2, 2, 1.0, None) and not card.indicator("hl_hai_long").filtered_out
    )
    # ... but the channel still makes the online share meaningless.
    assert card.indicator("tt_ho_so").filtered_out
    # Field and channel without a procedure: ho_tich in person is d1 d3 d4 c1 (d5 is dat_dai).
    field_channel = scorecard.compute(lam_dong, Q4, field_id=ho_tich, channel="truc_tiep").scorecard
    assert figures(field_channel, "td_dung_han") == (2, 3, round(2 / 3, 4), 0.5)
    # A procedure of another field: nothing to count, no invented zero.
    none = scorecard.compute(lam_dong, Q4, field_id=dat_dai.field_id, procedure_code="HT-001").scorecard
    assert figures(none, "td_dung_han") == (0, 0, None, None)


def test_without_procedure_or_channel_the_counters_are_read(mixed, lam_dong, khai_sinh):
    card = scorecard.compute(lam_dong, Q4, field_id=khai_sinh.field_id).scorecard
    assert not card.from_dossiers
    assert (
        card.indicator("hl_hai_long").filtered_out
        and "bộ đếm theo lĩnh vực" in card.indicator("hl_hai_long").filtered_reason
    )
    with pytest.raises(ValueError):
        scorecard.compute(lam_dong, Q4, channel="fax")


@time_machine.travel(TODAY, tick=False)
def test_page_filters_by_procedure_and_channel(client_for, quan, mixed):
    params = {"procedure": "HT-001", "channel": "truc_tiep", "indicator": "td_dung_han"}
    response = client_for(quan).get("/servicedesk/scorecard/", params)
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Đang lọc theo thủ tục: Đăng ký khai sinh (HT-001)." in page
    assert "Đang lọc theo kênh tiếp nhận: Trực tiếp tại Trung tâm." in page
    assert "Số liệu tính trực tiếp từ hồ sơ tiếp nhận trong kỳ." in page
    assert '<option value="HT-001" selected>Đăng ký khai sinh (HT-001)</option>' in page
    assert '<option value="truc_tiep" selected>' in page
    assert CHANNEL_REASON in page and "50,0%" in page and "(1/2)" in page
    # The filters carry into the PDF link, the ranking and the map's links; the map is coloured by the rows:
    # Di Linh 1/1 on time in person (d1), Cam Ly 0/1 (c1).
    assert (
        "/servicedesk/scorecard/export.pdf?date_from=2025-10-01&date_to=2025-12-31&procedure=HT-001&channel=truc_tiep"
        in page
    )
    assert (
        "/servicedesk/scorecard/communes/25000/?date_from=2025-10-01&date_to=2025-12-31&procedure=HT-001&channel=truc_tiep"
        in page
    )
    assert 'data-code="25000" data-fill="#2c7bb6"' in page and 'data-code="24787" data-fill="#d7191c"' in page


@time_machine.travel(TODAY, tick=False)
def test_page_refuses_unknown_procedure_and_channel(client_for, quan, mixed):
    client = client_for(quan)
    response = client.get("/servicedesk/scorecard/", {"procedure": "KHONG-CO", "channel": "fax"})
    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Không có thủ tục mã này trong Cẩm nang." in page and "Kênh tiếp nhận không hợp lệ." in page
    assert "Đang lọc theo thủ tục" not in page  # the default, unfiltered scorecard under the error
    pdf = client.get("/servicedesk/scorecard/export.pdf", {"channel": "fax"})
    assert pdf.status_code == 400 and "Kênh tiếp nhận không hợp lệ." in pdf.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_pdf_with_procedure_and_channel(client_for, quan, mixed):
    response = client_for(quan).get(
        "/servicedesk/scorecard/export.pdf", {"procedure": "HT-001", "channel": "truc_tiep"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = flat(response.content)
    assert "Đang lọc theo thủ tục: Đăng ký khai sinh (HT-001)." in text
    assert "Đang lọc theo kênh tiếp nhận: Trực tiếp tại Trung tâm." in text
    assert "Kỳ này: 50,0% (1/2)" in text and CHANNEL_REASON in text


@time_machine.travel(TODAY, tick=False)
def test_api_accepts_procedure_and_channel(client, quan, alice, mixed, khai_sinh):
    url = "/api/servicedesk/scorecard"
    body = client.get(
        url, {"province": 68, "procedure": "HT-001", "channel": "truc_tiep", "field": khai_sinh.field.code},
        **auth(quan),
    ).json()  # fmt: skip
    assert (body["procedure"], body["channel"], body["field"], body["from_dossiers"]) == (
        "HT-001", "truc_tiep", "ho_tich", True
    )  # fmt: skip
    indicators = {i["code"]: i for g in body["groups"] for i in g["indicators"]}
    on_time = indicators["td_dung_han"]
    assert (on_time["numerator"], on_time["denominator"], on_time["value"], on_time["previous_value"]) == (
        1, 2, 0.5, 0.5
    )  # fmt: skip
    online = indicators["tt_ho_so"]
    assert online["filtered_out"] and online["value"] is None and online["filtered_reason"] == CHANNEL_REASON
    assert "channel" not in online["filters"] and "channel" in on_time["filters"]
    communes = {c["commune_code"]: c["values"] for c in body["communes"]}
    assert communes[25000]["td_dung_han"] == 1.0 and communes[24787]["td_dung_han"] == 0.0
    # A commune officer, her commune only, by procedure alone.
    mine = client.get(url, {"province": 68, "commune": 25000, "procedure": "HT-001"}, **auth(alice)).json()
    on_time = next(i for g in mine["groups"] for i in g["indicators"] if i["code"] == "td_dung_han")
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2) and mine["communes"] == []
    plain = client.get(url, {"province": 68}, **auth(quan)).json()
    assert plain["from_dossiers"] is False and plain["procedure"] is None and plain["channel"] is None


@time_machine.travel(TODAY, tick=False)
def test_api_refuses_unknown_procedure_and_channel(client, quan, mixed):
    for params, param in (({"procedure": "KHONG-CO"}, "procedure"), ({"channel": "fax"}, "channel")):
        response = client.get("/api/servicedesk/scorecard", {"province": 68, **params}, **auth(quan))
        body = response.json()
        assert response.status_code == 400 and body["error"]["code"] == "bad_request", params
        assert body["error"]["details"] == {"param": param} and body["error"]["message"]
    message = client.get(
        "/api/servicedesk/scorecard", {"province": 68, "channel": "fax"}, **auth(quan)
    ).json()["error"]["message"]
    assert "truc_tiep" in message and "fax" in message
