"""Citizens' satisfaction surveys: a dossier's survey opens only once its result is returned (the page says when before
that), and the anonymous centre survey cannot be stuffed: it is throttled per client address and per commune, with a
plain Vietnamese message that keeps what was typed."""

from datetime import timedelta

import lxml.html
import pytest
import time_machine
from django.core.exceptions import ValidationError

from civicdesk.servicedesk import links, services
from civicdesk.servicedesk.models import SurveyResponse

from .factories import DossierFactory, vn


def _text(response):
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


@pytest.fixture
def received(di_linh, khai_sinh):
    return DossierFactory(
        commune=di_linh,
        procedure=khai_sinh,
        code="25000-251006-001",
        received_at=vn(2025, 10, 6, 9),
        due_at=vn(2025, 10, 9, 9),
    )


def _returned(dossier):
    dossier.status, dossier.finished_at, dossier.returned_at = (
        "returned",
        vn(2025, 10, 8, 9),
        vn(2025, 10, 8, 10),
    )
    dossier.save(update_fields=["status", "finished_at", "returned_at"])
    return dossier


# --- a dossier's survey ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["received", "processing", "supplement_requested", "done"])
def test_the_survey_is_not_open_before_the_result_is_returned_and_says_when(client, received, status):
    received.status = status
    received.save(update_fields=["status"])
    url = links.survey_url(received, absolute=False)
    page = client.get(url)
    text = _text(page)
    assert page.status_code == 200
    assert 'name="stars"' not in page.content.decode()
    assert "khi ông/bà nhận kết quả" in text
    if status != "done":
        assert "09:00 09/10/2025" in text  # the appointment the citizen holds
    posted = client.post(url, {"stars": "1", "comment": "Chưa nhận được gì"})
    assert posted.status_code == 409 and 'name="stars"' not in posted.content.decode()
    assert not SurveyResponse.objects.exists()
    received.refresh_from_db()
    assert received.rating is None


def test_the_survey_opens_once_the_result_is_returned(client, received):
    url = links.survey_url(_returned(received), absolute=False)
    assert 'name="stars"' in client.get(url).content.decode()
    response = client.post(url, {"stars": "4"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.rating == 4


@pytest.mark.parametrize("status", ["rejected", "withdrawn"])
def test_a_closed_dossier_has_no_survey_but_points_to_the_centres(client, received, status):
    received.status = status
    received.save(update_fields=["status"])
    page = client.get(links.survey_url(received, absolute=False))
    assert 'name="stars"' not in page.content.decode()
    assert "/tra-cuu/danh-gia/xa/25000/" in page.content.decode()


def test_the_service_refuses_a_rating_before_the_result_is_returned(received):
    with pytest.raises(ValidationError):
        services.rate_dossier(received, stars=1)
    assert not SurveyResponse.objects.exists()
    services.rate_dossier(_returned(received), stars=5)
    assert SurveyResponse.objects.get().stars == 5


def test_the_status_page_links_the_survey_only_once_returned(client, received):
    url = links.status_url(received, absolute=False)
    text = _text(client.get(url))
    html = client.get(url).content.decode()
    assert "/tra-cuu/danh-gia/25000-251006-001/" not in html
    assert "khi ông/bà nhận kết quả" in text
    _returned(received)
    assert "/tra-cuu/danh-gia/25000-251006-001/" in client.get(url).content.decode()


# --- the anonymous centre survey ---------------------------------------------------------------------------------


CENTRE = "/tra-cuu/danh-gia/xa/25000/"


def _rate(client, url=CENTRE, address="203.113.1.1", **data):
    return client.post(url, {"stars": "1", **data}, REMOTE_ADDR=address)


def test_one_address_cannot_stuff_the_centre_with_ratings(client, di_linh):
    for _ in range(5):
        assert _rate(client).status_code == 302
    refused = _rate(client, comment="Chờ lâu quá", reasons=["many_trips"])
    assert refused.status_code == 429
    doc = lxml.html.fromstring(refused.content.decode())
    text = " ".join(doc.text_content().split())
    assert "đã gửi nhiều phiếu đánh giá" in text and "thử lại" in text
    # what was typed is still there to send later
    assert doc.xpath('//input[@name="stars"][@checked]/@value') == ["1"]
    assert doc.xpath('//input[@name="reasons"][@checked]/@value') == ["many_trips"]
    assert doc.xpath('//textarea[@name="comment"]/text()')[0].strip() == "Chờ lâu quá"
    assert SurveyResponse.objects.count() == 5
    # another citizen, on another address, still can
    assert _rate(client, address="203.113.1.2").status_code == 302


def test_many_addresses_cannot_stuff_one_commune(client, di_linh, cam_ly):
    for n in range(40):
        assert _rate(client, address=f"10.9.{n // 250}.{n % 250 + 1}").status_code == 302
    refused = _rate(client, address="203.113.9.9", comment="Góp ý")
    assert refused.status_code == 429
    assert "Trung tâm đang nhận quá nhiều phiếu" in _text(refused)
    assert SurveyResponse.objects.filter(commune=di_linh).count() == 40
    # the limit is the commune's: another centre still takes ratings
    assert _rate(client, url="/tra-cuu/danh-gia/xa/24787/", address="203.113.9.9").status_code == 302


def test_the_throttle_lifts_after_its_window(client, di_linh):
    start = vn(2025, 10, 6, 9)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _rate(client)
        assert _rate(client).status_code == 429
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert _rate(client).status_code == 429  # still inside the window
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        assert _rate(client).status_code == 302


def test_invalid_ratings_do_not_use_up_the_communes_quota(client, di_linh):
    for n in range(60):
        assert client.post(CENTRE, {"comment": "no stars"}, REMOTE_ADDR=f"10.8.0.{n + 1}").status_code == 400
    assert _rate(client).status_code == 302


def test_behind_our_proxy_the_clients_own_address_is_throttled(client, di_linh, settings):
    """nginx passes the client's address in X-Forwarded-For; every request reaches Django from 127.0.0.1."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def rate(forwarded, stars="1"):
        return client.post(CENTRE, {"stars": stars}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for _ in range(5):
        assert rate("203.113.1.1").status_code == 302
    assert rate("203.113.1.1").status_code == 429
    # the next citizen through the same proxy is not blocked by the first one's ratings
    assert rate("203.113.7.7", stars="5").status_code == 302
    # a spoofed leftmost entry does not give a fresh address: nginx appends the real one last
    assert rate("1.2.3.4, 203.113.1.1").status_code == 429


def test_a_client_reaching_django_directly_cannot_choose_its_address(client, di_linh, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(6):
        response = client.post(
            CENTRE, {"stars": "1"}, REMOTE_ADDR="203.113.1.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    assert response.status_code == 429


def test_the_dossier_survey_keeps_what_was_typed_when_throttled(client, di_linh, khai_sinh):
    dossiers = [
        _returned(DossierFactory(commune=di_linh, procedure=khai_sinh, code=f"25000-251006-{n:03d}"))
        for n in range(1, 23)
    ]
    for dossier in dossiers[:20]:
        client.post(links.survey_url(dossier, absolute=False), {"stars": "5"})
    refused = client.post(
        links.survey_url(dossiers[20], absolute=False), {"stars": "2", "comment": "Tạm được"}
    )
    assert refused.status_code == 429
    doc = lxml.html.fromstring(refused.content.decode())
    assert doc.xpath('//input[@name="stars"][@checked]/@value') == ["2"]
    assert doc.xpath('//textarea[@name="comment"]/text()')[0].strip() == "Tạm được"
