"""The monthly scorecard e-mail: once per province and month, the PDF attached, retries that do not resend."""

import logging
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from civicdesk.servicedesk import services, tasks
from civicdesk.servicedesk.models import ScorecardReport
from tests.factories import UserFactory
from tests.pdftext import flat

from .factories import DossierFactory, vn

# Monday 1 December 2025 is the first working day of December: the report is November 2025's.
REPORT_DAY = vn(2025, 12, 1, 7, 30)


@pytest.fixture
def data(di_linh, cam_ly, khai_sinh, quan, other_province_commune):
    quan.email = "quan@lamdong.example"
    quan.save()
    UserFactory(username="quan2", full_name="Lê Quản Hai", role="province_admin", province=quan.province,
                email="quan2@lamdong.example")  # fmt: skip
    # Hồ Chí Minh has a province admin without an e-mail address: skipped, not recorded.
    UserFactory(username="hcm", full_name="Phạm Sài Gòn", role="province_admin",
                province=other_province_commune.province, email="")  # fmt: skip
    DossierFactory(commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 11, 3, 9), finished_at=vn(2025, 11, 4, 9),
                   is_on_time=True, documents_digitised=True)  # fmt: skip
    DossierFactory(commune=cam_ly, procedure=khai_sinh, received_at=vn(2025, 10, 6, 9), finished_at=vn(2025, 10, 9, 9),
                   is_on_time=False)  # fmt: skip


@time_machine.travel(REPORT_DAY, tick=False)
def test_the_job_sends_once_per_province_and_month_with_the_pdf(data, caplog):
    caplog.set_level(logging.INFO)
    result = tasks.send_monthly_scorecard_reports.call_local()
    assert result["month"] == "2025-11-01"
    assert result["outcomes"] == {"sent": [68], "no_recipient": [79]}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["quan2@lamdong.example", "quan@lamdong.example"]
    assert message.subject == "Bảng điểm phục vụ người dân tháng 11/2025 — tỉnh Lâm Đồng"
    assert "1. Công khai, minh bạch: chưa đo được" in message.body
    # November: Di Linh's one dossier (on time, digitised); October's Cam Ly dossier is the previous month.
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn 100,0% (tháng trước 0,0%)" in message.body
    assert "Tỷ lệ hồ sơ được số hóa thành phần khi tiếp nhận 100,0%" in message.body
    assert "/servicedesk/scorecard/?date_from=2025-11-01&date_to=2025-11-30" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "bang-diem-766-lam-dong-11-2025.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    text = flat(content)
    assert "Bảng điểm phục vụ người dân — tỉnh Lâm Đồng" in text and "Xếp hạng" in text
    assert "Hồ sơ tiếp nhận từ 01/11/2025 đến 30/11/2025; kỳ trước: 01/10/2025–31/10/2025." in text
    report = ScorecardReport.objects.get()
    assert (report.province.code, report.month.isoformat(), report.status, report.recipients) == (
        68, "2025-11-01", "sent", 2,
    )  # fmt: skip
    # Logged by province code and month, never with an address or a name.
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "province 68: sent to 2 recipient(s)" in logged and "province 79: no province admin" in logged
    assert "@" not in logged and "Quản" not in logged and "Sài Gòn" not in logged

    # A retried job, the next hourly run: nothing more.
    assert tasks.send_monthly_scorecard_reports.call_local()["outcomes"] == {
        "already_sent": [68], "no_recipient": [79],
    }  # fmt: skip
    assert len(mail.outbox) == 1 and ScorecardReport.objects.count() == 1


@time_machine.travel(REPORT_DAY, tick=False)
def test_a_failed_send_is_tried_again_and_an_interrupted_one_is_not(data, monkeypatch):
    def outage(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down for quan@lamdong.example")

    with monkeypatch.context() as m:
        m.setattr(EmailMessage, "send", outage)
        assert services.send_due().outcomes["failed"] == [68]
    assert ScorecardReport.objects.get().status == "failed" and mail.outbox == []
    assert services.send_due().outcomes["sent"] == [68] and len(mail.outbox) == 1
    # A row the worker left "sending" (it died mid-send) may have gone out: not sent again on its own.
    ScorecardReport.objects.update(status="sending")
    assert services.send_due().outcomes["already_sent"] == [68] and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "now",
    [
        vn(2026, 2, 1, 9),  # Sunday 1 February: not a working day
        vn(2026, 2, 2, 7, 29),  # Monday 2 February, the first working day, before 07:30
        vn(2026, 2, 3, 9),  # the second working day: the report went on the first
    ],
)
def test_the_job_does_nothing_on_other_days_and_hours(data, now):
    with time_machine.travel(now, tick=False):
        assert tasks.send_monthly_scorecard_reports.call_local() is None
    assert mail.outbox == [] and not ScorecardReport.objects.exists()


@time_machine.travel(vn(2026, 2, 2, 7, 30), tick=False)
def test_the_first_working_day_follows_the_calendar(data):
    assert services.send_due().month.isoformat() == "2026-01-01" and len(mail.outbox) == 1


@time_machine.travel(vn(2025, 12, 15, 10), tick=False)
def test_the_command_dry_run_sends_nothing_then_sends_once(data):
    out = StringIO()
    call_command("scorecard", "report", "--month", "2025-11", "--dry-run", stdout=out)
    assert "Tháng 11/2025 — sẽ gửi (chạy thử, chưa gửi): tỉnh 68" in out.getvalue()
    assert "không có quản trị cấp tỉnh có e-mail, bỏ qua: tỉnh 79" in out.getvalue()
    assert mail.outbox == [] and not ScorecardReport.objects.exists()

    call_command("scorecard", "report", "--month", "2025-11", "--province", "68", stdout=StringIO())
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("scorecard", "report", "--month", "2025-11", stdout=out)
    assert "đã gửi trước đó, không gửi lại: tỉnh 68" in out.getvalue() and len(mail.outbox) == 1
    call_command(
        "scorecard", "report", "--month", "2025-11", "--province", "68", "--resend", stdout=StringIO()
    )
    assert len(mail.outbox) == 2 and ScorecardReport.objects.get().status == "sent"


def test_the_command_refuses_a_bad_month_or_province(db):
    with pytest.raises(CommandError, match="Tháng không hợp lệ"):
        call_command("scorecard", "report", "--month", "11/2025")
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        call_command("scorecard", "report", "--month", "2025-11", "--province", "99")
