"""Citizens' pages: lookup by code + 4 phone digits, QR status, one survey per dossier, rate limits."""

import pytest

from civicdesk.core.models import AuditEvent
from civicdesk.servicedesk import links
from civicdesk.servicedesk.models import CommuneMonthStat, SurveyResponse

from .factories import DossierFactory, vn


@pytest.fixture
def dossier(di_linh, khai_sinh):
    return DossierFactory(commune=di_linh, procedure=khai_sinh, code="25000-251006-001")


@pytest.fixture
def returned(dossier):
    """The same dossier once its result is back with the citizen: its survey is open."""
    dossier.status, dossier.finished_at, dossier.returned_at = (
        "returned",
        vn(2025, 10, 8, 9),
        vn(2025, 10, 8, 10),
    )
    dossier.save(update_fields=["status", "finished_at", "returned_at"])
    return dossier


def test_lookup_shows_status_and_due_date_but_no_personal_data(client, dossier):
    response = client.post("/tra-cuu/", {"code": "25000-251006-001", "phone4": "5678"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in html and "09/10/2025" in html and dossier.procedure_name in html
    for private in ("Ka Huệ", "068190001234", "0912345678"):
        assert private not in html


def test_wrong_digits_and_unknown_code_look_the_same(client, dossier):
    wrong = client.post("/tra-cuu/", {"code": "25000-251006-001", "phone4": "0000"})
    unknown = client.post("/tra-cuu/", {"code": "25000-999999-001", "phone4": "5678"})
    assert wrong.status_code == unknown.status_code == 404
    assert (
        "Không tìm thấy hồ sơ" in wrong.content.decode()
        and "Không tìm thấy hồ sơ" in unknown.content.decode()
    )
    invalid = client.post("/tra-cuu/", {"code": "25000-251006-001", "phone4": "12ab"})
    assert invalid.status_code == 400 and "4 chữ số" in invalid.content.decode()


def test_imported_dossier_without_phone_cannot_be_guessed(client, di_linh):
    DossierFactory(commune=di_linh, code="H68-1", applicant_phone="", phone_last4="")
    assert client.post("/tra-cuu/", {"code": "H68-1", "phone4": ""}).status_code == 400
    assert client.post("/tra-cuu/", {"code": "H68-1", "phone4": "0000"}).status_code == 404


def test_lookup_is_rate_limited(client, dossier):
    for _ in range(10):
        client.post("/tra-cuu/", {"code": "x", "phone4": "1111"})
    response = client.post("/tra-cuu/", {"code": "25000-251006-001", "phone4": "5678"})
    assert response.status_code == 429 and "thử lại sau" in response.content.decode()


def test_status_page_by_qr_token(client, dossier):
    page = client.get(links.status_url(dossier, absolute=False))
    assert page.status_code == 200 and "Ka Huệ" not in page.content.decode()
    assert client.get(f"/tra-cuu/ho-so/{dossier.code}/0000000000000000/").status_code == 404
    assert client.get(f"/tra-cuu/ho-so/NOPE/{links.public_token('NOPE')}/").status_code == 404


def test_one_survey_per_dossier_moves_the_satisfaction_counters(client, returned, di_linh):
    dossier = returned
    url = links.survey_url(dossier, absolute=False)
    assert "hài lòng" in client.get(url).content.decode()
    response = client.post(url, {"stars": "5", "reasons": ["clear_guidance", "on_time"], "comment": "Cảm ơn"})
    assert response.status_code == 302 and response.url == "/tra-cuu/cam-on/"
    dossier.refresh_from_db()
    assert dossier.rating == 5
    stat = CommuneMonthStat.objects.get(commune=di_linh)
    assert (stat.rated, stat.satisfied) == (1, 1)
    again = client.post(url, {"stars": "1"})
    assert again.status_code == 200 and "đã được đánh giá" in again.content.decode()
    assert SurveyResponse.objects.count() == 1 and dossier.survey.reasons == ["clear_guidance", "on_time"]
    assert AuditEvent.objects.filter(object_type="servicedesk.surveyresponse").count() == 1


def test_survey_needs_stars_and_a_valid_token(client, returned):
    dossier = returned
    url = links.survey_url(dossier, absolute=False)
    response = client.post(url, {"comment": "?"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert client.get(f"/tra-cuu/danh-gia/{dossier.code}/bad/").status_code == 404


def test_centre_survey_at_the_counter(client, di_linh):
    assert client.get("/tra-cuu/danh-gia/xa/25000/").status_code == 200
    response = client.post("/tra-cuu/danh-gia/xa/25000/", {"stars": "4"})
    assert response.status_code == 302
    response = SurveyResponse.objects.get()
    assert response.commune == di_linh and response.dossier is None
    assert client.get("/tra-cuu/danh-gia/xa/99999/").status_code == 404


def test_survey_submissions_are_rate_limited(client, di_linh):
    for _ in range(5):
        client.post("/tra-cuu/danh-gia/xa/25000/", {"stars": "4"})
    assert client.post("/tra-cuu/danh-gia/xa/25000/", {"stars": "4"}).status_code == 429
    assert SurveyResponse.objects.count() == 5


def test_centre_qr_poster_is_for_the_communes_own_staff(client_for, alice, quan, di_linh):
    page = client_for(alice).get("/servicedesk/counter-qr/").content.decode()
    assert "/tra-cuu/danh-gia/xa/25000/" in page and "<svg" in page
    assert client_for(quan).get("/servicedesk/counter-qr/").status_code == 403
