"""Sign-up with a waiting list, declines that reopen the place, drop and swap approved by the coordinator, check-in
by the shift's QR, check-out and hours, no-shows, citizens helped."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.volunteers import services
from civicdesk.volunteers.models import Booking, ChangeRequest, Help
from tests.factories import UserFactory
from tests.servicedesk.factories import DossierFactory

from .conftest import _volunteer, vn

pytestmark = pytest.mark.django_db


def user(volunteer):
    return volunteer.person.user


def test_a_full_shift_puts_the_next_on_the_waiting_list_and_a_decline_reopens_it(
    alice, di_linh, vy, tuan, week
):
    third = _volunteer(alice, di_linh, "an", "Ka An")
    shift = week[2]  # Tuesday morning, 2 places
    assert services.sign_up(user(vy), shift, vy).status == "confirmed"
    assert services.sign_up(user(tuan), shift, tuan).status == "confirmed"
    waiting = services.sign_up(user(third), shift, third)
    assert waiting.status == "waitlisted"
    with pytest.raises(ValidationError):
        services.sign_up(user(third), shift, third)  # once is enough
    booking = Booking.objects.get(shift=shift, volunteer=vy)
    promoted = services.answer_reminder(user(vy), booking, coming=False)
    assert [b.volunteer for b in promoted] == [third]
    assert Booking.objects.get(pk=waiting.pk).status == "confirmed"
    assert shift.bookings.on_shift().count() == 2


def test_sign_up_is_for_oneself_within_the_weekly_limit(alice, di_linh, vy, tuan, week):
    with pytest.raises(PermissionDenied):
        services.sign_up(user(tuan), week[2], vy)
    vy.max_per_week = 2
    vy.save()
    services.sign_up(user(vy), week[2], vy)
    services.sign_up(user(vy), week[3], vy)
    with pytest.raises(ValidationError, match="tối đa"):
        services.sign_up(user(vy), week[4], vy)
    services.sign_up(user(vy), week[10], vy)  # next week is another week


def test_a_drop_and_a_swap_wait_for_the_coordinator(alice, di_linh, vy, tuan, week):
    third = _volunteer(alice, di_linh, "an", "Ka An")
    shift = week[2]
    mine = services.sign_up(user(vy), shift, vy)
    services.sign_up(user(tuan), shift, tuan)
    waiting = services.sign_up(user(third), shift, third)
    drop = services.request_change(user(vy), mine, kind="drop", reason="Thi học kỳ")
    assert Booking.objects.get(pk=mine.pk).status == "confirmed"  # nothing changes before the decision
    with pytest.raises(PermissionDenied):
        services.decide_change(user(tuan), drop, approve=True)
    services.decide_change(alice, drop, approve=True)
    assert Booking.objects.get(pk=mine.pk).status == "dropped"
    assert Booking.objects.get(pk=waiting.pk).status == "confirmed"
    swap = services.request_change(user(tuan), Booking.objects.get(shift=shift, volunteer=tuan), kind="swap",
                                   to_volunteer=vy)  # fmt: skip
    services.decide_change(alice, swap, approve=True)
    assert Booking.objects.get(shift=shift, volunteer=vy).status == "confirmed"
    assert Booking.objects.get(shift=shift, volunteer=tuan).status == "dropped"
    assert ChangeRequest.objects.filter(status="approved").count() == 2
    with pytest.raises(ValidationError):
        services.decide_change(alice, swap, approve=False)  # decided once


def test_check_in_by_qr_check_out_and_hours(alice, vy, week, _pinned):
    shift = week[0]  # Monday morning 07:30–11:30
    booking = services.book(alice, shift, vy)
    with pytest.raises(ValidationError, match="QR"):
        services.check_in(user(vy), shift, vy, token="wrong")
    _pinned.move_to(vn(2026, 3, 2, 6, 30))
    with pytest.raises(ValidationError, match="Chỉ điểm danh từ 07:00"):
        services.check_in(user(vy), shift, vy, token=shift.checkin_token)
    _pinned.move_to(vn(2026, 3, 2, 7, 35))
    booking = services.check_in(user(vy), shift, vy, token=shift.checkin_token)
    assert booking.status == "attended"
    _pinned.move_to(vn(2026, 3, 2, 11, 50))
    booking = services.check_out(user(vy), booking)
    assert booking.hours == pytest.approx(4.25)


def test_no_show_only_after_the_shift_and_only_for_the_absent(alice, vy, tuan, week, _pinned):
    shift = week[0]
    absent = services.book(alice, shift, vy)
    present = services.book(alice, shift, tuan)
    with pytest.raises(ValidationError):
        services.mark_no_show(alice, absent)
    _pinned.move_to(vn(2026, 3, 2, 8, 0))
    services.check_in(user(tuan), shift, tuan, token=shift.checkin_token)
    _pinned.move_to(vn(2026, 3, 2, 12, 0))
    assert services.mark_no_show(alice, absent).status == "no_show"
    with pytest.raises(ValidationError):
        services.mark_no_show(alice, Booking.objects.get(pk=present.pk))


def test_citizens_helped_are_counted_on_the_shift_and_linked_to_dossiers(
    alice, di_linh, vy, week, khai_sinh, _pinned
):
    shift = week[0]
    services.book(alice, shift, vy)
    _pinned.move_to(vn(2026, 3, 2, 7, 40))
    booking = services.check_in(user(vy), shift, vy, token=shift.checkin_token)
    _pinned.move_to(vn(2026, 3, 2, 9, 0))
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, channel="truc_tuyen_ho_tro",
                             received_at=vn(2026, 3, 2, 8, 50))  # fmt: skip
    services.log_help(user(vy), vy, procedure_code="ht-001", filed_online=True)
    services.log_help(user(vy), vy, procedure_code="HT-001")
    linked = services.log_help(user(vy), vy, dossier_code=dossier.code)
    assert linked.filed_online and linked.procedure == khai_sinh and linked.dossier == dossier
    assert Help.objects.filter(booking=booking).count() == 3
    with pytest.raises(ValidationError):
        services.log_help(user(vy), vy, dossier_code="25000-000000-999")
    with pytest.raises(ValidationError):
        services.log_help(user(vy), vy, note="a\x00b")
    outsider = UserFactory(username="out", role="volunteer", commune=di_linh)
    with pytest.raises(PermissionDenied):
        services.log_help(outsider, vy)
