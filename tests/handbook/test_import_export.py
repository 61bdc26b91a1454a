"""Import validates everything first, names the line and field, writes all or nothing, and round-trips with export."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.handbook.models import Guide, Procedure
from civicdesk.handbook.records import export_data
from civicdesk.handbook.services import import_records, import_text
from tests.factories import SYSTEM

from .factories import guide_data, procedure_data


def jsonl(*records):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def test_import_creates_then_is_idempotent_by_code(fields, tu_phap):
    records = [procedure_data("HT-001"), procedure_data("HT-002", related=["HT-001"]), guide_data()]
    report = import_records(records, source_name="thu.json", actor=SYSTEM)
    assert report.ok and report.created == 3
    assert list(Procedure.objects.get(code="HT-001").related.values_list("code", flat=True)) == ["HT-002"]
    again = import_records(records, actor=SYSTEM)
    assert again.created == 0 and again.updated == 0 and again.unchanged == 3
    changed = import_records([procedure_data("HT-001", name="Tên đã sửa")], actor=SYSTEM)
    assert changed.updated == 1 and Procedure.objects.get(code="HT-001").name == "Tên đã sửa"
    assert Procedure.objects.count() == 2 and Guide.objects.get().status == "published"


def test_one_bad_line_writes_nothing_and_names_line_and_field(fields):
    text = jsonl(
        procedure_data("HT-001"),
        procedure_data("HT-002"),
        procedure_data("HT-003", level="huyen"),
        procedure_data("HT-004", field="khong_co", related=["XX-999"]),
        procedure_data("HT-001"),
    )
    report = import_text(text, actor=SYSTEM)
    assert not report.ok
    assert any(e.startswith("dòng 3, trường level:") and "huyen" in e for e in report.errors)
    assert any(e.startswith("dòng 4, trường field:") for e in report.errors)
    assert any(e.startswith("dòng 4, trường related:") and "XX-999" in e for e in report.errors)
    assert any(e.startswith("dòng 5, trường code:") and "dòng 1" in e for e in report.errors)
    assert not any(e.startswith(("dòng 1,", "dòng 2,")) for e in report.errors)
    assert not Procedure.objects.exists()


def test_errors_in_a_json_array_name_the_line_where_the_record_starts(fields):
    text = json.dumps(
        [procedure_data("HT-001"), procedure_data("HT-002", methods=[{"method": "fax"}])], indent=1
    )
    report = import_text(text, actor=SYSTEM)
    second_line = text.splitlines().index(" {", 2) + 1
    assert report.errors[0].startswith(f"dòng {second_line}, trường methods[1].method:")
    assert not Procedure.objects.exists()


def test_broken_json_is_reported_with_its_line(fields):
    report = import_text(jsonl(procedure_data("HT-001")) + '{"kind": "procedure", "code": \n', actor=SYSTEM)
    assert report.errors and report.errors[0].startswith("dòng 2,")


def test_schema_details_are_checked(fields):
    bad = procedure_data(
        "HT-001",
        methods=[{"method": "truc_tiep", "processing_days": "ba ngày"}, {"method": "truc_tiep"}],
        components=[{"name": "", "original": -1}],
        online_url="http://example.test/nop",
        colour="đỏ",
    )
    errors = "\n".join(import_records([bad], actor=SYSTEM).errors)
    for expected in (
        "methods[1].processing_days",
        "methods[2].method",
        "components[1].name",
        "components[1].original",
        "online_url",
        "trường colour",
    ):
        assert expected in errors


def test_the_national_database_field_names_are_mapped(fields, tu_phap):
    record = {
        "Mã thủ tục": "1.001193",
        "Tên thủ tục": "Thủ tục đăng ký khai sinh",
        "Cấp thực hiện": "Cấp Xã",
        "Lĩnh vực": "Hộ tịch",
        "Trình tự thực hiện": "Bước 1: Nộp hồ sơ\nBước 2: Nhận kết quả",
        "Cách thức thực hiện": [
            {
                "Hình thức nộp": "Trực tiếp",
                "Thời hạn giải quyết": "Trong 05 ngày làm việc",
                "Phí, lệ phí": "Miễn",
            }
        ],
        "Thành phần hồ sơ": [
            {"Tên giấy tờ": "Tờ khai", "Mẫu đơn, tờ khai": "Mẫu TK", "Số lượng": "Bản chính: 1"}
        ],
        "Đối tượng thực hiện": ["Công dân Việt Nam", "Người nước ngoài"],
        "Cơ quan thực hiện": "Ủy ban nhân dân cấp xã",
        "Kết quả thực hiện": "Giấy khai sinh",
        "Căn cứ pháp lý": "Luật Hộ tịch 2014; Bộ luật Dân sự 2015",
        "Yêu cầu, điều kiện": "Không",
        "Số quyết định công bố": "Quyết định thử",
        "Mức độ dịch vụ công trực tuyến": "Toàn trình",
    }
    report = import_records([record], actor=SYSTEM)
    assert report.ok, report.errors
    p = Procedure.objects.get(code="1.001193")
    assert (p.national_code, p.level, p.field.code, p.online_level) == (
        "1.001193",
        "xa",
        "ho_tich",
        "toan_trinh",
    )
    assert p.steps == ["Bước 1: Nộp hồ sơ", "Bước 2: Nhận kết quả"]
    assert p.methods[0]["method"] == "truc_tiep" and p.methods[0]["processing_days"] == 5
    assert p.components[0] == {
        "name": "Tờ khai",
        "original": 1,
        "copy": 0,
        "form": "Mẫu TK",
        "required": True,
        "note": "",
    }
    assert p.legal_basis == ["Luật Hộ tịch 2014", "Bộ luật Dân sự 2015"]
    assert p.applicants == "Công dân Việt Nam; Người nước ngoài"
    assert p.department == tu_phap and p.decision == "Quyết định thử"


def test_who_may_import(fields, tu_phap, nnmt, phap, alice):
    with pytest.raises(PermissionDenied):
        import_records([procedure_data("HT-001")], actor=alice)
    report = import_records([procedure_data("HT-001"), procedure_data("DD-001", field="dat_dai")], actor=phap)
    assert report.errors == [
        "dòng 2, trường department: bạn không có quyền nhập nội dung của sở, ngành khác."
    ]
    assert not Procedure.objects.exists()
    assert import_records([procedure_data("HT-001")], actor=phap).created == 1


def test_export_jsonl_has_one_published_record_a_line(published, draft):
    out = io.StringIO()
    call_command("handbook", "export", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {
            "id": "procedure:HT-100",
            "kind": "procedure",
            "title": "Đăng ký khai sinh",
            "text": lines[0]["text"],
            "url": "/handbook/procedures/HT-100/",
        }
    ]
    text = lines[0]["text"]
    assert "Trình tự thực hiện:" in text and "Tờ khai" in text and "Luật Hộ tịch 2014" in text


def test_export_json_round_trips_through_import(tmp_path, fields, tu_phap, phap):
    import_records(
        [procedure_data("HT-001", related=["HT-002"]), procedure_data("HT-002"), guide_data()], actor=SYSTEM
    )
    from civicdesk.handbook.services import mark_verified

    mark_verified(phap, Procedure.objects.get(code="HT-002"))
    path = tmp_path / "cam-nang.json"
    call_command("handbook", "export", "--format", "json", "--output", str(path))
    before = {(r.kind, r.key): export_data(r) for r in [*Procedure.objects.all(), *Guide.objects.all()]}
    Procedure.objects.all().delete()
    Guide.objects.all().delete()
    call_command("handbook", "import", str(path), stdout=io.StringIO())
    after = {(r.kind, r.key): export_data(r) for r in [*Procedure.objects.all(), *Guide.objects.all()]}
    assert after == before
    path2 = tmp_path / "lan-2.json"
    call_command("handbook", "export", "--format", "json", "--output", str(path2))
    assert path2.read_text() == path.read_text()


def test_import_command_reports_errors_and_writes_nothing(tmp_path, fields):
    path = tmp_path / "loi.jsonl"
    path.write_text(jsonl(procedure_data("HT-001"), procedure_data("HT-002", name="")), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("handbook", "import", str(path), stderr=err)
    assert "dòng 2, trường name" in err.getvalue()
    assert not Procedure.objects.exists()
    out = io.StringIO()
    path.write_text(jsonl(procedure_data("HT-001")), encoding="utf-8")
    call_command("handbook", "import", str(path), "--dry-run", stdout=out)
    assert "chạy thử" in out.getvalue() and not Procedure.objects.exists()
    call_command("handbook", "import", str(path), stdout=out)
    assert Procedure.objects.count() == 1


def test_an_import_runs_the_publish_hooks_once(fields):
    from civicdesk.handbook import services

    seen = []
    services.on_publish_hooks.append(seen.append)
    try:
        import_records(
            [procedure_data("HT-001"), procedure_data("HT-002"), guide_data(status="draft")], actor=SYSTEM
        )
        import_records(
            [procedure_data("HT-001"), procedure_data("HT-002")], actor=SYSTEM
        )  # unchanged: no call
    finally:
        services.on_publish_hooks.remove(seen.append)
    assert [r.code for r in seen] == ["HT-002"]


def test_the_system_cannot_vouch_for_a_record_a_person_can(fields, tu_phap, phap):
    """A record loaded as "verified" with no date of a check: from the seed (the system) it waits for an editor;
    imported by an expert, it is verified by them, today."""
    import_records([procedure_data("HT-401", verification="verified")], actor=SYSTEM)
    seeded = Procedure.objects.get(code="HT-401")
    assert (seeded.verification, seeded.verified_at, seeded.verified_by) == ("needs_verification", None, None)
    import_records([procedure_data("HT-402", verification="verified")], actor=phap)
    imported = Procedure.objects.get(code="HT-402")
    assert imported.verification == "verified" and imported.verified_by == phap and imported.verified_at
