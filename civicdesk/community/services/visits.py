"""Accompaniment requests: asked, matched, assigned, accepted or declined, done with an outcome, or cancelled."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.workcal import get_calendar
from civicdesk.kernel.actors import person as person_of
from civicdesk.servicedesk.models import Dossier

from .. import matchmaking
from ..models import Accompaniment, Person
from ..permissions import require_answer_for, require_assign, require_request
from ..reasons import render

# A request is met when the visit happens within this many working days of the request (the monthly report).
RESPONSE_WORKING_DAYS = 3
Status = Accompaniment.Status


def _transition(actor, acc, to_status, *, reason="", changes=None):
    before = acc.status
    acc.status = to_status
    acc.full_clean()
    acc.save()
    audit.record(
        actor,
        audit.Action.TRANSITION,
        acc,
        changes={"status": [before, to_status], **(changes or {})},
        reason=reason,
    )
    return acc


@transaction.atomic
def request_accompaniment(
    actor, *, commune, citizen, language, date, slot=Accompaniment.Slot.DAY, now=None, **extra
):
    """Record a request for a speaker of `language` to go with `citizen` on `date`.

    `extra`: dialect, min_level, hamlet, address, procedure, procedure_name, origin, ticket, origin_dossier, note.
    The request is due (to be met) within RESPONSE_WORKING_DAYS working days of being made.
    """
    require_request(actor, commune)
    now = now or timezone.now()
    if citizen.commune_id != commune.pk or citizen.kind != Person.Kind.CITIZEN:
        raise ValidationError({"citizen": _("Người dân phải thuộc danh sách của xã này.")})
    hamlet = extra.get("hamlet")
    if hamlet is not None and hamlet.commune_id != commune.pk:
        raise ValidationError({"hamlet": _("Thôn, tổ dân phố không thuộc xã này.")})
    if date < timezone.localdate(now):
        raise ValidationError({"date": _("Ngày hẹn đã qua; hãy chọn hôm nay hoặc một ngày sau.")})
    procedure = extra.get("procedure")
    if procedure is not None and not extra.get("procedure_name"):
        extra["procedure_name"] = procedure.name
    acc = Accompaniment(
        province_id=commune.province_id,
        commune=commune,
        citizen=citizen,
        language=language,
        date=date,
        slot=slot,
        requested_by=person_of(actor),
        created_at=now,
        due_at=get_calendar().add_working_days(now, RESPONSE_WORKING_DAYS),
        **extra,
    )
    acc.full_clean()
    acc.save()
    audit.record(actor, audit.Action.CREATE, acc, changes={"language": language, "date": date.isoformat()})
    return acc


def _check_assignable(acc, person):
    if not acc.is_active or acc.status == Status.ACCEPTED:
        raise ValidationError(
            _("Chỉ phân công được đề nghị đang chờ (hoặc đang chờ người được phân công nhận).")
        )
    if (
        person.commune_id != acc.commune_id
        or person.kind not in ("official", "volunteer")
        or not person.is_active
    ):
        raise ValidationError(_("Người đi cùng phải là cán bộ hoặc tình nguyện viên đang hoạt động của xã."))
    if acc.declined_by.filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s đã từ chối chuyến này.") % {"name": person.full_name})
    verdict = matchmaking.score_for(acc, person)
    if verdict is None or not hasattr(verdict, "score"):
        reason = render({"code": verdict.code, "params": verdict.params}) if verdict is not None else ""
        raise ValidationError(
            _("Không phân công được %(name)s: %(reason)s") % {"name": person.full_name, "reason": reason}
        )
    return verdict


@transaction.atomic
def assign(actor, acc, person, *, now=None, proposal=None):
    """Give the request to `person` (one of the commune's speakers who passes every hard rule)."""
    acc = Accompaniment.objects.select_for_update(of=("self",)).get(pk=acc.pk)
    require_assign(actor, acc.commune)
    verdict = proposal or _check_assignable(acc, person)
    acc.assignee = person
    acc.assigned_slot = verdict.slot
    acc.match_score = round(verdict.score, 1)
    acc.match_reasons = [dict(r) for r in verdict.reasons]
    acc.assigned_at = now or timezone.now()
    acc.responded_at = None
    return _transition(actor, acc, Status.ASSIGNED, changes={"assignee": person.full_name})


@transaction.atomic
def respond(actor, acc, *, accept, reason="", now=None):
    """The person assigned accepts, or declines (the request reopens and will not be proposed to them again)."""
    acc = Accompaniment.objects.select_for_update(of=("self",)).get(pk=acc.pk)
    require_answer_for(actor, acc)
    if acc.status != Status.ASSIGNED:
        raise ValidationError(_("Chuyến này không còn chờ trả lời."))
    acc.responded_at = now or timezone.now()
    if accept:
        return _transition(actor, acc, Status.ACCEPTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do từ chối để xã sắp xếp người khác.")})
    declined = acc.assignee
    acc.declined_by.add(declined)
    acc.assignee = None
    acc.assigned_slot = ""
    acc.match_score = None
    acc.match_reasons = []
    return _transition(actor, acc, Status.OPEN, reason=reason, changes={"declined": declined.full_name})


@transaction.atomic
def record_visit(actor, acc, *, outcome, note="", dossier_code="", visited_at=None):
    """Close the request with what the visit achieved; a filed dossier is linked by its code (same commune)."""
    acc = Accompaniment.objects.select_for_update(of=("self",)).get(pk=acc.pk)
    require_answer_for(actor, acc)
    if acc.status not in (Status.ASSIGNED, Status.ACCEPTED):
        raise ValidationError(_("Chỉ ghi kết quả cho chuyến đã phân công."))
    if outcome not in Accompaniment.Outcome.values:
        raise ValidationError({"outcome": _("Hãy chọn kết quả của chuyến đi.")})
    dossier = None
    code = (dossier_code or "").strip()
    if code:
        dossier = Dossier.objects.filter(code=code, commune=acc.commune).first()
        if dossier is None:
            raise ValidationError(
                {"dossier_code": _("Xã không có hồ sơ mã “%(code)s”.") % {"code": code[:40]}}
            )
        if outcome != Accompaniment.Outcome.FILED:
            raise ValidationError({"dossier_code": _("Chỉ ghi mã hồ sơ khi kết quả là “Đã nộp hồ sơ”.")})
    visited_at = visited_at or timezone.now()
    if visited_at < acc.created_at:
        raise ValidationError({"visited_at": _("Thời điểm đi không thể trước lúc đề nghị.")})
    acc.outcome = outcome
    acc.outcome_note = note
    acc.dossier = dossier
    acc.visited_at = visited_at
    return _transition(
        actor, acc, Status.DONE, changes={"outcome": outcome, "dossier": dossier.code if dossier else ""}
    )


@transaction.atomic
def cancel(actor, acc, *, reason):
    acc = Accompaniment.objects.select_for_update(of=("self",)).get(pk=acc.pk)
    require_assign(actor, acc.commune)
    if not acc.is_active:
        raise ValidationError(_("Đề nghị này đã kết thúc."))
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do hủy.")})
    return _transition(actor, acc, Status.CANCELLED, reason=reason)


@transaction.atomic
def assign_week(actor, commune, monday, *, now=None):
    """Solve the week's open requests of `commune` optimally and assign every request the plan serves.

    Returns the solve (see `matchmaking.solve_week`) with the accompaniments assigned.
    """
    require_assign(actor, commune)
    plan = matchmaking.solve_week(commune, monday)
    people = plan["people"]
    assigned = []
    for request_id, proposal in sorted(plan["optimal"].assignments.items()):
        acc = plan["accompaniments"][request_id]
        assigned.append(assign(actor, acc, people[proposal.speaker_id], now=now, proposal=proposal))
    plan["assigned"] = assigned
    return plan
