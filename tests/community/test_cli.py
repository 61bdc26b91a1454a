"""`civicdesk community …`: the import refuses a bad file naming the line, coverage lists who lacks speakers, and
match-week prints the plan (and assigns it with --assign)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.community import services
from civicdesk.community.models import Accompaniment, Person


@pytest.mark.django_db
def test_import_people(tmp_path, camly, hamlets):
    good = tmp_path / "nguoi.csv"
    good.write_text(
        "kind,full_name,hamlet,language,speaking,listening\nofficial,Ka Lan,Tổ dân phố 7,kpm,4,4\n"
    )
    out = io.StringIO()
    call_command("community", "import-people", str(camly.code), str(good), stdout=out)
    assert "Người mới: 1" in out.getvalue()
    assert Person.objects.get(full_name="Ka Lan").languages.get().speaking == 4
    bad = tmp_path / "sai.csv"
    bad.write_text("kind,full_name,language\nofficial,Ka Binh,tieng la\n")
    with pytest.raises(CommandError, match="Dòng 2, cột language"):
        call_command("community", "import-people", str(camly.code), str(bad))


@pytest.mark.django_db
def test_coverage_and_match_week(charlie, citizen, officer, camly):
    out = io.StringIO()
    call_command("community", "coverage", stdout=out)
    assert "Phường Cam Ly - Đà Lạt" in out.getvalue() and "Chu Ru (thiếu 1)" in out.getvalue()
    acc = services.request_accompaniment(
        charlie,
        commune=camly,
        citizen=citizen,
        language="kpm",
        date=citizen.created_at.date(),
        procedure_name="x",
    )
    out = io.StringIO()
    call_command("community", "match-week", str(camly.code), "--week", "2026-03-02", stdout=out)
    assert "1/1 đề nghị có người" in out.getvalue() and Accompaniment.objects.get(pk=acc.pk).status == "open"
    call_command(
        "community", "match-week", str(camly.code), "--week", "2026-03-02", "--assign", stdout=io.StringIO()
    )
    assert Accompaniment.objects.get(pk=acc.pk).assignee == officer
