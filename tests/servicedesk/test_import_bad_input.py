"""Issue 13 (item 6): bad cells in a one-stop export are named by line and column, in Vietnamese, and nothing is
written — in the service, the CLI and the background job of the web page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.core.models import Job
from civicdesk.servicedesk import services
from civicdesk.servicedesk.models import Dossier
from tests.factories import SYSTEM

from .test_import import GOOD, HEADER

ROW = "H9.{n},{commune},HT-001,,truc_tiep,{received},,,,processing,{supplements},\n"


def _row(n, commune="25000", received="2025-10-06T09:00:00+07:00", supplements="0"):
    return ROW.format(n=n, commune=commune, received=received, supplements=supplements)


@pytest.fixture
def places(di_linh, cam_ly, khai_sinh):
    return di_linh, cam_ly


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (_row(1, commune="2500²"), "commune_code", "không tồn tại"),
        (_row(2, supplements="²"), "supplement_requests", "không phải số lần"),
        (_row(3, received="0001-01-01T00:00:00+07:00"), "received_at", "ngoài khoảng"),
        (_row(4, received="9999-12-31T23:59:00-07:00"), "received_at", "ngoài khoảng"),
        (_row(5).replace("HT-001,,", "HT-001,Tên\x0bthủ tục,"), "procedure_name", "ký tự điều khiển"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(places, row, column, words):
    result = services.import_dossiers(SYSTEM, GOOD + row)
    assert not result.ok
    (line, col, message) = result.errors[0]
    assert (line, col) == (5, column) and words in message, result.errors
    assert not Dossier.objects.exists()


def test_a_cell_over_the_csv_limit_is_named_not_a_crash(places):
    huge = _row(1).replace("HT-001,,", "HT-001," + "x" * 140_000 + ",")
    result = services.import_dossiers(SYSTEM, GOOD + huge)
    assert result.error_lines() == ["Dòng 5: một ô dài quá 131.072 ký tự."]
    assert not Dossier.objects.exists()


def test_the_cli_names_the_line(places, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text(HEADER + _row(1, received="0001-01-01T00:00:00+07:00"), encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("dossiers", "import", str(path), stdout=StringIO(), stderr=stderr)
    assert "Dòng 2, cột received_at" in stderr.getvalue()


def test_the_web_pages_job_names_the_line_and_writes_nothing(
    client_for, quan, places, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    bad = GOOD + _row(1, commune="²")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(quan).post(
            "/servicedesk/import/", {"file": SimpleUploadedFile("hoso.csv", bad.encode(), "text/csv")}
        )
    job = Job.objects.get()
    assert job.status == "done" and any("Dòng 5, cột commune_code" in e for e in job.result["errors"])
    assert not Dossier.objects.exists()
