"""The pages as camly's officer uses them (the issue's "done when"), the coverage page, the monthly report and its
Excel file, and refusals for another commune."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civicdesk.community.models import Accompaniment, Person
from tests.handbook.factories import ProcedureFactory
from tests.servicedesk.factories import DossierFactory, vn


@pytest.fixture
def khai_sinh(db):
    return ProcedureFactory(code="HT-001", name="Đăng ký khai sinh", status="published")


@pytest.mark.django_db
def test_done_when_camly_officer_gets_a_certified_speaker_and_records_the_visit(
    client_for, charlie, camly, hamlets, officer, colleague, khai_sinh
):
    client = client_for(charlie)
    # A K'Ho-speaking citizen nobody has recorded yet, a birth registration, in the near hamlet, tomorrow morning.
    response = client.post(
        reverse("community:request_new"),
        {
            "new_citizen": "Ka Hòa",
            "new_citizen_phone": "0987654321",
            "language": "kpm",
            "min_level": "2",
            "hamlet": hamlets[0].pk,
            "date": "2026-03-03",
            "slot": "am",
            "procedure": khai_sinh.pk,
            "origin": "counter",
        },
    )
    assert response.status_code == 302
    acc = Accompaniment.objects.get()
    assert acc.citizen.kind == "citizen" and acc.citizen.preferred_language == "kpm"
    page = client.get(response["Location"]).content.decode()
    proposals = page[page.index('id="h-prop"') :]
    best = proposals.index("Ka Charlie")
    assert best < proposals.index("Trần Văn Bình")
    assert "phù hợp nhất" in proposals[best : best + 200]
    assert "Có chứng chỉ tiếng dân tộc thiểu số" in proposals[best : proposals.index("Trần Văn Bình")]
    response = client.post(
        reverse("community:request_action", args=[acc.pk, "assign"]), {"person": officer.pk}
    )
    assert response.status_code == 302
    client.post(reverse("community:request_action", args=[acc.pk, "respond"]), {"accept": "1"})
    dossier = DossierFactory(
        commune=camly, procedure=khai_sinh, code="24787-260303-001", received_at=vn(2026, 3, 3, 10)
    )
    response = client.post(
        reverse("community:request_action", args=[acc.pk, "visit"]),
        {"outcome": "filed", "dossier_code": dossier.code, "visited_at": "2026-03-03T09:30", "note": ""},
    )
    assert response.status_code == 302
    acc.refresh_from_db()
    assert acc.status == "done" and acc.dossier == dossier
    page = client.get(reverse("community:request", args=[acc.pk])).content.decode()
    assert dossier.code in page and "trong 3 ngày làm việc" in page


@pytest.mark.django_db
def test_form_keeps_what_was_typed(client_for, charlie, camly, hamlets):
    response = client_for(charlie).post(
        reverse("community:request_new"),
        {
            "new_citizen": "Ka Lan",
            "language": "",
            "date": "2026-03-03",
            "slot": "am",
            "min_level": "2",
            "origin": "commune",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Ka Lan"' in page
    assert "Chọn ngôn ngữ người dân cần." in page and "Chọn thủ tục, hoặc ghi việc cần làm." in page
    assert not Person.objects.filter(full_name="Ka Lan").exists()


@pytest.mark.django_db
def test_visit_error_is_shown_on_the_form(client_for, charlie, citizen, officer):
    from civicdesk.community import services

    acc = services.assign(
        charlie,
        services.request_accompaniment(
            charlie,
            commune=citizen.commune,
            citizen=citizen,
            language="kpm",
            date=citizen.created_at.date(),
            procedure_name="Khai sinh",
        ),
        officer,
    )
    response = client_for(charlie).post(
        reverse("community:request_action", args=[acc.pk, "visit"]),
        {"outcome": "filed", "dossier_code": "NOPE-1", "visited_at": "2026-03-02T10:00"},
    )
    assert response.status_code == 422
    assert "Xã không có hồ sơ mã" in response.content.decode()


@pytest.mark.django_db
def test_other_commune_gets_404(client_for, alice, charlie, citizen, officer):
    from civicdesk.community import services

    acc = services.request_accompaniment(
        charlie,
        commune=citizen.commune,
        citizen=citizen,
        language="kpm",
        date=citizen.created_at.date(),
        procedure_name="Khai sinh",
    )
    client = client_for(alice)
    assert client.get(reverse("community:request", args=[acc.pk])).status_code == 404
    assert (
        client.post(
            reverse("community:request_action", args=[acc.pk, "assign"]), {"person": officer.pk}
        ).status_code
        == 404
    )
    assert client.get(reverse("community:person", args=[officer.pk])).status_code == 404
    page = client.get(reverse("community:people")).content.decode()
    assert "Ka Charlie" not in page


@pytest.mark.django_db
def test_coverage_shows_which_communes_lack_speakers(client_for, quan, camly, hamlets, officer, di_linh):
    from civicdesk.geo.models import HamletLanguage
    from tests.factories import HamletFactory

    HamletLanguage.objects.create(
        hamlet=HamletFactory(commune=di_linh, name="Thôn 5"), code="cje", population=210
    )
    whole = client_for(quan).get(reverse("community:coverage")).content.decode()
    assert "2 xã thiếu người nói" in whole
    page = whole[whole.index("<tbody>") :]
    # Cam Ly: 1,400 K'Ho speakers need 2, one official speaks it; 45 Chu Ru need 1, nobody. Di Linh: Chu Ru, nobody.
    assert "Xã Di Linh" in page and "Phường Cam Ly - Đà Lạt" in page
    assert page.index("Xã Di Linh") < page.index("Phường Cam Ly - Đà Lạt")  # the worst first
    assert "Chu Ru" in page and "thiếu 1 người" in page


@pytest.mark.django_db
def test_monthly_report_and_excel(client_for, charlie, citizen, officer, camly, khai_sinh):
    from civicdesk.community import services

    acc = services.request_accompaniment(
        charlie,
        commune=camly,
        citizen=citizen,
        language="kpm",
        date=citizen.created_at.date(),
        procedure=khai_sinh,
    )
    services.assign(charlie, acc, officer)
    dossier = DossierFactory(
        commune=camly, procedure=khai_sinh, code="24787-260302-009", received_at=vn(2026, 3, 2, 10)
    )
    services.record_visit(
        charlie, acc, outcome="filed", dossier_code=dossier.code, visited_at=vn(2026, 3, 2, 9, 45)
    )
    client = client_for(charlie)
    page = client.get(reverse("community:report"), {"month": "2026-03"}).content.decode()
    assert "Tháng đang diễn ra" in page and "Phường Cam Ly - Đà Lạt" in page
    response = client.get(reverse("community:report"), {"month": "2026-03", "format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    summary = book.worksheets[0]
    header = [c.value for c in summary[1]]
    row = dict(zip(header, [c.value for c in summary[2]], strict=True))
    assert row["Xã, phường"] == "Phường Cam Ly - Đà Lạt"
    assert (
        row["Đề nghị đi cùng"],
        row["Đáp ứng trong 3 ngày làm việc"],
        row["Hồ sơ đã nộp sau chuyến đi"],
    ) == (1, 1, 1)
    by_language = book.worksheets[1]
    assert by_language.cell(2, 3).value == "kpm"


@pytest.mark.django_db
def test_people_import_page_reports_lines(client_for, charlie, camly):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("nguoi.csv", b"kind,full_name,language\nofficial,Ka B,xyz\n")
    page = client_for(charlie).post(reverse("community:people_import"), {"file": upload}).content.decode()
    assert "Dòng 2, cột language" in page


@pytest.mark.django_db
def test_person_page_adds_a_language(client_for, charlie, officer):
    client = client_for(charlie)
    response = client.post(
        reverse("community:language_add", args=[officer.pk]),
        {"new-code": "cma", "new-listening": "3", "new-speaking": "2"},
    )
    assert response.status_code == 302
    assert officer.languages.filter(code="cma", speaking=2).exists()
    response = client.post(reverse("community:language_add", args=[officer.pk]), {"new-code": "kpm"})
    assert response.status_code == 422 and "đã có ngôn ngữ này" in response.content.decode()


@pytest.mark.django_db
def test_week_page_previews_then_assigns(client_for, charlie, citizen, officer, colleague, camly):
    from civicdesk.community import services

    for _ in range(2):
        services.request_accompaniment(
            charlie,
            commune=camly,
            citizen=citizen,
            language="kpm",
            date=citizen.created_at.date(),
            slot="pm",
            procedure_name="Khai sinh",
        )
    client = client_for(charlie)
    page = client.get(reverse("community:week"), {"week": "2026-03-02"}).content.decode()
    assert "2 / 2" in page and "Ka Charlie" in page and "Trần Văn Bình" in page
    response = client.post(reverse("community:week"), {"week": "2026-03-02"})
    assert response.status_code == 302
    assert Accompaniment.objects.filter(status="assigned").count() == 2


@pytest.mark.django_db
def test_pages_render_for_province_admin(client_for, quan, citizen, officer):
    client = client_for(quan)
    for name in ("community:index", "community:people", "community:coverage", "community:report"):
        assert client.get(reverse(name)).status_code == 200
    assert "Ka Hòa" not in client.get(reverse("community:people")).content.decode()


@pytest.mark.django_db
def test_request_from_a_dossier_keeps_the_link(client_for, charlie, camly, hamlets, citizen, khai_sinh):
    dossier = DossierFactory(
        commune=camly, procedure=khai_sinh, code="24787-260302-011", received_at=vn(2026, 3, 2, 8)
    )
    client = client_for(charlie)
    assert (
        "Cần người nói tiếng dân tộc đi cùng"
        in client.get(reverse("servicedesk:dossier", args=[dossier.code])).content.decode()
    )
    page = client.get(reverse("community:request_new"), {"dossier": dossier.code}).content.decode()
    assert dossier.code in page
    response = client.post(
        reverse("community:request_new"),
        {"citizen": citizen.pk, "origin_dossier": dossier.code, "language": "kpm", "min_level": "2",
         "date": "2026-03-03", "slot": "day", "procedure": khai_sinh.pk, "origin": "dossier"},
    )  # fmt: skip
    assert response.status_code == 302
    acc = Accompaniment.objects.get()
    assert acc.origin == "dossier" and acc.origin_dossier == dossier
