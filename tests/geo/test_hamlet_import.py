import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.geo.models import Hamlet
from civicdesk.geo.services import import_hamlets

GOOD = "commune_code,name,kind,lat,lon,population\n25000,Thôn 1,thon,11.58,108.07,900\n24787,Tổ dân phố 2,to_dan_pho,,,\n"


def test_import_creates_then_updates(quan, di_linh, cam_ly):
    report = import_hamlets(quan, GOOD)
    assert report.ok and report.created == 2
    report = import_hamlets(quan, GOOD.replace(",900", ",950"))
    assert report.ok and report.updated == 2 and report.created == 0
    assert Hamlet.objects.get(name="Thôn 1").population == 950


def test_one_bad_line_writes_nothing_and_names_the_line(quan, di_linh, cam_ly):
    text = GOOD + "99999,Thôn X,thon,,,\n25000,,thon,,,\n25000,Thôn 9,lang,abc,,\n25000,Thôn 1,thon,,,\n"
    report = import_hamlets(quan, text)
    assert not report.ok
    joined = "\n".join(report.errors)
    assert "Dòng 4" in joined and "99999" in joined
    assert "Dòng 5" in joined and "thiếu tên" in joined
    assert "Dòng 6" in joined and "lang" in joined and "abc" in joined
    assert "Dòng 7" in joined and "lặp" in joined
    assert not Hamlet.objects.exists()


def test_missing_columns(quan):
    report = import_hamlets(quan, "ma,ten\n1,2\n")
    assert report.errors and "Dòng 1" in report.errors[0]


def test_officer_cannot_import_into_another_commune(alice, di_linh, cam_ly):
    report = import_hamlets(alice, GOOD)
    assert not report.ok and any("Dòng 3" in e for e in report.errors)
    assert not Hamlet.objects.exists()


def test_command(tmp_path, di_linh, cam_ly, capsys):
    path = tmp_path / "thon.csv"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    call_command("import_hamlets", str(path), "--dry-run")
    assert not Hamlet.objects.exists()
    call_command("import_hamlets", str(path))
    assert Hamlet.objects.count() == 2
    path.write_text(GOOD + "1,,x,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_hamlets", str(path))


def test_upload_page_reports_errors_and_keeps_nothing(client_for, quan, di_linh, cam_ly):
    client = client_for(quan)
    bad = SimpleUploadedFile("thon.csv", (GOOD + "25000,,thon,,,\n").encode())
    response = client.post("/communes/hamlets/import/", {"file": bad})
    assert response.status_code == 400 and "Dòng 4" in response.content.decode()
    assert not Hamlet.objects.exists()
    good = SimpleUploadedFile("thon.csv", GOOD.encode())
    assert client.post("/communes/hamlets/import/", {"file": good}).status_code == 302
    assert Hamlet.objects.count() == 2
