"""`civicdesk outreach`: the same import (atomic, line-numbered), the report in numbers, the retry of queued messages."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civicdesk.outreach.models import Target

from .conftest import CSV

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("outreach", *args, stdout=out)
    return out.getvalue()


def test_a_bad_file_is_refused_with_its_line_and_a_good_one_imported(campaign, thon2, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Ka Lim,0912 ABC,,,phone,Phiếu\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 4, cột phone"):
        run("import-targets", str(campaign.pk), str(bad))
    assert not Target.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(CSV, encoding="utf-8")
    assert "Tệp hợp lệ (chưa ghi): 2 dòng" in run("import-targets", str(campaign.pk), str(good), "--dry-run")
    assert not Target.objects.exists()
    assert "Đã nhập: 2 dòng, 2 người mới trong danh sách" in run(
        "import-targets", str(campaign.pk), str(good)
    )
    assert campaign.targets.count() == 2


def test_the_report_and_the_retry(listed, alice, campaign):
    from civicdesk.outreach import services

    services.record_attempt(alice, listed[0], channel="phone", outcome="guided_online")
    out = run("report", str(campaign.pk))
    assert "Người trong danh sách: 2; đã liên hệ: 1; liên hệ được: 1 (50.0 %)" in out
    assert "Đã thử gửi lại 0 tin nhắn." in run("retry-queued")
    with pytest.raises(CommandError, match="Không có chiến dịch"):
        run("report", "999999")
