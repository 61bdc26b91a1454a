"""Issue 3 — Handbook. "Done when": the seed corpus loads in the demo; an editor in a department drafts, a reviewer
publishes, the history shows both; import of a file with one bad line changes nothing and names the line;
export → import round-trips; an officer of one commune cannot publish; an expert of another department cannot
review."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import html, submit

FAQ_SLUG = "khai-sinh-cho-tre-sinh-o-nuoc-ngoai"


def test_seed_corpus_is_in_the_demo(login_as):
    from civicdesk.handbook.models import Guide, Procedure

    procedures = Procedure.objects.published()
    assert procedures.count() >= 60
    assert procedures.values("field").distinct().count() >= 10
    assert Guide.objects.published().count() >= 30
    client = login_as("dilinh.canbo")
    catalogue = html(client.get("/handbook/procedures/"))
    assert "Đăng ký khai sinh" in catalogue and "Đăng ký kết hôn" in catalogue
    page = client.get("/handbook/procedures/HT-001/")
    assert page.status_code == 200
    text = html(page)
    assert "Giấy chứng sinh" in text or "giấy chứng sinh" in text  # the documents checklist
    assert client.get("/handbook/procedures/HT-001/print/").status_code == 200
    assert client.get("/cam-nang/thu-tuc/HT-001/").status_code == 200  # citizens' public page


def _draft_faq(client):
    """tuphap.chuyenvien fills the new-FAQ form as the page renders it."""
    form_page = client.get("/handbook/faqs/new/")
    assert form_page.status_code == 200
    response = submit(
        client,
        form_page,
        {
            "slug": FAQ_SLUG,
            "question": "Trẻ sinh ở nước ngoài về nước cư trú thì đăng ký khai sinh ở đâu?",
            "answer": "Đăng ký tại UBND cấp xã nơi cư trú của cha hoặc mẹ, theo thủ tục khai sinh có yếu tố nước ngoài.",
            "field": "ho_tich",
            "related_procedures": "HT-003",
        },
        contains="question",
    )
    assert response.status_code == 200, html(response)[:3000]
    return response


def test_editor_drafts_reviewer_publishes_history_shows_both(client, login_as, users):
    from civicdesk.handbook.models import Faq

    author = login_as("tuphap.chuyenvien")
    page = _draft_faq(author)
    faq = Faq.objects.get(slug=FAQ_SLUG)
    assert faq.status == "draft"
    assert page.redirect_chain[-1][0] == faq.get_absolute_url()
    # the author sends it for review from the record page's button
    page = submit(author, page, action=f"/handbook/faqs/{FAQ_SLUG}/submit/")
    faq.refresh_from_db()
    assert faq.status == "in_review", html(page)[:2000]
    # four eyes: the author cannot publish their own change
    refused = author.post(f"/handbook/faqs/{FAQ_SLUG}/publish/", follow=True)
    faq.refresh_from_db()
    assert faq.status == "in_review" and refused.status_code in (200, 403)
    queue = html(author.get("/handbook/queue/"))
    assert "Trẻ sinh ở nước ngoài" in queue

    reviewer = login_as("biepphai.chuyenvien")  # a second Sở Tư pháp expert
    assert "Trẻ sinh ở nước ngoài" in html(reviewer.get("/handbook/queue/"))
    record_page = reviewer.get(f"/handbook/faqs/{FAQ_SLUG}/")
    published = submit(reviewer, record_page, action=f"/handbook/faqs/{FAQ_SLUG}/publish/")
    assert published.status_code == 200
    faq.refresh_from_db()
    assert faq.status == "published"

    history = html(reviewer.get(f"/handbook/faqs/{FAQ_SLUG}/history/"))
    assert users["tuphap.chuyenvien"].full_name in history
    assert users["biepphai.chuyenvien"].full_name in history
    # the citizens' public page now shows it
    client.logout()
    assert client.get(f"/cam-nang/hoi-dap/{FAQ_SLUG}/").status_code == 200


def test_commune_officer_and_other_department_cannot_publish(login_as):
    from civicdesk.handbook.models import Faq

    author = login_as("tuphap.chuyenvien")
    page = _draft_faq(author)
    submit(author, page, action=f"/handbook/faqs/{FAQ_SLUG}/submit/")
    faq = Faq.objects.get(slug=FAQ_SLUG)
    assert faq.status == "in_review"

    officer = login_as("dilinh.canbo")
    assert officer.get("/handbook/faqs/new/").status_code == 403
    assert officer.post(f"/handbook/faqs/{FAQ_SLUG}/publish/").status_code in (403, 404)
    other = login_as("nnmt.chuyenvien")
    assert other.post(f"/handbook/faqs/{FAQ_SLUG}/publish/").status_code in (403, 404)
    faq.refresh_from_db()
    assert faq.status == "in_review"


def _state():
    from civicdesk.handbook.models import Faq, Guide, Procedure

    return [
        sorted((m.key, m.status, m.updated_at.isoformat()) for m in model.objects.all())
        for model in (Procedure, Guide, Faq)
    ]


def test_import_with_one_bad_line_changes_nothing_and_names_the_line(tmp_path, demo):
    good = {
        "kind": "faq", "slug": "hoi-dap-nhap-thu-1", "question": "Câu hỏi nhập thử một?",
        "answer": "Trả lời một.", "field": "ho_tich", "sources": ["Luật Hộ tịch 2014"], "related_procedures": [],
    }  # fmt: skip
    bad = {**good, "slug": "hoi-dap-nhap-thu-2", "question": ""}  # line 2: no question
    third = {**good, "slug": "hoi-dap-nhap-thu-3", "question": "Câu hỏi ba?"}
    path = tmp_path / "cam-nang.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (good, bad, third)) + "\n")
    before = _state()
    err = __import__("io").StringIO()
    with pytest.raises(CommandError):
        call_command("handbook", "import", str(path), stderr=err)
    assert "dòng 2" in err.getvalue() and "question" in err.getvalue(), err.getvalue()
    assert "dòng 1" not in err.getvalue() and "dòng 3" not in err.getvalue()
    assert _state() == before


def test_import_page_names_the_bad_line_and_writes_nothing(login_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login_as("tuphap.chuyenvien")
    lines = [
        {"kind": "faq", "slug": "hoi-dap-trang-1", "question": "Một?", "answer": "Một.", "field": "ho_tich"},
        {"kind": "faq", "slug": "hoi-dap-trang-2", "question": "Hai?", "answer": "Hai.", "field": "khong_co"},
    ]
    before = _state()
    upload = SimpleUploadedFile(
        "nhap.jsonl",
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode(),
        "application/x-ndjson",
    )
    page = client.get("/handbook/import/")
    response = submit(client, page, files={"file": upload}, contains="file")
    assert response.status_code == 400
    text = html(response)
    assert "dòng 2" in text and "field" in text
    assert _state() == before


def _export(path):
    from io import StringIO

    call_command("handbook", "export", "--format", "json", "--output", str(path), stderr=StringIO())
    return json.loads(path.read_text())


def test_export_import_round_trips(tmp_path, demo):
    """export --format json → import → export gives the same records, and a second import changes nothing."""
    from io import StringIO

    from civicdesk.handbook.models import Faq, Guide, Procedure

    records = _export(tmp_path / "cam-nang.json")
    assert len(records) == Procedure.objects.published().count() + Guide.objects.published().count() + (
        Faq.objects.published().count()
    )
    out = StringIO()
    call_command("handbook", "import", str(tmp_path / "cam-nang.json"), stdout=out)
    assert "0 mới" in out.getvalue()
    assert _export(tmp_path / "again.json") == records
    before = _state()
    out = StringIO()
    call_command("handbook", "import", str(tmp_path / "again.json"), stdout=out)
    assert f"0 mới, 0 cập nhật, {len(records)} không đổi" in out.getvalue(), out.getvalue()
    assert _state() == before


def test_importing_an_export_of_the_current_handbook_changes_nothing(tmp_path, demo):
    from io import StringIO

    records = _export(tmp_path / "cam-nang.json")
    before = _state()
    out = StringIO()
    call_command("handbook", "import", str(tmp_path / "cam-nang.json"), stdout=out)
    assert f"0 mới, 0 cập nhật, {len(records)} không đổi" in out.getvalue(), out.getvalue()
    assert _state() == before


def test_jsonl_export_format(demo):
    from io import StringIO

    out = StringIO()
    call_command("handbook", "export", "--format", "jsonl", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    assert len(lines) >= 60 + 30
    assert all(set(line) == {"id", "kind", "title", "text", "url"} for line in lines)
    assert {line["kind"] for line in lines} == {"procedure", "guide", "faq"}
    birth = next(line for line in lines if line["url"].endswith("/HT-001/"))
    assert "khai sinh" in birth["text"].lower()
