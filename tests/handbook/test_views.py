"""Handbook pages: reading at the counter, editing and reviewing, and the refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.handbook import services
from civicdesk.handbook.models import Procedure
from tests.factories import SYSTEM

from .factories import GuideFactory, procedure_data


def test_officer_reads_the_procedure_laid_out_for_the_counter(client_for, alice, published):
    response = client_for(alice).get("/handbook/procedures/HT-100/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="checkbox"' in html and "Tờ khai" in html  # dossier checklist
    assert "Nộp hồ sơ tại bộ phận một cửa" in html and "Luật Hộ tịch 2014" in html
    assert "3 ngày làm việc" in html and "Theo Nghị quyết của HĐND tỉnh" in html
    assert "<svg" in html and "/cam-nang/thu-tuc/HT-100/" in html  # QR to the public page
    assert "Cần kiểm chứng" in html
    # No editing buttons for a commune officer.
    assert "/handbook/procedures/HT-100/edit/" not in html and "Gửi duyệt" not in html
    published.refresh_from_db()
    assert published.view_count == 1


def test_print_view_is_a_standalone_a4_page(client_for, alice, published):
    html = client_for(alice).get("/handbook/procedures/HT-100/print/").content.decode()
    assert "@page" not in html and "handbook.css" in html and "<svg" in html
    assert "topbar" not in html and "Giấy tờ cần mang" in html


def test_browse_by_field_and_search_without_accents(client_for, alice, published, draft):
    client = client_for(alice)
    html = client.get("/handbook/procedures/?field=ho_tich").content.decode()
    assert "Đăng ký khai sinh" in html and "Đăng ký kết hôn" not in html  # draft hidden from officers
    partial = client.get("/handbook/procedures/?q=khai+sinh", HTTP_HX_REQUEST="true").content.decode()
    assert "Đăng ký khai sinh" in partial and "<html" not in partial
    results = client.get("/handbook/search/?q=dang+ky+khai+sinh").content.decode()
    assert "Đăng ký khai sinh" in results
    assert "Đăng ký khai sinh" in client.get("/handbook/").content.decode()


def test_drafts_are_hidden_from_commune_officers(client_for, alice, charlie, draft):
    for user in (alice, charlie):
        client = client_for(user)
        assert client.get("/handbook/procedures/HT-200/").status_code == 404
        assert client.get("/handbook/procedures/HT-200/edit/").status_code == 404
        assert client.post("/handbook/procedures/HT-200/publish/").status_code == 404
        assert client.get("/handbook/procedures/HT-200/history/").status_code == 404


def test_commune_officers_are_refused_editing_published_content(client_for, charlie, published):
    client = client_for(charlie)
    assert client.get("/handbook/procedures/HT-100/edit/").status_code == 403
    assert client.post("/handbook/procedures/HT-100/edit/", procedure_form()).status_code == 403
    for action in ("submit", "publish", "archive", "verify"):
        assert client.post(f"/handbook/procedures/HT-100/{action}/").status_code == 403
    assert client.get("/handbook/procedures/HT-100/history/").status_code == 403
    assert client.get("/handbook/queue/").status_code == 403
    assert client.get("/handbook/procedure/new/").status_code == 404
    assert client.get("/handbook/procedures/new/").status_code == 403
    assert client.get("/handbook/import/").status_code == 403
    assert client.get("/handbook/export/").status_code == 403
    published.refresh_from_db()
    assert published.status == "published" and published.pending_revision is None


def procedure_form(**overrides):
    data = {
        "code": "HT-300",
        "name": "Cấp bản sao trích lục hộ tịch",
        "level": "xa",
        "field": "ho_tich",
        "agency": "UBND cấp xã",
        "steps": "Nộp tờ khai\nNhận bản sao",
        "legal_basis": "Luật Hộ tịch 2014",
        "verification": "needs_verification",
        "keywords": "ban sao trich luc, trích lục",
        "m-truc_tiep-enabled": "on",
        "m-truc_tiep-processing_days": "0",
        "m-truc_tiep-processing_text": "Trong ngày",
        "m-truc_tiep-fee_text": "Theo Nghị quyết của HĐND tỉnh",
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-0-name": "Tờ khai",
        "c-0-original": "1",
        "c-0-required": "on",
        "c-1-name": "",
        "note": "Thêm mới",
    }
    data.update(overrides)
    return data


def test_an_expert_drafts_and_a_reviewer_publishes_through_the_pages(
    client_for, fields, tu_phap, phap, phap2
):
    client = client_for(phap)
    response = client.post("/handbook/procedures/new/", procedure_form())
    assert response.status_code == 302 and response.url == "/handbook/procedures/HT-300/"
    procedure = Procedure.objects.get(code="HT-300")
    assert procedure.status == "draft" and procedure.methods[0]["processing_days"] == 0
    assert procedure.components == [
        {"name": "Tờ khai", "original": 1, "copy": 0, "form": None, "required": True, "note": ""}
    ]
    assert procedure.keywords == ["ban sao trich luc", "trích lục"]
    page = client.get("/handbook/procedures/HT-300/").content.decode()
    assert "Gửi duyệt" in page
    client.post("/handbook/procedures/HT-300/submit/", {"reviewer": phap2.pk})
    page = client.get("/handbook/procedures/HT-300/").content.decode()
    assert "không thể tự duyệt" in page and "Duyệt và công bố" not in page
    assert client.post("/handbook/procedures/HT-300/publish/").status_code == 403

    reviewer = client_for(phap2)
    assert "HT-300" in reviewer.get("/handbook/queue/").content.decode()
    assert reviewer.post("/handbook/procedures/HT-300/publish/").status_code == 302
    procedure.refresh_from_db()
    assert procedure.status == "published"
    history = reviewer.get("/handbook/procedures/HT-300/history/").content.decode()
    assert "Lê Pháp" in history and "Trần Duyệt" in history and "Công bố" in history


def test_an_expert_of_another_department_cannot_review(client_for, draft, phap, lam):
    services.submit_for_review(phap, draft)
    client = client_for(lam)
    assert client.get("/handbook/procedures/HT-200/").status_code == 404  # not her department's draft
    services.publish(SYSTEM, draft)  # published (by the system), then edited: a pending change in review
    services.save_record(phap, draft, procedure_data("HT-200", name="Đăng ký kết hôn (sửa)"))
    services.submit_for_review(phap, draft)
    page = client.get("/handbook/procedures/HT-200/").content.decode()
    assert "Duyệt và công bố" not in page
    assert client.post("/handbook/procedures/HT-200/publish/").status_code == 403
    assert client.post("/handbook/procedures/HT-200/return/", {"reason": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.name == "Đăng ký kết hôn" and draft.workflow_state == "in_review"


def test_invalid_form_keeps_what_was_typed(client_for, fields, tu_phap, phap):
    response = client_for(phap).post(
        "/handbook/procedures/new/", procedure_form(code="HT 300!", name="Thủ tục đang gõ dở")
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Thủ tục đang gõ dở" in html and "errorlist" in html
    assert "chỉ gồm chữ không dấu" in html
    assert not Procedure.objects.exists()


def test_editing_a_published_record_shows_the_pending_change_and_diff(client_for, published, phap):
    client = client_for(phap)
    form = procedure_form(code="HT-100", name="Đăng ký khai sinh (đúng hạn)", note="Làm rõ tên")
    assert client.post("/handbook/procedures/HT-100/edit/", form).status_code == 302
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh"
    page = client.get("/handbook/procedures/HT-100/").content.decode()
    assert "Có thay đổi đang soạn" in page
    number = published.pending_revision.number
    diff = client.get(f"/handbook/procedures/HT-100/history/{number}/?against=live").content.decode()
    assert 'class="add"' in diff and "Đăng ký khai sinh (đúng hạn)" in diff and 'class="del"' in diff


def test_guide_markdown_is_rendered_and_sanitised(client_for, alice, fields):
    GuideFactory(
        slug="vneid",
        title="Đăng nhập VNeID",
        sections=[{"heading": "Bước 1", "body": "**Mở** ứng dụng <script>alert(1)</script>\n\n- một\n- hai"}],
    )
    html = client_for(alice).get("/handbook/guides/vneid/").content.decode()
    assert "<strong>Mở</strong>" in html and "<li>một</li>" in html and "<script>alert" not in html


def test_import_page_with_one_bad_line_changes_nothing(client_for, quan, fields):
    good = '{"kind": "guide", "slug": "a", "handbook": "technology", "title": "A", "sections": [{"heading": "h", "body": "b"}]}'
    upload = SimpleUploadedFile(
        "cam-nang.jsonl", (good + "\n" + good.replace('"title": "A"', '"title": ""')).encode()
    )
    response = client_for(quan).post("/handbook/import/", {"file": upload})
    assert response.status_code == 400 and "dòng 2, trường title" in response.content.decode()


def test_import_page_starts_a_job_for_a_valid_file(
    client_for, quan, fields, django_capture_on_commit_callbacks
):
    line = '{"kind": "guide", "slug": "a", "handbook": "technology", "title": "A", "sections": [{"heading": "h", "body": "b"}]}'
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(quan).post(
            "/handbook/import/", {"file": SimpleUploadedFile("a.jsonl", line.encode())}
        )
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    from civicdesk.core.models import Job

    assert Job.objects.get().status == "done"


def test_export_download(client_for, quan, published):
    response = client_for(quan).get("/handbook/export/?format=jsonl")
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and '"id": "procedure:HT-100"' in body


@pytest.mark.parametrize("path", ["/handbook/", "/handbook/guides/", "/handbook/faqs/", "/handbook/search/"])
def test_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_home_panel_and_nav(client_for, alice, phap, published):
    html = client_for(alice).get("/").content.decode()
    assert "Cẩm nang" in html and "Đăng ký khai sinh" in html and "Biên tập" not in html
    html = client_for(phap).get("/").content.decode()
    assert "/handbook/queue/" in html and "cần kiểm chứng" in html


def test_guide_and_faq_forms_create_drafts(client_for, quan, fields, tu_phap):
    client = client_for(quan)
    guide = {
        "slug": "nop-ho-so-truc-tuyen",
        "handbook": "technology",
        "title": "Nộp hồ sơ trực tuyến",
        "audience": "citizens",
        "tags": "DVC, VNeID",
        "verification": "needs_verification",
        "department": "tu-phap",
        "s-TOTAL_FORMS": "2",
        "s-INITIAL_FORMS": "0",
        "s-0-heading": "Đăng nhập",
        "s-0-body": "Dùng **VNeID** mức 2.",
        "s-1-heading": "",
        "s-1-body": "",
    }
    assert client.post("/handbook/guides/new/", guide).status_code == 302
    faq = {
        "slug": "nop-o-dau",
        "question": "Nộp hồ sơ ở đâu?",
        "answer": "Tại Trung tâm phục vụ hành chính công.",
        "field": "ho_tich",
        "sources": "Luật Hộ tịch 2014",
        "verification": "needs_verification",
    }
    assert client.post("/handbook/faqs/new/", faq).status_code == 302
    from civicdesk.handbook.models import Faq, Guide

    created = Guide.objects.get(slug="nop-ho-so-truc-tuyen")
    assert created.sections == [{"heading": "Đăng nhập", "body": "Dùng **VNeID** mức 2."}]
    assert created.tags == ["DVC", "VNeID"] and created.department == tu_phap and created.status == "draft"
    assert Faq.objects.get(slug="nop-o-dau").department == tu_phap  # from the field
    edit = client.get("/handbook/guides/nop-ho-so-truc-tuyen/edit/").content.decode()
    assert "Dùng **VNeID** mức 2." in edit


def test_unpublished_guides_faqs_and_history_are_refused(client_for, alice, charlie, draft, phap, fields):
    GuideFactory(slug="nhap", status="draft")
    from .factories import FaqFactory

    FaqFactory(slug="hoi-nhap", status="draft")
    for user in (alice, charlie):
        client = client_for(user)
        assert client.get("/handbook/guides/nhap/").status_code == 404
        assert client.get("/handbook/faqs/hoi-nhap/").status_code == 404
        assert client.get("/handbook/procedures/HT-200/print/").status_code == 404
        assert client.get("/handbook/procedures/HT-200/history/1/").status_code == 404
        assert client.post("/handbook/procedures/HT-200/history/1/restore/").status_code == 404
    assert client_for(phap).get("/handbook/procedures/HT-200/history/1/").status_code == 200


def test_restore_is_refused_to_readers_of_published_content(client_for, charlie, published):
    client = client_for(charlie)
    assert client.get("/handbook/procedures/HT-100/history/1/").status_code == 403
    assert client.post("/handbook/procedures/HT-100/history/1/restore/").status_code == 403
