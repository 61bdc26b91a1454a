"""Target lists: the import is atomic and line-numbered, phones become E.164, people merge on phone and CCCD."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from civicdesk.community.models import Person
from civicdesk.outreach import services
from civicdesk.outreach.models import Consent, Target
from tests.servicedesk.factories import DossierFactory

from .conftest import CSV, vn

pytestmark = pytest.mark.django_db


def test_a_bad_line_is_refused_with_its_number_and_nothing_is_written(campaign, alice, thon2):
    bad = CSV + "Ka Hòa,12345,,Thôn 2,,,\nK'Brư,,06819000123,,sms,,\n"
    report = services.import_targets(alice, campaign, content=bad.encode(), filename="list.csv")
    assert not report.ok
    text = " ".join(report.errors)
    assert (
        "Dòng 4, cột phone" in text
        and "Dòng 5, cột id_number" in text
        and "Dòng 5, cột consent_source" in text
    )
    assert Target.objects.count() == 0 and Person.objects.count() == 0 and Consent.objects.count() == 0
    fixed = services.import_targets(alice, campaign, content=CSV.encode(), filename="list.csv")
    assert (
        fixed.ok and fixed.targets_created == 2 and fixed.people_created == 2 and fixed.consents_recorded == 3
    )


def test_phones_are_e164_and_duplicates_merge_on_phone_and_cccd(campaign, alice, thon2, di_linh):
    known = Person.objects.create(
        province=di_linh.province,
        commune=di_linh,
        kind="citizen",
        full_name="K'Điệp",
        id_number="068190001234",
    )
    text = CSV + "K'Điệp (vợ),+84 912-345-678,,,,,trùng số\nHùng,,,,zalo,Nhắn Zalo đồng ý,\n"
    report = services.import_targets(alice, campaign, content=text.encode(), filename="list.csv")
    assert report.errors[0].startswith("Dòng 5")  # no phone and no CCCD: cannot be told apart
    text = CSV + "K'Điệp (vợ),+84 912-345-678,,,,,trùng số\n"
    report = services.import_targets(alice, campaign, content=text.encode(), filename="list.csv")
    assert report.ok and report.rows == 3 and report.merged_rows == 1 and report.people_matched == 1
    assert report.targets_created == 2
    target = campaign.targets.get(person=known)
    assert "trùng số" in target.note
    hung = Person.objects.get(full_name="Nguyễn Văn Hùng")
    assert hung.phone == "+84987654321"
    again = services.import_targets(alice, campaign, content=CSV.encode(), filename="list.csv")
    assert again.ok and again.targets_created == 0 and again.already_listed == 2


def test_excel_files_are_read_with_excel_line_numbers(campaign, alice, thon2):
    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "phone", "hamlet"])
    sheet.append(["K'Điệp", "0912345678", "Thôn 2"])
    sheet.append(["Ka Hòa", 912345, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.import_targets(alice, campaign, content=buffer.getvalue(), filename="ds.xlsx")
    assert [e.split(",")[0] for e in report.errors] == ["Dòng 3"]


def test_other_communes_users_cannot_import(campaign, charlie):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_targets(charlie, campaign, content=CSV.encode(), filename="list.csv")


def test_register_lists_applicants_of_dossiers_waiting_for_supplements(campaign, alice, di_linh, khai_sinh):
    waiting = DossierFactory(commune=di_linh, procedure=khai_sinh, status="supplement_requested",
                             received_at=vn(2026, 2, 10, 9), applicant_phone="0911222333")  # fmt: skip
    type(waiting).objects.filter(pk=waiting.pk).update(updated_at=vn(2026, 2, 12, 9))
    DossierFactory(commune=di_linh, procedure=khai_sinh, status="processing", applicant_phone="0911222444")
    added = services.add_from_register(alice, campaign, Target.Source.SUPPLEMENT, days=7)
    assert added == 1
    target = campaign.targets.get()
    assert target.source_dossier == waiting and target.person.phone == "+84911222333"
    consent = Consent.objects.get(person=target.person)
    assert consent.channel == "phone" and consent.basis == "public_task" and waiting.code in consent.source
    assert services.add_from_register(alice, campaign, Target.Source.SUPPLEMENT, days=7) == 0


def test_reserve_gives_a_list_to_a_volunteer_of_the_commune(campaign, alice, vy, charlie, listed):
    assert services.reserve(alice, campaign, vy, count=5) == 2
    assert set(Target.objects.values_list("assignee__username", flat=True)) == {"vy"}
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.reserve(alice, campaign, charlie, count=1)


def test_a_campaign_period_must_end_after_it_starts(alice, di_linh):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.save_campaign(alice, commune=di_linh, data={
            "name": "X", "purpose": "Y", "theme": "other", "start_date": dt.date(2026, 3, 2),
            "end_date": dt.date(2026, 3, 1)})  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (dt.date(2026, 3, 1), dt.date(2028, 6, 1), "end_date"),  # longer than two years
        (dt.date(2026, 3, 1), dt.date(9999, 12, 31), "end_date"),  # a typo'd year
        (dt.date(1900, 1, 1), dt.date(1900, 2, 1), "start_date"),
    ],
)
def test_a_campaign_period_is_bounded(alice, di_linh, start, end, field):
    from django.core.exceptions import ValidationError

    data = {"name": "X", "purpose": "Y", "theme": "other", "start_date": start, "end_date": end}
    with pytest.raises(ValidationError) as err:
        services.save_campaign(alice, commune=di_linh, data=data)
    assert field in err.value.message_dict


def test_a_province_admin_names_the_owner_of_a_commune_campaign(quan, alice, di_linh):
    from django.core.exceptions import ValidationError

    data = {"name": "X", "purpose": "Y", "theme": "other", "start_date": dt.date(2026, 3, 1),
            "end_date": dt.date(2026, 4, 1)}  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.save_campaign(quan, commune=di_linh, data=data)
    assert "owner" in err.value.message_dict
    campaign = services.save_campaign(quan, commune=di_linh, data={**data, "owner": alice})
    assert campaign.owner == alice and campaign.created_by == quan


def test_consent_may_be_written_in_vietnamese(campaign, alice):
    from civicdesk.outreach.models import Consent

    csv = (
        "full_name,phone,consent,consent_source\n"
        'Ka Huệ,0912000111,"Điện thoại, tin nhắn",Phiếu đồng ý\n'
        "K'Brăng,0912000222,Đến nhà,Phiếu đồng ý\n"
        "Ka Lim,0912000333,bồ câu,Phiếu đồng ý\n"
    )
    report = services.import_targets(alice, campaign, content=csv.encode(), filename="x.csv")
    assert report.errors and all(e.startswith("Dòng 4, cột consent:") for e in report.errors), report.errors
    report = services.import_targets(
        alice, campaign, content=csv.rsplit("Ka Lim", 1)[0].encode(), filename="x.csv"
    )
    assert report.ok, report.errors
    channels = sorted(Consent.objects.values_list("person__full_name", "channel"))
    assert channels == [("K'Brăng", "visit"), ("Ka Huệ", "phone"), ("Ka Huệ", "sms")]


def test_a_line_names_a_procedure_of_the_campaign(campaign, alice, khai_sinh):
    csv = "full_name,phone,procedure\nKa Huệ,0912000111,HT-001\nK'Brăng,0912000222,XD-009\n"
    report = services.import_targets(alice, campaign, content=csv.encode(), filename="x.csv")
    assert report.errors == [
        "Dòng 3, cột procedure: “XD-009” không phải thủ tục của chiến dịch (ghi HT-001)."
    ]
    report = services.import_targets(
        alice, campaign, content=csv.rsplit("K'Brăng", 1)[0].encode(), filename="x.csv"
    )
    assert report.ok and campaign.targets.get().procedure == khai_sinh
