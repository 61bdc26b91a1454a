"""The issue's story: the Di Linh officer registers a dossier after the checklist, prints the slip, the citizen
looks it up and rates it, and the numbers move on the province dashboard."""

import re
from html import unescape

import time_machine

from civicdesk.servicedesk.models import Dossier

from .conftest import APPLICANT
from .factories import vn


def test_register_print_lookup_rate_and_see_the_numbers(client_for, client, alice, quan, khai_sinh, di_linh):
    with time_machine.travel(vn(2025, 10, 6, 9), tick=False):
        officer = client_for(alice)
        response = officer.post(
            "/servicedesk/receive/?procedure=HT-001", {**APPLICANT, "components": ["0", "1"]}
        )
        code = Dossier.objects.get().code
        assert response.url == f"/servicedesk/dossiers/{code}/"
        slip = unescape(officer.get(f"/servicedesk/dossiers/{code}/receipt/").content.decode())
        assert "09/10/2025" in slip and code in slip
        status_path = re.search(r"http://[^/]+(/tra-cuu/ho-so/[^<\s\"]+)", slip).group(1)
        survey_path = status_path.replace("/ho-so/", "/danh-gia/")
        officer.post(f"/servicedesk/dossiers/{code}/actions/start_processing/")
    with time_machine.travel(vn(2025, 10, 8, 14), tick=False):
        officer = client_for(alice)  # a new working day, a new session
        officer.post(f"/servicedesk/dossiers/{code}/actions/mark_done/")
        officer.post(f"/servicedesk/dossiers/{code}/actions/return_result/")
        officer.logout()
        # The citizen, with no account: by code and phone digits, and by the QR code on the slip.
        looked_up = client.post("/tra-cuu/", {"code": code, "phone4": "5678"}).content.decode()
        assert "Đã trả kết quả" in looked_up and "Ka Huệ" not in looked_up
        assert "Đã trả kết quả" in client.get(status_path).content.decode()
        assert client.post(survey_path, {"stars": "5", "reasons": ["on_time"]}).status_code == 302
        # The province sees it.
        dashboard = client_for(quan).get(
            "/servicedesk/kpi/", {"date_from": "2025-10-01", "date_to": "2025-10-31"}
        )
        html = dashboard.content.decode()
        row = html[html.index("Xã Di Linh") :]
        assert ">1</a>" in row[:400]  # received
        assert "100,0%" in row[:1500]  # on time and satisfied
