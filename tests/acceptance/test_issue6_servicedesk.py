"""Issue 6 — Service desk. "Done when": dilinh.canbo registers a dossier after the checklist, prints the slip, the
citizen looks it up (code + last 4 phone digits) and, once the result is returned (issue 13: not before), rates it,
and the numbers move on the dashboard; the import
rejects a bad file without writing and names the lines; the KPI command has the documented shape."""

import json
import re
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from .conftest import html, login, submit

PHONE = "0987654321"
CCCD = "068190004567"
APPLICANT = "Ka Thị Hương"


def _intake_page(client, code="HT-001"):
    picker = client.get("/servicedesk/receive/")
    assert picker.status_code == 200
    return submit(client, picker, {"procedure": code}, contains="procedure")


def _checkboxes(page):
    doc = lxml.html.fromstring(html(page))
    return doc.xpath('//input[@name="components"]')


def _register(client, *, leave_out=()):
    page = _intake_page(client)
    assert page.status_code == 200
    boxes = _checkboxes(page)
    assert len(boxes) >= 2, "the procedure's documents are not shown as a checklist"
    ticked = [b.get("value") for i, b in enumerate(boxes) if i not in leave_out]
    return submit(
        client, page,
        {"applicant_name": APPLICANT, "applicant_id_number": CCCD, "applicant_phone": PHONE,
         "channel": "truc_tiep", "components": ticked},
        contains="applicant_name",
    )  # fmt: skip


def _kpi(client, code=25000):
    today = timezone.localdate()
    response = client.get(
        f"/servicedesk/kpi/communes/{code}/",
        {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()},
    )
    assert response.status_code == 200
    return dict(response.context["total"])


def test_missing_document_blocks_intake_and_prints_what_is_missing(login_as):
    from civicdesk.servicedesk.models import Dossier

    client = login_as("dilinh.canbo")
    before = Dossier.objects.count()
    response = _register(client, leave_out=(0,))
    assert response.status_code == 200
    assert Dossier.objects.count() == before
    assert "/servicedesk/checks/" in response.redirect_chain[-1][0]
    text = html(response)
    assert "bổ sung" in text.lower()
    from civicdesk.handbook.models import Procedure

    missing = Procedure.objects.get(code="HT-001").components[0]["name"]
    assert missing in text, missing


def test_register_print_lookup_rate_and_the_numbers_move(client, demo, users):
    from civicdesk.servicedesk.models import Dossier

    login(client, "dilinh.canbo")
    kpi_before = _kpi(client)
    response = _register(client)
    assert response.status_code == 200, html(response)[:2000]
    dossier = Dossier.objects.get(applicant_id_number=CCCD)
    assert response.redirect_chain[-1][0] == f"/servicedesk/dossiers/{dossier.code}/"
    assert dossier.status == "received" and dossier.due_at is not None
    from civicdesk.core.workcal import get_calendar

    assert get_calendar().is_working_day(timezone.localtime(dossier.due_at).date())

    # the slip: due date, QR code to the public status page
    slip = client.get(f"/servicedesk/dossiers/{dossier.code}/receipt/")
    assert slip.status_code == 200
    text = html(slip)
    assert dossier.code in text
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in text
    assert "<svg" in text
    status_url = re.search(r"(/tra-cuu/ho-so/[^\s<\"]+/)", text).group(1)

    # the citizen, without an account
    citizen = client.__class__()
    assert citizen.get(status_url).status_code == 200
    lookup = citizen.get("/tra-cuu/")
    wrong = submit(citizen, lookup, {"code": dossier.code, "phone4": "0000"}, contains="phone4")
    assert wrong.status_code == 404 and dossier.code not in re.sub(r'value="[^"]*"', "", html(wrong))
    found = submit(
        citizen, citizen.get("/tra-cuu/"), {"code": dossier.code, "phone4": PHONE[-4:]}, contains="phone4"
    )
    assert found.status_code == 200
    page = html(found)
    assert dossier.code in page and timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in page
    for personal in (APPLICANT, CCCD, PHONE):
        assert personal not in page
    # the survey opens once the result is returned; until then the pages say when
    assert not lxml.html.fromstring(page).xpath('//a[contains(@href, "/tra-cuu/danh-gia/")]/@href')
    assert "khi ông/bà nhận kết quả" in page
    from civicdesk.servicedesk import links

    early = citizen.get(links.survey_url(dossier, absolute=False))
    assert early.status_code == 200 and 'name="stars"' not in html(early)
    assert "khi ông/bà nhận kết quả" in html(early)

    # the officer records the result and hands it over
    detail = client.get(f"/servicedesk/dossiers/{dossier.code}/")
    done = submit(client, detail, action="/actions/mark_done/")
    assert done.status_code == 200, html(done)[:2000]
    returned = submit(client, done, action="/actions/return_result/")
    assert returned.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == "returned"

    page = html(citizen.get(status_url))
    survey_href = lxml.html.fromstring(page).xpath('//a[contains(@href, "/tra-cuu/danh-gia/")]/@href')
    assert survey_href, "no link to the survey on the status page"
    survey = citizen.get(survey_href[0])
    done = submit(
        citizen,
        survey,
        {"stars": "5", "reasons": [], "comment": "Cán bộ hướng dẫn tận tình"},
        contains="stars",
    )
    assert done.status_code == 200 and "/tra-cuu/cam-on/" in done.redirect_chain[-1][0]
    dossier.refresh_from_db()
    assert dossier.rating == 5
    again = citizen.get(survey_href[0])
    assert "stars" not in html(again)  # one response per dossier

    # the numbers move on Di Linh's dashboard
    kpi_after = _kpi(client)
    assert kpi_after["received"] == kpi_before["received"] + 1
    assert kpi_after["rated"] == kpi_before["rated"] + 1

    # and on the province dashboard for the province admin
    login(client, "tinh.admin")
    today = timezone.localdate()
    board = client.get(
        "/servicedesk/kpi/", {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}
    )
    assert board.status_code == 200
    row = next(r for r in board.context["rows"] if r["commune_code"] == 25000)
    assert row["received"] == kpi_after["received"]


def test_personal_data_is_for_the_commune_and_audited(client, demo, users):
    from civicdesk.core.models import AuditEvent
    from civicdesk.servicedesk.models import Dossier

    login(client, "dilinh.canbo")
    _register(client)
    dossier = Dossier.objects.get(applicant_id_number=CCCD)
    page = html(client.get(f"/servicedesk/dossiers/{dossier.code}/"))
    assert CCCD in page
    assert AuditEvent.objects.filter(
        actor=users["dilinh.canbo"], action="view", object_id=str(dossier.pk)
    ).exists()
    login(client, "tinh.admin")
    province_view = client.get(f"/servicedesk/dossiers/{dossier.code}/")
    assert province_view.status_code == 200 and CCCD not in html(province_view)


HEADER = (
    "code,commune_code,procedure_code,procedure_name,channel,received_at,due_at,finished_at,returned_at,"
    "status,supplement_requests,rating"
)


def test_import_rejects_a_bad_file_without_writing_and_names_the_lines(tmp_path, demo):
    from civicdesk.servicedesk.models import Dossier

    rows = [
        "QA-0001,25000,HT-001,Đăng ký khai sinh,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,",
        "QA-0002,25000,HT-001,Đăng ký khai sinh,bang_bo_cau,2025-10-06T09:00:00+07:00,,,,received,0,",
        "QA-0003,99999,HT-001,Đăng ký khai sinh,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,",
        "QA-0004,25000,HT-001,Đăng ký khai sinh,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,9",
    ]
    path = tmp_path / "mot-cua.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    before = Dossier.objects.count()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("dossiers", "import", str(path), stdout=StringIO(), stderr=err)
    errors = err.getvalue()
    for line in (3, 4, 5):  # the header is line 1
        assert re.search(rf"(?i)(dòng|line) {line}\b", errors), errors
    assert not re.search(r"(?i)(dòng|line) 2\b", errors), errors
    assert Dossier.objects.count() == before
    assert not Dossier.objects.filter(code__startswith="QA-").exists()


def test_import_of_a_good_file_then_reimport_updates(tmp_path, demo):
    from civicdesk.servicedesk.models import Dossier

    path = tmp_path / "ok.csv"
    row = "QA-0101,25000,HT-001,Đăng ký khai sinh,truc_tuyen,2025-10-06T09:00:00+07:00,,2025-10-06T15:00:00+07:00,,done,0,5"
    path.write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    call_command("dossiers", "import", str(path), stdout=StringIO(), stderr=StringIO())
    dossier = Dossier.objects.get(code="QA-0101")
    assert dossier.due_at is not None and dossier.rating == 5
    call_command("dossiers", "import", str(path), stdout=StringIO(), stderr=StringIO())
    assert Dossier.objects.filter(code="QA-0101").count() == 1


def test_kpi_command_shape(demo):
    from datetime import timedelta

    today = timezone.localdate()
    start, end = (today - timedelta(days=183)).isoformat(), today.isoformat()  # the demo's six months
    out = StringIO()
    call_command("kpi", "--province", "68", "--from", start, "--to", end, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert set(report) >= {"province", "from", "to", "total", "communes"}
    assert report["province"] == 68 and report["from"] == start and report["to"] == end
    keys = {"commune_code", "received", "finished", "on_time_rate", "online_rate", "assisted_online_share",
            "supplement_rate", "satisfaction_rate", "rated"}  # fmt: skip
    assert len(report["communes"]) == 124
    for row in report["communes"]:
        assert set(row) >= keys
        for rate in (
            "on_time_rate",
            "online_rate",
            "assisted_online_share",
            "supplement_rate",
            "satisfaction_rate",
        ):
            assert row[rate] is None or 0 <= row[rate] <= 1
    di_linh = next(r for r in report["communes"] if r["commune_code"] == 25000)
    assert di_linh["received"] > 0


def test_dashboard_exports(login_as):
    client = login_as("tinh.admin")
    xlsx = client.get("/servicedesk/kpi/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get("/servicedesk/kpi/export.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_issue13_the_counter_finds_a_procedure_by_what_citizens_call_it(login_as):
    """Issue 13 (14): among the 76 procedures, "giấy độc thân" finds the marital-status certificate; choosing it in
    the plain <select> opens its checklist."""
    client = login_as("dilinh.canbo")
    page = client.get("/servicedesk/receive/")
    found = submit(client, page, {"q": "giấy độc thân"}, contains="q")
    options = lxml.html.fromstring(html(found)).xpath('//select[@name="procedure"]/descendant::option/@value')
    assert options[0] == "HT-015", options
    chosen = submit(client, found, {"procedure": "HT-015"}, contains="procedure")
    assert chosen.status_code == 200 and len(_checkboxes(chosen)) >= 1
    assert "tình trạng hôn nhân" in " ".join(lxml.html.fromstring(html(chosen)).xpath("//h2/text()"))


def test_issue13_the_counter_qr_survey_cannot_be_stuffed_and_keeps_what_was_typed(client, demo):
    """Issue 13 (7): the anonymous commune rating form is throttled per client address, with a Vietnamese message
    that keeps the stars and the comment."""
    from civicdesk.servicedesk.models import SurveyResponse

    url = "/tra-cuu/danh-gia/xa/25000/"
    before = SurveyResponse.objects.filter(dossier__isnull=True).count()
    for _ in range(5):
        assert submit(client, client.get(url), {"stars": "1"}, contains="stars").status_code == 200
    refused = submit(client, client.get(url), {"stars": "1", "comment": "Chờ quá lâu"}, contains="stars")
    assert refused.status_code == 429
    doc = lxml.html.fromstring(html(refused))
    assert "thử lại" in doc.text_content()
    assert doc.xpath('//input[@name="stars"][@checked]/@value') == ["1"]
    assert doc.xpath('//textarea[@name="comment"]/text()')[0].strip() == "Chờ quá lâu"
    assert SurveyResponse.objects.filter(dossier__isnull=True).count() == before + 5
