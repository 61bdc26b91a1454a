import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("user_fixture", "unit", "nav_label"),
    [
        ("alice", "Xã Di Linh", "Xã của tôi"),
        ("linh", "Xã Di Linh", "Xã của tôi"),
        ("charlie", "Phường Cam Ly - Đà Lạt", "Xã của tôi"),
        ("phap", "Sở Tư pháp", "Đơn vị hành chính"),
        ("quan", "Tỉnh Lâm Đồng", "Đơn vị hành chính"),
        ("noi", "Tỉnh Lâm Đồng", "Đơn vị hành chính"),
    ],
)
def test_home_names_the_user_and_their_unit(request, client_for, user_fixture, unit, nav_label):
    user = request.getfixturevalue(user_fixture)
    page = client_for(user).get(reverse("home")).content.decode()
    assert "Xin chào" in page
    assert unit in page
    assert nav_label in page


def test_commune_home_shows_empty_state_with_next_step(client_for, alice):
    page = client_for(alice).get(reverse("home")).content.decode()
    assert "Chưa có danh sách thôn, tổ dân phố" in page
    assert "Thêm thôn, tổ dân phố" in page


def test_user_without_unit_is_told_what_to_do(client_for, db):
    from tests.factories import UserFactory

    lost = UserFactory(username="lost", role="hotline_operator")
    page = client_for(lost).get(reverse("home")).content.decode()
    assert "chưa được gắn với đơn vị" in page


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_static_files_are_served_by_the_app(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/htmx.min.js")
    assert finders.find("css/civicdesk.css")


def test_english_is_available(client_for, alice):
    client = client_for(alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page


def test_organisation_page_lists_departments_and_groups(client_for, alice, tu_phap, nnmt, lam_dong):
    from civicdesk.core.services import upsert_working_group
    from tests.factories import SYSTEM

    upsert_working_group(
        SYSTEM, province=lam_dong, code="dat-dai", name="Tổ Đất đai – Xây dựng", departments=[nnmt]
    )
    page = client_for(alice).get(reverse("organisation")).content.decode()
    assert "Sở Tư pháp" in page and "Tổ Đất đai – Xây dựng" in page


def test_large_numbers_are_grouped_the_vietnamese_way():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("vi"):
        assert intcomma(21516) == "21.516"
    with translation.override("en"):
        assert intcomma(21516) == "21,516"
