"""Working a list: attempts with fixed outcomes, follow-ups on the working calendar, the contact rules, conversion."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.outreach import services
from civicdesk.outreach.models import Target
from civicdesk.outreach.rules import blockers
from tests.servicedesk.factories import DossierFactory

from .conftest import vn

pytestmark = pytest.mark.django_db


def codes(found):
    return [b.code for b in found]


def test_no_answer_schedules_the_next_working_morning_and_respects_the_cooloff(listed, alice, _pinned):
    target = listed[0]
    # Friday 27 February 2026 16:00: the follow-up is Monday 2 March at opening, not Saturday.
    _pinned.move_to(vn(2026, 2, 27, 16, 0))
    services.record_attempt(alice, target, channel="phone", outcome="no_answer")
    target.refresh_from_db()
    assert target.status == "in_progress" and target.attempt_count == 1
    assert target.next_action_at == vn(2026, 3, 2, 7, 30)
    _pinned.move_to(vn(2026, 2, 27, 18, 0))
    with pytest.raises(services.ContactBlocked) as err:
        services.record_attempt(alice, target, channel="phone", outcome="no_answer")
    assert codes(err.value.reasons) == ["cooloff"]


def test_the_last_try_closes_the_target_as_unreachable(listed, alice, campaign, _pinned):
    target = listed[1]
    for day in (2, 3, 4):
        _pinned.move_to(vn(2026, 3, day, 9, 0))
        services.record_attempt(alice, target, channel="phone", outcome="no_answer")
    target.refresh_from_db()
    assert target.status == "unreachable" and target.next_action_at is None
    _pinned.move_to(vn(2026, 3, 5, 9, 0))
    assert "max_attempts" in codes(blockers(target.person, "phone", target=target))


def test_silence_is_not_consent_and_quiet_hours_hold(listed, alice, _pinned):
    hung = listed[1]  # consented to phone only
    assert codes(blockers(hung.person, "zalo", target=hung)) == ["no_consent"]
    with pytest.raises(services.ContactBlocked):
        services.record_attempt(alice, hung, channel="zalo", outcome="reached")
    _pinned.move_to(vn(2026, 3, 2, 21, 0))
    assert codes(blockers(hung.person, "phone", target=hung)) == ["quiet_hours"]


def test_a_call_links_the_dossier_it_produced(listed, alice, di_linh, khai_sinh):
    target = listed[0]
    dossier = DossierFactory(
        commune=di_linh, procedure=khai_sinh, code="25000-260302-001", received_at=vn(2026, 3, 2, 8)
    )
    with pytest.raises(ValidationError):
        services.record_attempt(alice, target, channel="phone", outcome="dossier_filed")
    with pytest.raises(ValidationError):
        services.record_attempt(alice, target, channel="phone", outcome="dossier_filed", dossier_code="NOPE")
    attempt = services.record_attempt(
        alice, target, channel="phone", outcome="dossier_filed", dossier_code=dossier.code
    )
    target.refresh_from_db()
    assert attempt.dossier == dossier and target.status == "converted" and target.dossier == dossier
    assert target.reached_at is not None


def test_guided_then_filed_later_is_linked_and_suggested(listed, alice, di_linh, khai_sinh, _pinned):
    target = listed[0]
    services.record_attempt(alice, target, channel="phone", outcome="guided_online")
    _pinned.move_to(vn(2026, 3, 4, 10, 0))
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, code="25000-260304-002", channel="truc_tuyen",
                             received_at=vn(2026, 3, 4, 9), applicant_id_number=target.person.id_number)  # fmt: skip
    assert list(services.suggested_dossiers(target)) == [dossier]
    services.link_dossier(alice, target, dossier.code)
    target.refresh_from_db()
    assert target.status == "converted" and target.attempts.get().dossier == dossier


def test_an_appointment_needs_its_date_and_keeps_the_target_open(listed, alice):
    target = listed[0]
    with pytest.raises(ValidationError):
        services.record_attempt(alice, target, channel="phone", outcome="appointment")
    services.record_attempt(
        alice, target, channel="phone", outcome="appointment", next_action_at=vn(2026, 3, 5, 8)
    )
    target.refresh_from_db()
    assert target.status == "in_progress" and target.next_action_at == vn(2026, 3, 5, 8)


def test_a_wrong_number_stops_phone_contact_but_not_a_visit(listed, alice, campaign):
    target = listed[0]
    services.record_consent(alice, target.person, "visit", source="Đồng ý khi gặp ở nhà văn hóa")
    services.record_attempt(alice, target, channel="phone", outcome="wrong_number")
    target.refresh_from_db()
    assert target.status == "unreachable"
    assert "do_not_contact" in codes(blockers(target.person, "sms"))
    assert "do_not_contact" not in codes(blockers(target.person, "visit"))


def test_a_volunteer_works_only_the_list_reserved_to_them(listed, alice, vy, campaign):
    with pytest.raises(PermissionDenied):
        services.record_attempt(vy, listed[0], channel="phone", outcome="reached")
    services.reserve(alice, campaign, vy, count=1)
    services.record_attempt(vy, listed[0], channel="phone", outcome="reached", note="Đã hướng dẫn giấy tờ")
    with pytest.raises(PermissionDenied):
        services.record_attempt(vy, listed[1], channel="phone", outcome="reached")


def test_do_not_contact_with_an_expiry_lifts_itself(listed, alice, _pinned):
    person = listed[1].person
    services.add_do_not_contact(alice, person, reason="requested", source="Người dân đề nghị khi gọi",
                                until=dt.date(2026, 3, 6))  # fmt: skip
    assert "do_not_contact" in codes(blockers(person, "phone"))
    _pinned.move_to(vn(2026, 3, 9, 9, 0))
    assert "do_not_contact" not in codes(blockers(person, "phone"))
    assert (
        Target.objects.get(pk=listed[1].pk).status == "new"
    )  # a time-limited stop does not close the target


def test_a_closed_campaign_or_one_outside_its_period_takes_no_attempt(listed, alice, campaign, _pinned):
    target = listed[0]
    services.save_campaign(alice, campaign=campaign, data={"status": "closed"})
    with pytest.raises(services.ContactBlocked) as err:
        services.record_attempt(alice, target, channel="phone", outcome="reached")
    assert codes(err.value.reasons) == ["campaign_closed"]
    services.save_campaign(alice, campaign=campaign, data={"status": "active"})
    _pinned.move_to(vn(2026, 7, 1, 9, 0))  # the day after it ends
    with pytest.raises(services.ContactBlocked) as err:
        services.record_attempt(alice, target, channel="phone", outcome="reached")
    assert codes(err.value.reasons) == ["campaign_period"]
    assert target.attempts.count() == 0


def test_a_time_without_offset_is_vietnam_time(listed, alice):
    attempt = services.record_attempt(
        alice, listed[0], channel="phone", outcome="appointment", at=dt.datetime(2026, 3, 2, 8, 15),
        next_action_at=dt.datetime(2026, 3, 4, 14, 0),
    )  # fmt: skip
    assert attempt.at == vn(2026, 3, 2, 8, 15)
    assert attempt.next_action_at == vn(2026, 3, 4, 14, 0)


def _receive(officer, commune, procedure, *, id_number, phone, at):
    from civicdesk.servicedesk import services as desk
    from civicdesk.servicedesk.services import checklist_for

    result = desk.receive_dossier(
        officer, commune=commune, procedure=procedure, present=[i["index"] for i in checklist_for(procedure)],
        applicant_name="K'Điệp", applicant_id_number=id_number, applicant_phone=phone, channel="truc_tiep",
        received_at=at, appointment_at=at + dt.timedelta(days=5),
    )  # fmt: skip
    return result.dossier


def test_a_dossier_received_at_the_counter_is_linked_to_the_contact_that_produced_it(
    listed, alice, di_linh, khai_sinh, _pinned
):
    kdiep, hung = listed
    services.record_attempt(alice, kdiep, channel="phone", outcome="guided_online")
    _pinned.move_to(vn(2026, 3, 3, 8, 0))
    dossier = _receive(
        alice, di_linh, khai_sinh, id_number="068190001234", phone="0912000000", at=vn(2026, 3, 3, 8, 0)
    )
    kdiep.refresh_from_db()
    assert kdiep.dossier == dossier and kdiep.status == "converted"
    assert kdiep.attempts.get().dossier == dossier
    # Hùng was never contacted: his dossier (matched by phone) is his own doing, not the campaign's.
    other = _receive(
        alice, di_linh, khai_sinh, id_number="068190009999", phone="0987654321", at=vn(2026, 3, 3, 8, 0)
    )
    hung.refresh_from_db()
    assert hung.dossier is None and other.pk != dossier.pk


def test_intake_links_only_the_campaigns_procedures_and_by_phone_when_listed_without_cccd(
    listed, alice, di_linh, khai_sinh, _pinned
):
    from tests.handbook.factories import ProcedureFactory

    hung = listed[1]
    services.record_attempt(
        alice, hung, channel="phone", outcome="appointment", next_action_at=vn(2026, 3, 4, 9, 0)
    )
    _pinned.move_to(vn(2026, 3, 4, 9, 0))
    marriage = ProcedureFactory(code="HT-005", name="Đăng ký kết hôn")
    _receive(alice, di_linh, marriage, id_number="068190009999", phone="0987654321", at=vn(2026, 3, 4, 9, 0))
    hung.refresh_from_db()
    assert hung.dossier is None  # not a procedure of this campaign
    birth = _receive(
        alice, di_linh, khai_sinh, id_number="068190009999", phone="0987654321", at=vn(2026, 3, 4, 9, 5)
    )
    hung.refresh_from_db()
    assert hung.dossier == birth and hung.status == "converted"


def test_a_call_nobody_answered_produced_nothing_at_intake(listed, alice, di_linh, khai_sinh, _pinned):
    kdiep = listed[0]
    services.record_attempt(alice, kdiep, channel="phone", outcome="no_answer")
    _pinned.move_to(vn(2026, 3, 3, 8, 0))
    _receive(alice, di_linh, khai_sinh, id_number="068190001234", phone="0912000000", at=vn(2026, 3, 3, 8, 0))
    kdiep.refresh_from_db()
    assert kdiep.dossier is None and kdiep.status == "in_progress"


def test_outcomes_fit_their_channel(listed, alice):
    from civicdesk.outreach.models import Consent

    Consent.objects.create(
        person=listed[0].person, channel="visit", source="Phiếu", given_at=listed[0].created_at
    )
    with pytest.raises(ValidationError) as err:
        services.record_attempt(alice, listed[0], channel="visit", outcome="wrong_number")
    assert "outcome" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.record_attempt(alice, listed[0], channel="phone", outcome="not_home")
    assert listed[0].attempts.count() == 0
