"""Issue 13 (item 9): the QR on a receipt opens the lookup page of the server that printed it."""

import re

import time_machine

from .test_intake import MONDAY_9


@time_machine.travel(MONDAY_9, tick=False)
def test_a_receipts_qr_opens_the_lookup_page_of_the_server_that_printed_it(
    client_for, alice, khai_sinh, settings
):
    from civicdesk.servicedesk import services
    from tests.servicedesk.conftest import APPLICANT

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["10.0.5.20", "testserver"]
    result = services.receive_dossier(
        alice, commune=alice.commune, procedure=khai_sinh, present=[0, 1], **APPLICANT
    )
    page = client_for(alice).get(
        f"/servicedesk/dossiers/{result.dossier.code}/receipt/", HTTP_HOST="10.0.5.20:8765"
    )
    html = page.content.decode()
    assert page.status_code == 200
    urls = set(re.findall(r"http://[^\s\"<]+/tra-cuu/[^\s\"<]+", html))
    assert urls and all(u.startswith("http://10.0.5.20:8765/tra-cuu/") for u in urls), urls
    assert "127.0.0.1:8000" not in html
    path = next(iter(urls)).removeprefix("http://10.0.5.20:8765")
    assert client_for(alice).get(path, HTTP_HOST="10.0.5.20:8765").status_code == 200
