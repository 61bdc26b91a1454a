"""Data-subject requests: recorded by a commune officer, scoped to the commune, carried out through the apps'
sources (export, correct, restrict, erase), each step audited with counts."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from civicdesk.community.models import Person
from civicdesk.core.models import AuditEvent
from civicdesk.hotline.models import Ticket
from civicdesk.outreach.models import Target
from civicdesk.outreach.rules import blockers
from civicdesk.privacy.models import PrivacySettings, RequestStep, SubjectRequest
from civicdesk.privacy.services import requests as services
from civicdesk.servicedesk.models import Dossier
from tests.factories import SYSTEM, UserFactory

from .conftest import CCCD, PHONE, vn


def _ids(found):
    return {(f.source.key, r.id) for f in found for r in f.records}


def _all(found):
    return [f"{f.source.key}|{r.id}" for f in found for r in f.records]


# --- recording ---------------------------------------------------------------------------------------------------
def test_officer_records_a_request_and_it_is_audited_without_the_numbers(record, alice):
    request = record("export", phone="+84 912 345 678", detail="Xin bản sao dữ liệu")
    assert request.id_number == CCCD and request.phone == PHONE and request.status == "received"
    assert request.due_on is None  # the province has set no figure: the page says "cần kiểm chứng"
    assert request.steps.get().action == RequestStep.Action.RECORDED
    event = AuditEvent.objects.get(object_type="privacy.subjectrequest", action="create")
    assert event.changes == {"kind": "export", "channel": "in_person"} and event.actor == alice
    assert CCCD not in event.object_repr and PHONE not in str(event.changes)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id_number": "", "phone": ""}, "id_number"),
        ({"id_number": "12345"}, "id_number"),
        ({"id_number": "999190001234"}, "id_number"),  # 999 is no province code
        ({"id_number": "", "phone": "12345"}, "phone"),
        ({"requester": "authorised", "requester_name": ""}, "requester_name"),
        ({"received_at": vn(2026, 3, 9, 9)}, "received_at"),
    ],
)
def test_a_request_identifies_someone_and_is_not_dated_in_the_future(record, data, field):
    with pytest.raises(ValidationError) as caught:
        record("export", **data)
    assert field in caught.value.message_dict


def test_the_deadline_follows_the_provinces_figure_in_working_days(record, lam_dong):
    PrivacySettings.objects.create(province=lam_dong, response_days=3, working_days=True)
    request = record("export", received_at=vn(2026, 2, 27, 16))  # a Friday afternoon
    assert request.due_on == dt.date(2026, 3, 4)
    PrivacySettings.objects.filter(province=lam_dong).update(working_days=False)
    assert record("erase", received_at=vn(2026, 2, 27, 16)).due_on == dt.date(2026, 3, 2)


def test_only_the_communes_officers_and_leaders_record(di_linh, linh, charlie, quan, record):
    assert record("export", actor=linh).pk
    volunteer = UserFactory(role="volunteer", commune=di_linh)
    for user in (charlie, quan, volunteer):
        with pytest.raises(PermissionDenied):
            record("export", actor=user)


# --- scoping -----------------------------------------------------------------------------------------------------
def test_an_officer_of_another_commune_cannot_see_the_request(client_for, record, charlie):
    request = record("export")
    client = client_for(charlie)
    assert client.get(f"/privacy/requests/{request.pk}/").status_code == 404
    assert client.post(f"/privacy/requests/{request.pk}/erase/", {"records": ["x|1"]}).status_code == 404
    assert request.reference not in client.get("/privacy/?show=all").content.decode()
    assert not SubjectRequest.objects.visible_to(charlie).exists()


def test_volunteers_and_department_experts_are_refused(client_for, record, di_linh, phap):
    request = record("export")
    volunteer = UserFactory(role="volunteer", commune=di_linh)
    for user in (volunteer, phap):
        assert client_for(user).get("/privacy/").status_code == 403
        assert client_for(user).get(f"/privacy/requests/{request.pk}/").status_code == 403


def test_the_province_admin_sees_the_request_without_the_numbers_or_the_records(
    client_for, record, quan, old_dossier
):
    request = record("export", phone=PHONE)
    page = client_for(quan).get(f"/privacy/requests/{request.pk}/").content.decode()
    assert request.reference in page and "••••••••1234" in page
    for private in (CCCD, PHONE, "Ka Huệ", old_dossier.code):
        assert private not in page
    assert client_for(quan).post(f"/privacy/requests/{request.pk}/erase/").status_code == 403
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_new_request_page(client_for, alice, quan, di_linh):
    client = client_for(alice)
    assert client.get("/privacy/requests/new/").status_code == 200
    response = client.post(
        "/privacy/requests/new/",
        {
            "kind": "restrict",
            "id_number": CCCD,
            "phone": "",
            "requester": "subject",
            "channel": "written",
            "received_at": "2026-03-02T08:15",
        },
    )
    request = SubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/privacy/requests/{request.pk}/"
    bad = client.post(
        "/privacy/requests/new/",
        {"kind": "export", "requester": "subject", "channel": "email", "received_at": "2026-03-02T08:15"},
    )
    assert bad.status_code == 200 and "Ghi số CCCD hoặc số điện thoại" in bad.content.decode()
    assert client_for(quan).get("/privacy/requests/new/").status_code == 403


# --- finding -----------------------------------------------------------------------------------------------------
def test_find_gathers_the_persons_records_across_apps_within_the_commune(
    record,
    alice,
    old_dossier,
    recent_dossier,
    neighbour_dossier,
    cam_ly_dossier,
    old_ticket,
    citizen,
    campaign,
):
    request = record("export", phone=PHONE)
    found = services.held_records(alice, request)
    ids = _ids(found)
    assert ("servicedesk.dossier", str(old_dossier.pk)) in ids
    assert ("servicedesk.dossier", str(recent_dossier.pk)) in ids
    assert ("servicedesk.dossier", str(cam_ly_dossier.pk)) not in ids  # Cam Ly's
    assert ("servicedesk.dossier", str(neighbour_dossier.pk)) not in ids  # another CCCD, same phone
    assert ("hotline.ticket", str(old_ticket.pk)) in ids
    assert ("community.person", str(citizen.pk)) in ids
    target = Target.objects.get()
    assert ("outreach.contact", f"target:{target.pk}") in ids
    view = AuditEvent.objects.get(action="view", object_type="privacy.subjectrequest")
    assert "servicedesk.dossier:2" in view.changes["fields"]


def test_a_record_matching_only_the_phone_is_found_but_left_unticked(
    client_for, record, alice, old_dossier, neighbour_dossier
):
    by_phone = record("export", id_number="", phone=PHONE)
    page = client_for(alice).get(f"/privacy/requests/{by_phone.pk}/").content.decode()
    assert neighbour_dossier.code in page and old_dossier.code in page and "chỉ khớp số điện thoại" in page
    assert f'value="servicedesk.dossier|{neighbour_dossier.pk}" id' in page
    assert f'value="servicedesk.dossier|{neighbour_dossier.pk}" id="rec-1-2" checked' not in page
    assert " checked" not in page.split("servicedesk.dossier|")[1].split(">")[0]
    # With a CCCD on the request, the neighbour (another CCCD) is not hers at all.
    by_cccd = record("export", phone=PHONE)
    page = client_for(alice).get(f"/privacy/requests/{by_cccd.pk}/").content.decode()
    assert old_dossier.code in page and neighbour_dossier.code not in page
    assert f'value="servicedesk.dossier|{old_dossier.pk}" id="rec-1-1" checked' in page


# --- export --------------------------------------------------------------------------------------------------------
def test_export_contains_the_persons_dossiers_and_tickets_as_json_and_excel(
    client_for, record, alice, old_dossier, recent_dossier, old_ticket
):
    Dossier.objects.filter(pk=recent_dossier.pk).update(
        applicant_name='=HYPERLINK("http://evil.example","x")'
    )
    request = record("export", phone=PHONE)
    found = services.held_records(alice, request)
    client = client_for(alice)
    response = client.post(f"/privacy/requests/{request.pk}/export_json/", {"records": _all(found)})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    kinds = {k["kind"]: k for k in document["kinds"]}
    codes = {r["reference"] for r in kinds["servicedesk.dossier"]["records"]}
    assert codes == {old_dossier.code, recent_dossier.code}
    assert kinds["hotline.ticket"]["records"][0]["reference"] == old_ticket.reference
    assert any(
        CCCD in json.dumps(r["fields"], ensure_ascii=False) for r in kinds["servicedesk.dossier"]["records"]
    )

    response = client.post(f"/privacy/requests/{request.pk}/export_xlsx/", {"records": _all(found)})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Tóm tắt"
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any(c.value == old_dossier.code for c in cells) and any(
        c.value == old_ticket.reference for c in cells
    )
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # text, never a formula

    steps = request.steps.filter(action=RequestStep.Action.EXPORTED)
    assert [s.note for s in steps] == ["json", "xlsx"]
    assert steps[0].counts["servicedesk.dossier"] == 2
    events = AuditEvent.objects.filter(action="export", object_type="privacy.subjectrequest")
    assert events.count() == 2 and CCCD not in str(events[0].changes)
    request.refresh_from_db()
    assert request.status == "in_progress"


def test_export_takes_only_the_records_ticked_and_that_still_match(
    client_for, record, alice, old_dossier, cam_ly_dossier
):
    request = record("export")
    response = client_for(alice).post(
        f"/privacy/requests/{request.pk}/export_json/",
        {"records": [f"servicedesk.dossier|{cam_ly_dossier.pk}", f"servicedesk.dossier|{old_dossier.pk}"]},
    )
    document = json.loads(response.content)
    assert [r["reference"] for k in document["kinds"] for r in k["records"]] == [old_dossier.code]


# --- restrict ------------------------------------------------------------------------------------------------------
def test_restrict_marks_dossiers_people_and_tickets_and_outreach_stops(
    record, alice, recent_dossier, old_ticket, citizen
):
    request = record("restrict")
    found = services.held_records(alice, request)
    counts = services.restrict(alice, request, _all(found))
    assert counts == {"servicedesk.dossier": 1, "hotline.ticket": 1, "community.person": 1}
    assert Dossier.objects.get(pk=recent_dossier.pk).restricted
    assert Ticket.objects.get(pk=old_ticket.pk).restricted
    citizen.refresh_from_db()
    assert citizen.restricted
    assert blockers(citizen, "phone", vn(2026, 3, 2, 9))[0].code == "restricted"
    step = request.steps.get(action=RequestStep.Action.RESTRICTED)
    assert step.counts["changed"]["servicedesk.dossier"] == 1
    services.restrict(alice, request, _all(found), restricted=False)
    assert not Dossier.objects.get(pk=recent_dossier.pk).restricted


def test_a_restricted_dossier_is_not_a_source_for_outreach(record, alice, di_linh, open_dossier):
    from civicdesk.outreach.models import Campaign
    from civicdesk.outreach.services.targets import register_candidates

    Dossier.objects.filter(pk=open_dossier.pk).update(
        status="supplement_requested", updated_at=vn(2026, 2, 1, 9)
    )
    campaign = Campaign.objects.create(
        province=di_linh.province,
        commune=di_linh,
        name="Hồ sơ chờ bổ sung",
        purpose="Nhắc bổ sung",
        theme="supplement",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 31),
        owner=alice,
    )
    assert list(register_candidates(campaign, "supplement", days=7)) == [open_dossier]
    services.restrict(alice, record("restrict"), [f"servicedesk.dossier|{open_dossier.pk}"])
    assert list(register_candidates(campaign, "supplement", days=7)) == []


# --- correct -------------------------------------------------------------------------------------------------------
def test_correct_goes_through_the_owning_services_and_audits_fields_not_values(
    record, alice, recent_dossier, citizen
):
    request = record("correct")
    ids = [f"servicedesk.dossier|{recent_dossier.pk}", f"community.person|{citizen.pk}"]
    counts = services.correct(alice, request, ids, {"full_name": "Ka Huệ Nie", "phone": "0987 654 321"})
    assert counts == {"servicedesk.dossier": 1, "community.person": 1}
    recent_dossier.refresh_from_db()
    assert recent_dossier.applicant_name == "Ka Huệ Nie" and recent_dossier.applicant_phone == "0987654321"
    assert recent_dossier.phone_last4 == "4321"
    citizen.refresh_from_db()
    assert citizen.full_name == "Ka Huệ Nie" and citizen.phone == "+84987654321"
    event = AuditEvent.objects.get(object_type="servicedesk.dossier", changes__corrected__isnull=False)
    assert event.changes == {"corrected": ["applicant_name", "applicant_phone", "phone_last4"]}
    step = request.steps.get(action=RequestStep.Action.CORRECTED)
    assert step.counts["fields"] == ["full_name", "phone"] and "0987" not in json.dumps(step.counts)
    with pytest.raises(ValidationError):
        services.correct(alice, request, ids, {"id_number": "123"})


def test_correct_from_the_page_keeps_what_was_typed_on_error(client_for, record, alice, recent_dossier):
    request = record("correct")
    response = client_for(alice).post(
        f"/privacy/requests/{request.pk}/correct/",
        {
            "records": [f"servicedesk.dossier|{recent_dossier.pk}"],
            "id_number": "12",
            "full_name": "Ka Huệ Nie",
        },
    )
    assert response.status_code == 422 and 'value="Ka Huệ Nie"' in response.content.decode()


# --- erase ---------------------------------------------------------------------------------------------------------
def test_erase_pseudonymises_what_the_law_allows_keeps_dossiers_restricted_and_is_audited(
    client_for, record, alice, recent_dossier, old_ticket, citizen, campaign
):
    request = record("erase")
    found = services.held_records(alice, request)
    response = client_for(alice).post(f"/privacy/requests/{request.pk}/erase/", {"records": _all(found)})
    assert response.status_code == 302
    recent_dossier.refresh_from_db()
    assert (
        recent_dossier.applicant_id_number == CCCD
    )  # an administrative record the law makes the commune keep
    assert recent_dossier.restricted
    old_ticket.refresh_from_db()
    assert (
        old_ticket.pseudonymised_at is not None
        and old_ticket.caller_phone == ""
        and CCCD not in old_ticket.body
    )
    citizen.refresh_from_db()
    assert (
        citizen.pseudonymised_at is not None
        and citizen.id_number == ""
        and citizen.full_name.startswith("Ẩn danh")
    )
    target = Target.objects.get()
    assert target.note == "" and target.messages.get().phone == ""

    step = request.steps.get(action=RequestStep.Action.ERASED)
    assert (
        step.counts["servicedesk.dossier"]["erased"] == 0 and step.counts["servicedesk.dossier"]["kept"] == 1
    )
    assert "lưu trữ" in step.counts["servicedesk.dossier"]["reasons"][0]
    assert step.counts["hotline.ticket"] == {"erased": 1, "kept": 0, "reasons": []}
    assert step.counts["community.person"]["erased"] == 1
    event = AuditEvent.objects.get(
        object_type="privacy.subjectrequest", action="update", changes__erased__isnull=False
    )
    assert (
        event.changes["erased"]["hotline.ticket"] == 1 and event.changes["kept"]["servicedesk.dossier"] == 1
    )
    for value in (CCCD, PHONE, "Ka Huệ"):
        assert value not in json.dumps([step.counts, event.changes], ensure_ascii=False)
    page = client_for(alice).get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "giữ lại 1" in page


def test_an_open_case_is_kept_when_erasing(record, alice, di_linh, open_dossier):
    from .conftest import ticket

    open_ticket = ticket(
        di_linh, created=vn(2026, 2, 20, 9), status=Ticket.Status.ASSIGNED, caller_phone=PHONE
    )
    request = record("erase")
    results = services.erase(
        alice, request, [f"hotline.ticket|{open_ticket.pk}", f"servicedesk.dossier|{open_dossier.pk}"]
    )
    assert (
        results["hotline.ticket"].erased == 0 and "đang được trả lời" in results["hotline.ticket"].kept[0][1]
    )
    assert "đang giải quyết" in results["servicedesk.dossier"].kept[0][1]
    open_ticket.refresh_from_db()
    assert open_ticket.caller_phone == PHONE and open_ticket.restricted


def test_a_restricted_ticket_is_not_turned_into_a_faq(record, alice, old_ticket):
    from civicdesk.hotline.services.knowledge import create_faq_from_ticket

    services.restrict(alice, record("restrict"), [f"hotline.ticket|{old_ticket.pk}"])
    admin = UserFactory(role="province_admin", province=old_ticket.province)
    Ticket.objects.filter(pk=old_ticket.pk).update(assignee=admin)
    old_ticket.refresh_from_db()
    with pytest.raises(ValidationError, match="hạn chế xử lý"):
        create_faq_from_ticket(admin, old_ticket, question="Hỏi?", answer="Đáp.")


# --- closing -------------------------------------------------------------------------------------------------------
def test_close_needs_an_answer_and_then_nothing_more_can_be_done(client_for, record, alice, recent_dossier):
    request = record("export")
    client = client_for(alice)
    assert client.post(f"/privacy/requests/{request.pk}/complete/", {"outcome": ""}).status_code == 422
    assert (
        client.post(
            f"/privacy/requests/{request.pk}/refuse/", {"outcome": "Không đủ giấy tờ ủy quyền."}
        ).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == "refused" and request.closed_at is not None
    with pytest.raises(ValidationError):
        services.restrict(alice, request, [f"servicedesk.dossier|{recent_dossier.pk}"])
    assert AuditEvent.objects.filter(action="transition", object_type="privacy.subjectrequest").exists()


def test_the_list_shows_open_requests_and_the_deadline_wording(client_for, record, alice, linh):
    record("export")
    page = client_for(linh).get("/privacy/").content.decode()
    assert "DLCN-" in page and "cần kiểm chứng" in page
    assert "••••••••1234" in page  # even the commune's own list does not show the whole number
    assert client_for(alice).get("/privacy/?show=closed", HTTP_HX_REQUEST="true").status_code == 200


def test_the_home_card_appears_when_requests_wait(client_for, record, alice):
    assert "Yêu cầu về dữ liệu cá nhân" not in client_for(alice).get("/").content.decode()
    record("export")
    assert "Yêu cầu về dữ liệu cá nhân" in client_for(alice).get("/").content.decode()


def test_the_register_of_requests_is_pseudonymised_after_its_own_retention(record, alice, lam_dong):
    from civicdesk.privacy.services import retention

    request = record("export")
    services.close(alice, request, outcome="Đã giao tệp cho chị Ka Huệ, 0912345678.")
    SubjectRequest.objects.filter(pk=request.pk).update(closed_at=vn(2022, 1, 5, 9))
    retention.run_province(SYSTEM, lam_dong)
    request.refresh_from_db()
    assert request.id_number == "" and request.phone == "" and request.subject_name.startswith("Ẩn danh")
    assert "0912345678" not in request.outcome and request.kind == "export" and request.status == "done"


def test_volunteer_who_left_is_erased_and_an_active_one_is_kept(record, alice, di_linh):
    from civicdesk.volunteers.models import Volunteer

    person = Person.objects.create(
        province=di_linh.province, commune=di_linh, kind=Person.Kind.VOLUNTEER, full_name="Lý Vy", phone=PHONE
    )
    volunteer = Volunteer.objects.create(person=person, joined_on=dt.date(2025, 7, 1), email="vy@example.vn")
    request = record("erase", id_number="", phone=PHONE)
    results = services.erase(alice, request, [f"volunteers.volunteer|{volunteer.pk}"])
    assert results["volunteers.volunteer"].erased == 0 and results["volunteers.volunteer"].kept
    Volunteer.objects.filter(pk=volunteer.pk).update(is_active=False)
    results = services.erase(alice, request, [f"volunteers.volunteer|{volunteer.pk}"])
    assert results["volunteers.volunteer"].erased == 1
    volunteer.refresh_from_db()
    assert (
        volunteer.email == ""
        and volunteer.person.phone == ""
        and volunteer.person.full_name.startswith("Ẩn danh")
    )
