"""Writes for secondments: named transitions, the secondee's weekly reports, the leader's assessment."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit

from ..models import Assessment, Secondment, WeeklyReport
from ..permissions import is_host_leader, is_secondee, require_planner

S = Secondment.Status


def _transition(actor, secondment, allowed_from, to, *, reason=""):
    require_planner(actor, secondment.commune.province)
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if secondment.status not in allowed_from:
        raise ValidationError(
            _("Không thể chuyển từ “%(a)s” sang “%(b)s”.")
            % {"a": secondment.get_status_display(), "b": S(to).label}
        )
    old = secondment.status
    secondment.status = to
    if to in (S.COMPLETED, S.CANCELLED):
        secondment.ended_at = timezone.now()
        secondment.end_reason = reason
    secondment.save()
    audit.record(actor, audit.Action.TRANSITION, secondment, changes={"status": [old, to]}, reason=reason)
    return secondment


@transaction.atomic
def start_secondment(actor, secondment):
    """planned → active: the person has arrived in the commune."""
    return _transition(actor, secondment, {S.PLANNED}, S.ACTIVE)


@transaction.atomic
def complete_secondment(actor, secondment, *, reason=""):
    """active → completed: the term is over (or ended early, with a reason)."""
    return _transition(actor, secondment, {S.ACTIVE}, S.COMPLETED, reason=reason)


@transaction.atomic
def cancel_secondment(actor, secondment, *, reason):
    """planned/active → cancelled; a reason is required."""
    if not (reason or "").strip():
        raise ValidationError(_("Cần ghi lý do hủy biệt phái."))
    return _transition(actor, secondment, {S.PLANNED, S.ACTIVE}, S.CANCELLED, reason=reason.strip())


@transaction.atomic
def submit_weekly_report(
    actor, secondment, *, week_start, work_done, dossiers_helped=0, difficulties="", needs=""
):
    """The secondee files (or corrects) their report for the week starting on Monday `week_start`."""
    if not is_secondee(actor, secondment):
        raise PermissionDenied(_("Chỉ người được biệt phái mới gửi báo cáo tuần của mình."))
    if secondment.status != S.ACTIVE:
        raise ValidationError(_("Chỉ gửi báo cáo khi đang trong thời gian biệt phái."))
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("Tuần báo cáo phải bắt đầu vào thứ Hai.")})
    today = timezone.localdate()
    if week_start > today:
        raise ValidationError({"week_start": _("Không gửi báo cáo cho tuần chưa bắt đầu.")})
    if week_start + timedelta(days=6) < secondment.start_date or week_start > secondment.end_date:
        raise ValidationError({"week_start": _("Tuần này nằm ngoài thời gian biệt phái.")})
    if not (work_done or "").strip():
        raise ValidationError({"work_done": _("Cần mô tả công việc đã làm.")})
    data = {
        "work_done": work_done.strip(),
        "dossiers_helped": dossiers_helped,
        "difficulties": difficulties.strip(),
        "needs": needs.strip(),
    }
    report = WeeklyReport.objects.filter(secondment=secondment, week_start=week_start).first()
    created = report is None
    report = report or WeeklyReport(secondment=secondment, week_start=week_start, submitted_by=actor)
    changes = audit.diff(report, data, list(data))
    report.full_clean()
    report.save()
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, report, changes=changes)
    return report


@transaction.atomic
def submit_assessment(actor, secondment, *, rating, results, shortcomings="", recommendation=""):
    """The host commune's leader assesses the secondee at the end of the term (can correct it later)."""
    if not is_host_leader(actor, secondment):
        raise PermissionDenied(_("Chỉ lãnh đạo UBND xã nơi tiếp nhận mới đánh giá cuối đợt."))
    if secondment.status not in (S.ACTIVE, S.COMPLETED):
        raise ValidationError(_("Chỉ đánh giá người đang hoặc đã biệt phái tại xã."))
    if not (results or "").strip():
        raise ValidationError({"results": _("Cần nêu kết quả công tác.")})
    data = {
        "rating": rating,
        "results": results.strip(),
        "shortcomings": shortcomings.strip(),
        "recommendation": recommendation.strip(),
    }
    assessment = Assessment.objects.filter(secondment=secondment).first()
    created = assessment is None
    assessment = assessment or Assessment(secondment=secondment)
    changes = audit.diff(assessment, data, list(data))
    assessment.assessed_by = actor
    assessment.full_clean()
    assessment.save()
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, assessment, changes=changes)
    return assessment
