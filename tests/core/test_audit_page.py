"""Issue 13 (item 16): the province admin reads the audit log in the app — Vietnamese object names, each transition's
from and to states, filters, a CSV export — and nobody else does."""

import csv
import io

from civicdesk.core import audit
from civicdesk.core.models import AuditEvent


def _events(quan, alice):
    audit.record(
        alice,
        audit.Action.VIEW,
        object_type="servicedesk.dossier",
        object_id="7",
        object_repr="25000-260106-001",
    )
    audit.record(quan, audit.Action.TRANSITION, object_type="staffing.plan", object_id="3", object_repr="Phương án 260 người",
                 changes={"status": ["solved", "approved"]}, reason="Quyết định số 12")  # fmt: skip
    audit.record(quan, audit.Action.EXPORT, object_type="servicedesk.kpi", object_repr='=HYPERLINK("x")')


def test_the_province_admin_reads_names_and_transitions(client_for, quan, alice):
    _events(quan, alice)
    html = client_for(quan).get("/audit/").content.decode()
    assert "Phương án biệt phái" in html  # staffing.plan's Vietnamese name, not the code
    assert "Đã có kết quả → <strong>Đã phê duyệt</strong>" in html
    assert "Báo cáo chỉ số phục vụ" in html and "Xem dữ liệu cá nhân" in html
    table = html[html.index('id="audit-rows"') :]
    assert "staffing.plan" not in table  # codes stay in the filter's option values only


def test_filters_narrow_the_list_and_keep_the_form(client_for, quan, alice):
    _events(quan, alice)
    client = client_for(quan)
    only = client.get("/audit/", {"action": "transition"}).content.decode()
    assert "Phương án 260 người" in only and "25000-260106-001" not in only
    by_type = client.get(
        "/audit/", {"object_type": "servicedesk.dossier"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "25000-260106-001" in by_type and "<html" not in by_type
    bad = client.get("/audit/", {"date_from": "2027-02-08", "date_to": "2027-01-01"}).content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu" in bad and 'value="2027-02-08"' in bad


def test_the_csv_export_is_neutralised_and_audited(client_for, quan, alice):
    _events(quan, alice)
    response = client_for(quan).get("/audit/export.csv", {"action": "export"})
    assert 'filename="nhat-ky-truy-vet-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Thời điểm" and len(rows) == 2
    assert rows[1][5] == '\'=HYPERLINK("x")'  # a formula-looking object name is text
    assert AuditEvent.objects.filter(action="export", object_type="core.auditevent", actor=quan).exists()


def test_nobody_else_reads_it(client_for, alice, phap, noi):
    for user in (alice, phap, noi):
        assert client_for(user).get("/audit/").status_code == 403
        assert client_for(user).get("/audit/export.csv").status_code == 403


def test_the_admin_sees_only_their_province(client_for, quan, alice, other_province_commune):
    from tests.factories import UserFactory

    stranger = UserFactory(username="sg", role="commune_officer", commune=other_province_commune)
    audit.record(stranger, audit.Action.VIEW, object_type="servicedesk.dossier", object_repr="79-SG-001")
    _events(quan, alice)
    html = client_for(quan).get("/audit/").content.decode()
    assert "79-SG-001" not in html and "25000-260106-001" in html
