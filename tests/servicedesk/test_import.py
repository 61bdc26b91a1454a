"""Importing the provincial one-stop system's CSV: all or nothing, errors by line, idempotent by code."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.core.models import AuditEvent, Job
from civicdesk.servicedesk import services
from civicdesk.servicedesk.models import CommuneMonthStat, Dossier
from tests.factories import SYSTEM

from .factories import vn

HEADER = (
    "code,commune_code,procedure_code,procedure_name,channel,received_at,due_at,finished_at,returned_at,"
    "status,supplement_requests,rating\n"
)
GOOD = HEADER + (
    "H68.1,25000,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,2025-10-08T10:00:00+07:00,"
    "2025-10-08T15:00:00+07:00,returned,0,5\n"
    "H68.2,25000,XYZ-77,Thủ tục mới của tỉnh,truc_tuyen,2025-10-06T02:00:00+00:00,2025-10-10T17:00:00+07:00,"
    ",,processing,1,\n"
    "H68.3,24787,HT-001,Đăng ký khai sinh,truc_tuyen_ho_tro,2025-10-07T08:00:00+07:00,2025-10-08T08:00:00+07:00,"
    "2025-10-09T08:00:00+07:00,,done,0,3\n"
)


@pytest.fixture
def places(di_linh, cam_ly, khai_sinh):
    return di_linh, cam_ly


def test_a_good_file_is_imported_with_due_dates_and_flags(places):
    result = services.import_dossiers(SYSTEM, GOOD)
    assert result.ok and (result.created, result.updated) == (3, 0)
    assert result.unknown_procedures == {"XYZ-77": 1}
    first = Dossier.objects.get(code="H68.1")
    assert first.due_at == vn(2025, 10, 9, 9) and first.due_source == "computed"  # 3 working days, computed
    assert first.is_on_time is True and first.rating == 5 and first.procedure_name == "Đăng ký khai sinh"
    second = Dossier.objects.get(code="H68.2")
    assert second.procedure is None and second.procedure_unknown and second.procedure_code == "XYZ-77"
    assert second.received_at == vn(2025, 10, 6, 9) and second.due_source == "imported"
    third = Dossier.objects.get(code="H68.3")
    assert third.is_on_time is False and third.province == third.commune.province
    assert CommuneMonthStat.objects.get(commune__code=25000).received == 2
    assert AuditEvent.objects.filter(action="import", object_type="servicedesk.dossier").count() == 1


def test_reimport_updates_instead_of_duplicating(places):
    services.import_dossiers(SYSTEM, GOOD)
    changed = GOOD.replace(",,,processing,1,", ",2025-10-09T09:00:00+07:00,,done,2,4")
    assert changed != GOOD
    result = services.import_dossiers(SYSTEM, changed)
    assert (result.created, result.updated) == (0, 3)
    assert Dossier.objects.count() == 3
    second = Dossier.objects.get(code="H68.2")
    assert (second.status, second.supplement_count, second.rating, second.is_on_time) == ("done", 2, 4, True)
    assert CommuneMonthStat.objects.get(commune__code=25000).finished == 2


def test_moving_a_dossier_to_another_commune_fixes_both_counters(places):
    services.import_dossiers(SYSTEM, GOOD)
    services.import_dossiers(SYSTEM, GOOD.replace("H68.1,25000", "H68.1,24787"))
    assert CommuneMonthStat.objects.get(commune__code=25000).received == 1
    assert CommuneMonthStat.objects.get(commune__code=24787).received == 2


def test_a_bad_file_writes_nothing_and_names_lines_and_columns(places):
    bad = GOOD + (
        "H68.1,25000,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,\n"  # duplicate code, line 5
        "H68.5,99999,HT-001,,fax,2025-10-06 09:00,,,,lost,-1,7\n"  # line 6: many errors
        "H68.6,25000,HT-001,,truc_tiep,2025-10-06T09:00:00,,,,received,0,\n"  # line 7: no offset
        "H68.7,25000,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,2025-10-05T09:00:00+07:00,,done,0,\n"
    )
    result = services.import_dossiers(SYSTEM, bad)
    assert not result.ok
    lines = result.error_lines()
    assert any(line.startswith("Dòng 5, cột code") and "lặp" in line for line in lines)
    for column in ("commune_code", "channel", "received_at", "status", "supplement_requests", "rating"):
        assert any(line.startswith(f"Dòng 6, cột {column}") for line in lines), column
    assert any(line.startswith("Dòng 7, cột received_at") and "múi giờ" in line for line in lines)
    assert any(line.startswith("Dòng 8, cột finished_at") for line in lines)
    assert not Dossier.objects.exists() and not CommuneMonthStat.objects.exists()


def test_missing_columns_are_reported_on_line_1(places):
    result = services.import_dossiers(SYSTEM, "code,commune_code\nX,25000\n")
    assert result.error_lines() == [
        "Dòng 1: thiếu cột: procedure_code, procedure_name, channel, received_at, due_at, finished_at, "
        "returned_at, status, supplement_requests, rating."
    ]


def test_status_done_needs_a_finish_time(places):
    row = "H68.9,25000,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,,,done,0,\n"
    result = services.import_dossiers(SYSTEM, HEADER + row)
    assert result.error_lines() == ["Dòng 2, cột finished_at: trạng thái “done” cần thời điểm có kết quả."]


def test_only_province_admins_of_that_province_import(places, alice, quan, other_province_commune):
    with pytest.raises(PermissionDenied):
        services.import_dossiers(alice, GOOD)
    other = GOOD + "H68.8,26734,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,\n"
    result = services.import_dossiers(quan, other)
    assert result.error_lines() == ["Dòng 5, cột commune_code: Phường Sài Gòn không thuộc tỉnh của bạn."]
    assert services.import_dossiers(quan, GOOD).created == 3


def test_dry_run_validates_without_writing(places):
    result = services.import_dossiers(SYSTEM, GOOD, dry_run=True)
    assert result.ok and result.rows == 3 and not Dossier.objects.exists()


def test_command_imports_and_reports(places, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    out = StringIO()
    call_command("dossiers", "import", str(path), stdout=out, stderr=StringIO())
    assert "3 hồ sơ mới" in out.getvalue() and "XYZ-77" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "H68.5,99999,HT-001,,truc_tiep,2025-10-06T09:00:00+07:00,,,,received,0,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="chưa ghi hồ sơ nào"):
        call_command("dossiers", "import", str(bad), stdout=StringIO(), stderr=err)
    assert "Dòng 5, cột commune_code" in err.getvalue()
    assert Dossier.objects.count() == 3
    out = StringIO()
    call_command("dossiers", "refresh-stats", stdout=out, stderr=StringIO())
    assert "Đã tính lại" in out.getvalue()


def test_import_page_runs_a_job_for_the_province_admin(
    client_for, quan, places, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(quan)
    assert client.get("/servicedesk/import/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/servicedesk/import/", {"file": SimpleUploadedFile("hoso.csv", GOOD.encode(), "text/csv")}
        )
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == "done" and job.result["created"] == 3


def test_import_page_is_refused_to_commune_and_department_users(client_for, alice, charlie, phap):
    for user in (alice, charlie, phap):
        assert client_for(user).get("/servicedesk/import/").status_code == 403
        assert client_for(user).post("/servicedesk/import/").status_code == 403
