"""Issue 16's "done when", through the pages an official uses: import with a bad line, fix it, work the list, a
follow-up on the next working day, an opt-out by SMS reply, a call linked to its dossier, the campaign report."""

import hashlib
import hmac
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.outreach.models import Attempt, Target
from tests.servicedesk.factories import DossierFactory

from .conftest import CSV, vn

pytestmark = pytest.mark.django_db


def upload(text, name="danh-sach.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_officer_imports_works_the_list_and_sees_the_outcome(client_for, alice, campaign, thon2, di_linh,
                                                                 khai_sinh, settings, _pinned):  # fmt: skip
    client = client_for(alice)
    url = f"/outreach/campaigns/{campaign.pk}/import/"
    bad = client.post(url, {"file": upload(CSV + "Ka Hòa,0912,,,,,\n")})
    page = bad.content.decode()
    assert bad.status_code == 200 and "Dòng 4, cột phone" in page and "chưa ghi dòng nào" in page
    assert Target.objects.count() == 0
    good = client.post(url, {"file": upload(CSV)}, follow=True)
    assert "Đã nhập 2 dòng" in good.content.decode()
    diep = Target.objects.get(person__full_name="K'Điệp")

    # Friday afternoon, no answer: the follow-up is Monday morning (the next working day).
    _pinned.move_to(vn(2026, 2, 27, 15, 0))
    done = client.post(f"/outreach/targets/{diep.pk}/attempt/", {"channel": "phone", "outcome": "no_answer"},
                       follow=True)  # fmt: skip
    assert "Liên hệ lại lúc 07:30 02/03/2026" in done.content.decode()

    # Monday: reached, filed; the dossier is linked from the suggestions.
    _pinned.move_to(vn(2026, 3, 2, 10, 0))
    client = client_for(alice)  # a new working day, a new session
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, code="25000-260302-007", channel="truc_tuyen",
                             received_at=vn(2026, 3, 2, 9, 30), applicant_id_number="068190001234")  # fmt: skip
    page = client.get(f"/outreach/targets/{diep.pk}/").content.decode()
    assert dossier.code in page and "Gắn hồ sơ này" in page and "Đăng ký khai sinh" in page
    client.post(f"/outreach/targets/{diep.pk}/attempt/",
                {"channel": "phone", "outcome": "dossier_filed", "dossier_code": dossier.code})  # fmt: skip
    assert Target.objects.get(pk=diep.pk).status == "converted"

    # Hùng replies TU CHOI to an SMS: nobody may contact him again, and his page says why.
    settings.OUTREACH_WEBHOOK_SECRET = "s3cret"
    body = json.dumps(
        {"type": "reply", "message_id": "sms-991", "from": "84987654321", "text": "TU CHOI"}
    ).encode()
    sign = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert client.post("/outreach/hooks/sms/", body, content_type="application/json").status_code == 403
    hook = client.post("/outreach/hooks/sms/", body, content_type="application/json",
                       HTTP_X_CIVICDESK_SIGNATURE=sign)  # fmt: skip
    assert hook.json()["opted_out"] is True
    hung = Target.objects.get(person__full_name="Nguyễn Văn Hùng")
    assert hung.status == "blocked"
    page = client.get(f"/outreach/targets/{hung.pk}/").content.decode()
    assert "Người dân nhắn từ chối nhận tin" in page and "Ghi lần liên hệ" not in page

    report = client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "50 %" in report  # reached 1 of 2, converted 1 of 2
    assert "Nộp sau khi được liên hệ" in report and "Các hồ sơ khác của xã" in report
    assert Attempt.objects.filter(dossier=dossier).exists()


def test_a_blocked_contact_keeps_what_was_typed_and_says_why(client_for, alice, listed):
    client = client_for(alice)
    hung = listed[1]
    response = client.post(f"/outreach/targets/{hung.pk}/attempt/",
                           {"channel": "zalo", "outcome": "reached", "note": "Đã nói về giấy chứng sinh"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400 and "im lặng không phải là đồng ý" in page
    assert "Đã nói về giấy chứng sinh" in page


def test_other_communes_and_citizens_data_stay_hidden(client_for, charlie, vy, listed, campaign):
    assert client_for(charlie).get(f"/outreach/campaigns/{campaign.pk}/").status_code == 404
    assert client_for(charlie).get(f"/outreach/targets/{listed[0].pk}/").status_code == 404
    page = client_for(vy).get(f"/outreach/targets/{listed[0].pk}/").content.decode()
    assert "0912 345 678" not in page  # not reserved to the volunteer: no phone
    assert client_for(vy).post(f"/outreach/targets/{listed[0].pk}/attempt/",
                               {"channel": "phone", "outcome": "reached"}).status_code == 403  # fmt: skip


def test_the_pages_answer(client_for, alice, linh, vy, listed, campaign):
    for user in (alice, linh, vy):
        client = client_for(user)
        for url in (
            "/outreach/",
            "/outreach/mine/",
            f"/outreach/campaigns/{campaign.pk}/",
            f"/outreach/targets/{listed[0].pk}/",
        ):
            assert client.get(url).status_code == 200, (user.username, url)
    client = client_for(alice)
    for url in ("/outreach/campaigns/new/", f"/outreach/campaigns/{campaign.pk}/edit/", "/outreach/templates/",
                f"/outreach/campaigns/{campaign.pk}/import/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    export = client.get(f"/outreach/campaigns/{campaign.pk}/export.csv")
    assert export.status_code == 200 and "0912 345 678" in export.content.decode()


def test_exported_values_cannot_run_as_formulas(client_for, alice, campaign, thon2):
    from civicdesk.outreach import services

    services.import_targets(
        alice, campaign, content=b'full_name,phone\n"=HYPERLINK(""http://x"")",0912345678\n'
    )
    export = client_for(alice).get(f"/outreach/campaigns/{campaign.pk}/export.csv").content.decode()
    assert '"=HYPERLINK' not in export and "'=HYPERLINK" in export


def test_the_script_is_the_targets_procedure_and_shared_reasons_are_said_once(
    client_for, alice, campaign, thon2, khai_sinh, _pinned
):
    from civicdesk.outreach import services
    from tests.handbook.factories import ProcedureFactory

    marriage = ProcedureFactory(code="HT-005", name="Đăng ký kết hôn")
    campaign.procedures.add(marriage)
    csv = "full_name,phone,procedure,consent,consent_source\nKa Huệ,0912000111,ht-005,phone,Phiếu\n"
    assert services.import_targets(alice, campaign, content=csv.encode(), filename="x.csv").ok
    target = Target.objects.get(person__full_name="Ka Huệ")
    assert target.procedure == marriage
    client = client_for(alice)
    page = client.get(f"/outreach/targets/{target.pk}/").content.decode()
    assert "<strong>Đăng ký kết hôn</strong>" in page and "?script=HT-001" in page
    picked = client.get(f"/outreach/targets/{target.pk}/?script=HT-001").content.decode()
    assert "<strong>Đăng ký khai sinh</strong>" in picked
    # At night every channel is closed for the same reason: said once, above the channels.
    _pinned.move_to(vn(2026, 3, 2, 21, 0))
    night = client_for(alice).get(f"/outreach/targets/{target.pk}/").content.decode()
    assert night.count("Ngoài giờ được liên hệ (07:00–20:00)") == 1
    assert "Lúc này chưa liên hệ được qua kênh nào" in night
