"""/impact/: the form keeps what was typed on errors; the result shows the sentence, figures, chart, controls and
method; saving lists it; commune officers and department experts are refused."""

import re

from civicdesk.impact.models import Estimate

from .conftest import START


def _query(treated, **extra):
    return {"communes": [str(c) for c in treated], "start": START.isoformat(), "indicator": "on_time",
            "months_before": "6", "months_after": "6"} | extra  # fmt: skip


def test_the_province_admin_gets_the_result(client_for, quan, planted):
    _communes, treated = planted
    page = client_for(quan).get("/impact/", _query(treated))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sau ngày bắt đầu, tỉ lệ đúng hạn của các xã đã chọn tăng" in text
    assert "<svg" in text and "Bắt đầu 01/07/2025" in text
    assert "Các xã so sánh được chọn" in text and "<details>" in text
    assert re.search(r"Xã được can thiệp</dt><dd>10</dd>", text)


def test_an_empty_form_is_shown_first(client_for, noi, planted):
    page = client_for(noi).get("/impact/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="preset"' in text and "Xã Mẫu 1 (70001)" in text and "<svg" not in text


def test_errors_keep_what_was_typed(client_for, quan, planted, other_province_commune):
    _communes, treated = planted
    page = client_for(quan).get("/impact/", _query(treated[:2], start="2026-01-05", months_before="7"))
    assert page.status_code == 400
    text = page.content.decode()
    assert "Chưa có tháng trọn vẹn nào sau ngày bắt đầu" in text
    assert 'value="2026-01-05"' in text and 'value="7"' in text
    assert re.search(rf'<option value="{treated[0]}" selected>', text)
    missing = client_for(quan).get(
        "/impact/", {"indicator": "on_time", "months_before": "6", "months_after": "6"}
    )
    assert missing.status_code == 400
    assert "Chọn một sáng kiến có sẵn hoặc ít nhất một xã." in missing.content.decode()


def test_saving_lists_the_estimate_and_opens_it(client_for, quan, planted):
    _communes, treated = planted
    client = client_for(quan)
    response = client.post("/impact/save/", _query(treated), follow=True)
    assert response.status_code == 200
    saved = Estimate.objects.get()
    assert response.redirect_chain[-1][0] == f"/impact/{saved.pk}/"
    assert saved.sentence in response.content.decode()
    listing = client.get("/impact/").content.decode()
    assert f'href="/impact/{saved.pk}/"' in listing


def test_commune_officers_and_department_experts_are_refused(client_for, client, alice, phap, quan, planted):
    _communes, treated = planted
    saved_page = client_for(quan).post("/impact/save/", _query(treated))
    saved = Estimate.objects.get()
    assert saved_page.status_code == 302
    for user in (alice, phap):
        c = client_for(user)
        assert c.get("/impact/").status_code == 403
        assert c.get("/impact/", _query(treated)).status_code == 403
        assert c.post("/impact/save/", _query(treated)).status_code == 403
        assert c.get(f"/impact/{saved.pk}/").status_code == 403
    client.logout()
    assert client.get("/impact/").status_code == 302
    assert Estimate.objects.count() == 1


def test_the_menu_shows_the_page_to_the_province_roles_only(client_for, quan, alice):
    assert 'href="/impact/"' in client_for(quan).get("/").content.decode()
    assert 'href="/impact/"' not in client_for(alice).get("/").content.decode()
