"""Routing to the right team, due times on the working calendar (weekends, Tết), the paused clock, assignment
strategies with absences, and the SLA check: warning, breach, escalation to the leader, auto-close."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import CalendarDay
from civicdesk.hotline import services
from civicdesk.hotline.models import Team, Ticket, TicketEvent
from tests.factories import SYSTEM, UserFactory
from tests.hotline.conftest import vn


def test_civil_status_question_lands_with_the_justice_expert(ticket, phap, tu_phap_team):
    assert ticket.team == tu_phap_team
    assert ticket.assignee == phap
    assert ticket.status == Ticket.Status.ASSIGNED
    assert ticket.commune.name == "Xã Di Linh"


def test_due_times_skip_the_weekend_and_tet(ticket):
    # Filed Wed 11/02/2026 09:00 (normal: 8 h first response, 24 h resolution, office 07:30–11:30, 13:30–17:00).
    assert ticket.first_response_due == vn(2026, 2, 12, 9, 30)
    # Wed 6 h + Thu 7.5 h + Fri 7.5 h = 21 h; 14–22/02 are a weekend, Tết (16–20) and a weekend; 3 h on Mon 23/02.
    assert ticket.resolution_due == vn(2026, 2, 23, 10, 30)


def test_an_admin_day_swap_moves_the_due_time(routing, alice, file_question):
    CalendarDay.objects.create(date=date(2026, 2, 13), kind=CalendarDay.Kind.OFF, note="Nghỉ bù")
    ticket = file_question(alice, now=vn(2026, 2, 11, 9, 0))
    assert ticket.resolution_due == vn(2026, 2, 24, 7, 30) + timedelta(hours=3)


def test_a_province_rule_sends_land_questions_to_the_working_group(routing, alice, lam, file_question):
    ticket = file_question(alice, field="dat_dai", title="Cấp giấy chứng nhận lần đầu", now=vn(2026, 3, 2, 8))
    assert ticket.team == routing["land"]
    assert ticket.assignee == lam


def test_a_question_without_field_waits_for_triage(routing, alice, file_question):
    ticket = file_question(alice, field=None)
    assert ticket.team is None and ticket.assignee is None and ticket.status == Ticket.Status.NEW


def test_sla_policy_per_urgency(routing, alice, quan, lam_dong, file_question):
    services.set_sla_policy(
        quan, province=lam_dong, urgency="urgent", first_response_hours=1, resolution_hours=4, warn_percent=50
    )
    ticket = file_question(alice, urgency="urgent", now=vn(2026, 3, 2, 10, 0))
    assert ticket.first_response_due == vn(2026, 3, 2, 11, 0)
    assert ticket.resolution_due == vn(2026, 3, 2, 16, 0)  # 1.5 h before lunch, 2.5 h after


def test_only_the_province_admin_configures_routing_and_sla(routing, phap, alice, lam_dong, fields):
    for user in (phap, alice):
        with pytest.raises(PermissionDenied):
            services.set_routing_rule(user, province=lam_dong, field=fields["ho_tich"], team=routing["land"])
        with pytest.raises(PermissionDenied):
            services.set_sla_policy(
                user, province=lam_dong, urgency="low", first_response_hours=1, resolution_hours=2
            )


def test_invalid_sla_policy_is_refused_in_vietnamese(quan, lam_dong):
    with pytest.raises(ValidationError) as exc:
        services.set_sla_policy(
            quan, province=lam_dong, urgency="low", first_response_hours=9, resolution_hours=2
        )
    assert "không dài hơn thời hạn giải quyết" in str(exc.value)


def test_waiting_for_the_commune_pauses_the_resolution_clock(ticket, phap, alice):
    services.reply(
        phap, ticket, "Xã cho biết người cha đã có giấy tờ gì?", then="waiting", now=vn(2026, 2, 11, 10)
    )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING and ticket.first_responded_at == vn(2026, 2, 11, 10)
    # The commune answers the next working day at 10:00: 7.5 office hours passed while waiting.
    services.reply(alice, ticket, "Người cha có hộ chiếu.", now=vn(2026, 2, 12, 10))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ASSIGNED
    assert ticket.paused_seconds == 7.5 * 3600
    # Mon 23/02 10:30 + 7.5 office hours = Tue 24/02 10:30.
    assert ticket.resolution_due == vn(2026, 2, 24, 10, 30)


def test_round_robin_takes_turns_and_skips_absent_experts(
    routing, alice, phap, phap2, file_question, tu_phap
):
    first = file_question(alice, now=vn(2026, 3, 2, 8))
    second = file_question(alice, now=vn(2026, 3, 2, 9))
    assert {first.assignee, second.assignee} == {phap, phap2}
    services.add_absence(phap, user=phap, start=date(2026, 3, 3), end=date(2026, 3, 6), note="Tập huấn")
    on_leave_days = [file_question(alice, now=vn(2026, 3, 3, 8 + i)).assignee for i in range(3)]
    assert on_leave_days == [phap2, phap2, phap2]


def test_least_open_tickets_strategy(routing, alice, phap, phap2, file_question, tu_phap_team):
    services.update_team(phap, tu_phap_team, strategy=Team.Strategy.LEAST_OPEN, leader=phap)
    busy = [file_question(alice, now=vn(2026, 3, 2, 8)) for _ in range(2)]
    services.resolve(busy[0].assignee, busy[0], now=vn(2026, 3, 2, 9))
    # One of them has one open ticket, the other none: the next question goes to the free one.
    free = phap if busy[1].assignee == phap2 else phap2
    assert file_question(alice, now=vn(2026, 3, 2, 10)).assignee == free


def test_manual_team_leaves_the_ticket_in_the_team_queue(
    routing, alice, phap, tu_phap_team, file_question, mailoutbox
):
    services.update_team(phap, tu_phap_team, strategy=Team.Strategy.MANUAL, leader=phap)
    ticket = file_question(alice)
    assert ticket.assignee is None and ticket.status == Ticket.Status.NEW


def test_only_a_leader_or_admin_changes_a_team(routing, phap2, tu_phap_team, charlie):
    for user in (phap2, charlie):
        with pytest.raises(PermissionDenied):
            services.update_team(user, tu_phap_team, strategy=Team.Strategy.MANUAL)


def test_an_expert_cannot_declare_a_colleagues_absence_unless_leader(routing, phap, phap2):
    with pytest.raises(PermissionDenied):
        services.add_absence(phap2, user=phap, start=date(2026, 3, 3), end=date(2026, 3, 4))
    services.add_absence(
        phap, user=phap2, start=date(2026, 3, 3), end=date(2026, 3, 4)
    )  # phap leads the team


# --- the SLA check ------------------------------------------------------------------------------------------------
def test_warning_before_breach_then_escalation_to_the_leader(
    routing, alice, phap2, phap, tu_phap_team, file_question, mailoutbox, django_capture_on_commit_callbacks
):
    services.update_team(phap, tu_phap_team, strategy=Team.Strategy.MANUAL, leader=phap)
    with django_capture_on_commit_callbacks(execute=True):
        # Monday, urgency high: first response within 4 office hours → 14:00 (lunch 11:30–13:30 not counted).
        ticket = file_question(alice, urgency="high", now=vn(2026, 3, 2, 8, 0))
        services.assign(phap, ticket, phap2, now=vn(2026, 3, 2, 8, 5))
    mailoutbox.clear()
    assert ticket.first_response_due == vn(2026, 3, 2, 14, 0)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.check_sla(vn(2026, 3, 2, 13, 40))  # 20 min left of 4 h: past the 75 % warning
    assert counts == {"warned": 1, "breached": 0, "closed": 0}
    assert [m.to for m in mailoutbox] == [[phap2.email]] and "Sắp quá hạn" in mailoutbox[0].subject
    assert services.check_sla(vn(2026, 3, 2, 13, 45))["warned"] == 0  # warned once

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.check_sla(vn(2026, 3, 2, 14, 15))
    assert counts["breached"] == 1
    ticket.refresh_from_db()
    assert ticket.first_response_breached_at and ticket.escalated_at
    assert sorted(mailoutbox[0].to) == sorted([phap.email, phap2.email])
    assert f"[{ticket.reference}] Quá hạn" in mailoutbox[0].subject
    assert ticket.events.filter(kind=TicketEvent.Kind.ESCALATED, data__to=[phap.pk]).exists()
    assert services.check_sla(vn(2026, 3, 2, 14, 20))["breached"] == 0  # escalated once
    assert list(Ticket.objects.overdue(vn(2026, 3, 2, 14, 20))) == [ticket]


def test_breach_without_leader_goes_to_the_province_admins(
    routing,
    alice,
    quan,
    nnmt_team,
    file_question,
    fields,
    lam_dong,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    services.set_routing_rule(SYSTEM, province=lam_dong, field=fields["moi_truong"], team=nnmt_team)
    ticket = file_question(alice, field="moi_truong", now=vn(2026, 3, 2, 8))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.check_sla(vn(2026, 3, 9, 8))
    ticket.refresh_from_db()
    assert ticket.resolution_breached_at is not None
    assert any(quan.email in m.to for m in mailoutbox)


def test_no_breach_while_waiting_for_the_commune(ticket, phap):
    services.reply(phap, ticket, "Cần thêm thông tin.", then="waiting", now=vn(2026, 2, 11, 9, 30))
    assert services.check_sla(vn(2026, 3, 30, 9))["breached"] == 0


def test_resolved_tickets_close_after_the_reopen_window(ticket, phap):
    services.reply(phap, ticket, "Trả lời.", then="resolved", now=vn(2026, 2, 11, 10))
    assert services.check_sla(vn(2026, 2, 15, 10))["closed"] == 0
    assert services.check_sla(vn(2026, 2, 19, 10))["closed"] == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_check_sla_command_and_periodic_task(ticket, capsys):
    from django.core.management import call_command

    from civicdesk.hotline.tasks import check_sla_periodically

    call_command("hotline", "check-sla", "--now", "2026-03-30T09:00")
    assert "quá hạn (đã báo trưởng nhóm): 2" in capsys.readouterr().out
    check_sla_periodically.call_local()  # the huey task calls the same service
    with pytest.raises(Exception, match="không hợp lệ"):
        call_command("hotline", "check-sla", "--now", "hôm qua")


def test_experts_of_another_team_are_not_members(routing, lam, phap):
    assert not routing["tu_phap"].has_member(lam)
    assert routing["land"].has_member(lam)
    assert UserFactory(role="commune_officer").pk not in routing["tu_phap"].members().values_list(
        "pk", flat=True
    )
