"""The verification queue by department and the review page: who sees which records, the two answers
("Đã kiểm chứng", "Cần sửa"), and the refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicdesk.core.models import AuditEvent
from civicdesk.handbook import review, services
from civicdesk.handbook.models import Guide, LegalFlag, Procedure
from tests.factories import SYSTEM

from .factories import ProcedureFactory, guide_data

QUEUE = "/handbook/review/"


def supersede_123(actor):
    text = services.save_legal_text(SYSTEM, None, {"identifier": "123/2015/NĐ-CP"})
    services.mark_superseded(actor, text, superseded_by="120/2025/NĐ-CP")
    return text


def test_an_expert_sees_their_own_department(client_for, citing, phap):
    client = client_for(phap)
    html = client.get(QUEUE).content.decode()
    assert "Sở Tư pháp" in html
    for title in ("Đăng ký khai sinh", "Đăng ký kết hôn", "Chứng thực bản sao", "Hướng dẫn ghi sổ hộ tịch"):
        assert title in html
    assert "Hòa giải tranh chấp đất đai" not in html  # Sở Nông nghiệp và Môi trường
    assert "Xin trích lục khai sinh" not in html  # verified, nothing changed
    # An expert cannot choose another department.
    other = client.get(QUEUE + "?department=nong-nghiep-moi-truong").content.decode()
    assert "Hòa giải tranh chấp đất đai" not in other and 'id="department"' not in other


def test_a_province_admin_chooses_the_department(client_for, citing, quan):
    Guide.objects.create(
        slug="khong-so", handbook="professional", title="Hướng dẫn chưa giao", status="published"
    )
    client = client_for(quan)
    everything = client.get(QUEUE).content.decode()
    assert "Sở Tư pháp" in everything and "Sở Nông nghiệp và Môi trường" in everything
    assert (
        everything.index("Sở Nông nghiệp và Môi trường")
        < everything.index("Sở Tư pháp")
        < everything.index("Chưa có sở, ngành chịu trách nhiệm")
    )  # grouped by department, those without one last
    land = client.get(QUEUE + "?department=nong-nghiep-moi-truong").content.decode()
    assert "Hòa giải tranh chấp đất đai" in land and "Đăng ký khai sinh" not in land
    assert "Sở Nông nghiệp và Môi trường (1)" in land  # the choice shows each department's count
    none = client.get(QUEUE + "?department=none").content.decode()
    assert "Hướng dẫn chưa giao" in none and "Đăng ký khai sinh" not in none
    partial = client.get(QUEUE + "?department=tu-phap&kind=guide", HTTP_HX_REQUEST="true").content.decode()
    assert "Hướng dẫn ghi sổ hộ tịch" in partial and "Đăng ký khai sinh" not in partial
    assert "<html" not in partial


def test_records_flagged_by_a_change_of_law_come_first_and_filter(client_for, citing, phap):
    supersede_123(phap)
    client = client_for(phap)
    html = client.get(QUEUE).content.decode()
    # The verified FAQ is back in the queue, flagged; the flagged records come before CT-301 (not flagged).
    assert "Xin trích lục khai sinh" in html and "văn bản bị thay thế" in html
    assert html.index("Đăng ký khai sinh") < html.index("Chứng thực bản sao")
    flagged = client.get(QUEUE + "?flagged=1").content.decode()
    assert "Đăng ký khai sinh" in flagged and "Chứng thực bản sao" not in flagged


def test_commune_officers_are_refused_the_queue_and_the_review(client_for, alice, citing):
    client = client_for(alice)
    assert client.get(QUEUE).status_code == 403
    assert client.get("/handbook/review/procedures/HT-301/").status_code == 403
    response = client.post("/handbook/review/procedures/HT-301/", {"action": "verified", "note": "ok"})
    assert response.status_code == 403
    assert Procedure.objects.get(code="HT-301").verification == "needs_verification"


def test_the_review_page_shows_the_record_beside_what_it_cites(client_for, citing, phap):
    supersede_123(phap)
    html = client_for(phap).get("/handbook/review/procedures/HT-301/").content.decode()
    assert "Văn bản được trích dẫn" in html and "123/2015/NĐ-CP" in html
    assert "đã bị thay thế" in html and "120/2025/NĐ-CP" in html
    assert "Dữ liệu thử" in html  # the record's source
    assert "Văn bản 123/2015/NĐ-CP đã bị thay thế bởi 120/2025/NĐ-CP" in html  # its verification note
    assert 'value="verified"' in html and 'value="changes"' in html
    land = client_for(phap).get("/handbook/review/procedures/DD-301/").content.decode()
    assert "Luật Đất đai năm 2024" in land and "chưa có trong danh mục" in land


def test_verified_records_the_reviewer_the_time_and_the_note(client_for, citing, phap):
    text = supersede_123(phap)
    client = client_for(phap)
    url = "/handbook/review/procedures/HT-301/"
    missing = client.post(url, {"action": "verified", "note": ""})
    assert missing.status_code == 400
    assert Procedure.objects.get(code="HT-301").verification == "needs_verification"
    response = client.post(url, {"action": "verified", "note": "Đối chiếu Nghị định 120/2025", "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    record = Procedure.objects.get(code="HT-301")
    assert record.verification == "verified" and record.verified_by == phap and record.verified_at
    assert record.verification_note == "Đối chiếu Nghị định 120/2025"
    flag = LegalFlag.objects.of(record).get(legal_text=text)
    assert flag.resolution == "verified" and flag.resolved_by == phap
    event = AuditEvent.objects.filter(object_type="handbook.procedure", object_id=str(record.pk)).latest("pk")
    assert event.actor == phap and event.changes["legal_flags_closed"] == ["123/2015/NĐ-CP"]


def test_changes_requested_keep_the_record_to_verify(client_for, citing, phap):
    client = client_for(phap)
    response = client.post(
        "/handbook/review/procedures/HT-302/", {"action": "changes", "note": "Thời hạn là 05 ngày làm việc"}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE + "?department=tu-phap"
    record = Procedure.objects.get(code="HT-302")
    assert record.verification == "needs_verification"
    assert record.verification_note.startswith("Cần sửa (Lê Pháp, ")
    assert record.verification_note.endswith("Thời hạn là 05 ngày làm việc")
    event = AuditEvent.objects.filter(object_type="handbook.procedure", object_id=str(record.pk)).latest("pk")
    assert event.changes["review"] == "changes_requested" and event.actor == phap


def test_an_expert_of_another_department_cannot_verify(client_for, citing, lam):
    client = client_for(lam)
    html = client.get("/handbook/review/procedures/HT-301/").content.decode()
    assert 'value="verified"' not in html and "Chỉ chuyên viên của sở, ngành chịu trách nhiệm" in html
    for action in ("verified", "changes"):
        response = client.post("/handbook/review/procedures/HT-301/", {"action": action, "note": "ok"})
        assert response.status_code == 403
    record = Procedure.objects.get(code="HT-301")
    assert record.verification == "needs_verification" and record.verified_by is None
    with pytest.raises(PermissionDenied):
        review.verify(lam, record, "ok")


def test_verification_always_names_a_person(citing):
    record = Procedure.objects.get(code="HT-301")
    with pytest.raises(PermissionDenied):
        review.verify(SYSTEM, record, "ok")
    with pytest.raises(PermissionDenied):
        review.request_changes(SYSTEM, record, "ok")


def test_an_archived_record_is_not_reviewed(citing, quan):
    record = Procedure.objects.get(code="HT-301")
    services.archive(quan, record)
    with pytest.raises(ValidationError):
        review.verify(quan, record, "ok")


def test_next_never_leaves_the_site(client_for, citing, phap):
    response = client_for(phap).post(
        "/handbook/review/procedures/HT-301/",
        {"action": "verified", "note": "ok", "next": "https://example.com/"},
    )
    assert response["Location"] == QUEUE + "?department=tu-phap"


def test_the_record_page_links_reviewers_to_the_review_page(client_for, citing, phap, alice):
    link = "/handbook/review/procedures/HT-301/"
    assert link in client_for(phap).get("/handbook/procedures/HT-301/").content.decode()
    assert link not in client_for(alice).get("/handbook/procedures/HT-301/").content.decode()


def test_the_queue_reads_a_fixed_number_of_queries(client_for, fields, tu_phap, quan):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        return len(ctx.captured_queries)

    client = client_for(quan)
    ProcedureFactory.create_batch(3, department=tu_phap)
    few = count()
    ProcedureFactory.create_batch(40, department=tu_phap)
    Guide.objects.create(**{k: v for k, v in guide_data("g-1").items() if k in ("slug", "handbook", "title")})
    assert count() == few
