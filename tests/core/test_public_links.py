"""Issue 13 (item 9): a QR code or a link opened outside the app points at the server that made it (or SITE_URL)."""

from django.test import RequestFactory

from civicdesk.core import links


def test_site_url_wins(settings):
    settings.SITE_URL = "https://civicdesk.lamdong.gov.vn"
    assert links.absolute("/tra-cuu/x/") == "https://civicdesk.lamdong.gov.vn/tra-cuu/x/"


def test_without_site_url_the_request_decides(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["10.0.5.20"]
    request = RequestFactory().get("/", HTTP_HOST="10.0.5.20:8765")
    assert links.absolute("/tra-cuu/x/", request) == "http://10.0.5.20:8765/tra-cuu/x/"
    assert (
        links.absolute("/tra-cuu/x/") == "http://127.0.0.1:8000/tra-cuu/x/"
    )  # no request at all: development


def test_a_hotline_mail_links_to_the_ticket_on_site_url(settings):
    from types import SimpleNamespace

    from civicdesk.hotline import notify

    settings.SITE_URL = "https://civicdesk.lamdong.gov.vn"
    assert (
        notify._url(SimpleNamespace(get_absolute_url=lambda: "/hotline/7/"))
        == "https://civicdesk.lamdong.gov.vn/hotline/7/"
    )
