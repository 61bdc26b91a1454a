"""Accompaniment requests end to end through the services: request → proposals with reasons → assign → accept or
decline → visit recorded with the dossier it produced; the week's batch; the 3-working-day due date; refusals."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.community import matchmaking, services
from civicdesk.community.models import Accompaniment
from civicdesk.community.reasons import render
from civicdesk.core.models import AuditEvent
from tests.factories import UserFactory
from tests.handbook.factories import ProcedureFactory
from tests.servicedesk.factories import DossierFactory, vn

from .conftest import MONDAY, speaker

TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def khai_sinh(db):
    return ProcedureFactory(code="HT-001", name="Đăng ký khai sinh")


def ask(actor, citizen, day=TUESDAY, slot="am", **extra):
    return services.request_accompaniment(
        actor,
        commune=citizen.commune,
        citizen=citizen,
        language="kpm",
        date=day,
        slot=slot,
        hamlet=citizen.hamlet,
        procedure_name=extra.pop("procedure_name", "Đăng ký khai sinh"),
        **extra,
    )


@pytest.mark.django_db
def test_best_match_is_the_certified_speaker_with_reasons(charlie, citizen, officer, colleague, khai_sinh):
    acc = ask(charlie, citizen, procedure=khai_sinh)
    assert acc.status == "open" and acc.procedure_name == "Đăng ký khai sinh"
    found, excluded = matchmaking.proposals(acc)
    assert [c.person for c in found] == [officer, colleague]
    best = found[0].proposal
    assert best.score > found[1].proposal.score
    reasons = " · ".join(render(r) for r in best.reasons)
    assert "K'Ho" in reasons and "chứng chỉ" in reasons and "km" in reasons
    assert excluded == {} or all(v >= 0 for v in excluded.values())


@pytest.mark.django_db
def test_language_is_a_hard_rule(charlie, citizen, camly, hamlets):
    speaker(camly, "Ma Thị Sương", hamlets[0], (5, 5), code="cma")
    acc = ask(charlie, citizen)
    found, excluded = matchmaking.proposals(acc)
    assert found == []
    assert sum(excluded.values()) == 1


@pytest.mark.django_db
def test_full_visit_produces_a_dossier(charlie, citizen, officer, camly, khai_sinh):
    acc = ask(charlie, citizen, procedure=khai_sinh)
    acc = services.assign(charlie, acc, officer)
    assert acc.status == "assigned" and acc.assigned_slot == "am" and acc.match_score > 0
    assert acc.match_reasons and all("code" in r for r in acc.match_reasons)
    acc = services.respond(charlie, acc, accept=True)
    assert acc.status == "accepted"
    dossier = DossierFactory(
        commune=camly, procedure=khai_sinh, code="24787-260303-001", received_at=vn(2026, 3, 3, 10)
    )
    acc = services.record_visit(
        charlie, acc, outcome="filed", dossier_code=dossier.code, visited_at=vn(2026, 3, 3, 9, 30)
    )
    assert acc.status == "done" and acc.dossier == dossier
    assert acc.visited_at <= acc.due_at
    actions = list(
        AuditEvent.objects.filter(object_type="community.accompaniment").values_list("action", flat=True)
    )
    assert actions.count("transition") == 3 and "create" in actions


@pytest.mark.django_db
def test_dossier_of_another_commune_is_refused(charlie, citizen, officer, di_linh, khai_sinh):
    acc = services.assign(charlie, ask(charlie, citizen), officer)
    other = DossierFactory(commune=di_linh, procedure=khai_sinh, code="25000-260303-001")
    with pytest.raises(ValidationError) as err:
        services.record_visit(charlie, acc, outcome="filed", dossier_code=other.code)
    assert "dossier_code" in err.value.message_dict
    assert Accompaniment.objects.get(pk=acc.pk).status == "assigned"


@pytest.mark.django_db
def test_decline_reopens_and_is_not_proposed_again(charlie, citizen, officer, colleague):
    acc = services.assign(charlie, ask(charlie, citizen), officer)
    with pytest.raises(ValidationError):
        services.respond(charlie, acc, accept=False, reason="  ")
    acc = services.respond(charlie, acc, accept=False, reason="Đi tập huấn")
    assert acc.status == "open" and acc.assignee is None
    found, excluded = matchmaking.proposals(acc)
    assert [c.person for c in found] == [colleague] and excluded.get("declined") == 1
    with pytest.raises(ValidationError):
        services.assign(charlie, acc, officer)


@pytest.mark.django_db
def test_busy_speaker_is_not_proposed_for_the_same_half_day(charlie, citizen, officer, colleague):
    first = services.assign(charlie, ask(charlie, citizen), officer)
    second = ask(charlie, citizen)
    found, _excluded = matchmaking.proposals(second)
    assert [c.person for c in found] == [colleague]
    assert first.assigned_slot == "am"


@pytest.mark.django_db
def test_due_in_three_working_days_over_the_weekend(charlie, citizen):
    with time_machine.travel(vn(2026, 3, 6, 15), tick=False):
        acc = ask(charlie, citizen, day=dt.date(2026, 3, 9))
    # Friday 15:00 + 3 working days = Wednesday 11/03 15:00 (the weekend does not count).
    assert acc.due_at == vn(2026, 3, 11, 15)


@pytest.mark.django_db
def test_request_in_the_past_is_refused(charlie, citizen):
    with pytest.raises(ValidationError) as err:
        ask(charlie, citizen, day=MONDAY - dt.timedelta(days=1))
    assert "date" in err.value.message_dict


@pytest.mark.django_db
def test_other_commune_can_neither_request_nor_assign(alice, charlie, citizen, officer):
    with pytest.raises(PermissionDenied):
        ask(alice, citizen)
    acc = ask(charlie, citizen)
    with pytest.raises(PermissionDenied):
        services.assign(alice, acc, officer)
    with pytest.raises(PermissionDenied):
        services.cancel(alice, acc, reason="x")


@pytest.mark.django_db
def test_assignee_answers_for_themselves(charlie, citizen, camly, hamlets):
    volunteer_user = UserFactory(username="tnv", role="volunteer", commune=camly)
    volunteer = speaker(camly, "K'Brăng", hamlets[0], (5, 5), kind="volunteer", user=volunteer_user)
    acc = services.assign(charlie, ask(charlie, citizen), volunteer)
    acc = services.respond(volunteer_user, acc, accept=True)
    assert acc.status == "accepted"
    with pytest.raises(PermissionDenied):
        services.cancel(volunteer_user, acc, reason="không đi")


@pytest.mark.django_db
def test_week_is_assigned_optimally(charlie, citizen, officer, colleague, camly, hamlets):
    # Two morning requests on Tuesday: each speaker takes one; a third needs the afternoon.
    a = ask(charlie, citizen)
    b = ask(charlie, citizen)
    c = ask(charlie, citizen, slot="day")
    plan = services.assign_week(charlie, camly, MONDAY)
    assert plan["optimal"].served == 3 and plan["optimal"].status == "optimal"
    rows = {x.pk: x for x in Accompaniment.objects.filter(pk__in=[a.pk, b.pk, c.pk])}
    assert all(r.status == "assigned" for r in rows.values())
    slots = {(r.assignee_id, r.date, r.assigned_slot) for r in rows.values()}
    assert len(slots) == 3  # nobody twice in one half-day
    assert plan["greedy"].served <= plan["optimal"].served


@pytest.mark.django_db
def test_cancel_needs_a_reason(charlie, citizen):
    acc = ask(charlie, citizen)
    with pytest.raises(ValidationError):
        services.cancel(charlie, acc, reason="")
    acc = services.cancel(charlie, acc, reason="Người dân đã tự nộp trực tuyến")
    assert acc.status == "cancelled"
    with pytest.raises(ValidationError):
        services.assign(charlie, acc, acc.citizen)
