"""Writes for plans (scenarios): create, copy, lock, run the optimiser as a job, record the result, approve."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.core import audit
from civicdesk.core.jobs import start_job
from civicdesk.core.models import Department
from civicdesk.geo.models import Commune
from civicdesk.kernel.actors import person, system

from .. import jobs, optimizer
from ..fields import FIELD_CODES
from ..models import DepartmentQuota, Need, Plan, PlanAssignment, PlanLock, Secondment, StaffMember
from ..optimizer import message
from ..permissions import require_planner
from ..queries import input_from_snapshot, plan_summary
from ..readiness import period_end, plan_problems, pool_state
from ..shortfall import shortfall

# The actor of what the solve job writes when it finishes (the planner who started it is on the job).
SOLVER = system(gettext_lazy("bộ giải phương án"))

PLAN_PARAMS = (
    "name",
    "total",
    "distance_weight",
    "max_per_commune",
    "time_limit",
    "period_start",
    "period_months",
    "note",
)


def _check_params(plan):
    """What makes no plan at all, whoever asks (page, API, command). The page's form checks more, against today and
    the pool (`forms.PlanLimits`); here only what does not depend on the day: a plan sends somebody."""
    if plan.total is not None and plan.total < 1:
        raise ValidationError({"total": _("Tổng số người phải ít nhất là 1.")})
    plan.full_clean()


@transaction.atomic
def create_plan(actor, province, **params):
    """Create a draft scenario with the issue's parameters (total, distance weight, max per commune, …)."""
    require_planner(actor, province)
    plan = Plan(
        province=province, created_by=person(actor), **{k: v for k, v in params.items() if k in PLAN_PARAMS}
    )
    _check_params(plan)
    plan.save()
    audit.record(actor, audit.Action.CREATE, plan, changes={k: str(v) for k, v in params.items()})
    return plan


@transaction.atomic
def copy_plan(actor, plan, *, name, total, period_start=None, period_months=None):
    """A new draft scenario with the same parameters and locks as `plan` but another name and total (and, when
    given, another period)."""
    require_planner(actor, plan.province)
    params = {k: getattr(plan, k) for k in PLAN_PARAMS}
    params.update(name=name, total=total)
    if period_start is not None:
        params["period_start"] = period_start
    if period_months is not None:
        params["period_months"] = period_months
    new = create_plan(actor, plan.province, **params)
    PlanLock.objects.bulk_create(
        PlanLock(
            plan=new,
            kind=lock.kind,
            staff=lock.staff,
            commune=lock.commune,
            field=lock.field,
            reason=lock.reason,
        )
        for lock in plan.locks.all()
    )
    return new


def _editable(actor, plan):
    require_planner(actor, plan.province)
    if not plan.is_editable:
        raise PermissionDenied(_("Phương án đang giải hoặc đã phê duyệt, không sửa được."))


@transaction.atomic
def update_plan(actor, plan, **params):
    """Change a draft's parameters; a solved plan returns to draft (its result no longer matches)."""
    _editable(actor, plan)
    changes = audit.diff(plan, params, PLAN_PARAMS)
    _check_params(plan)
    if changes and plan.status != Plan.Status.DRAFT:
        _reset(plan)
    plan.save()
    if changes:
        audit.record(actor, audit.Action.UPDATE, plan, changes=changes)
    return plan


def _reset(plan):
    plan.assignments.all().delete()
    plan.status = Plan.Status.DRAFT
    plan.solver_status = ""
    plan.objective = plan.bound = plan.gap = plan.seconds = None
    plan.summary, plan.message_codes = {}, []


@transaction.atomic
def add_lock(actor, plan, *, kind, staff, commune=None, field="", reason=""):
    """Add a lock: must_send / must_not_send (a person), fixed (person, commune, field), forbidden (person, commune)."""
    _editable(actor, plan)
    if staff.province_id != plan.province_id or (
        commune is not None and commune.province_id != plan.province_id
    ):
        raise ValidationError(_("Cán bộ và xã phải thuộc tỉnh của phương án."))
    if kind == PlanLock.Kind.FIXED and (commune is None or field not in FIELD_CODES):
        raise ValidationError(_("Khóa cố định cần chọn xã và lĩnh vực."))
    if kind == PlanLock.Kind.FIXED and field not in staff.fields:
        raise ValidationError(_("Cán bộ này không có lĩnh vực đã chọn."))
    if kind == PlanLock.Kind.FORBIDDEN and commune is None:
        raise ValidationError(_("Khóa “không cử đến xã này” cần chọn xã."))
    if kind in (PlanLock.Kind.MUST_SEND, PlanLock.Kind.MUST_NOT_SEND):
        commune, field = None, ""
    if kind != PlanLock.Kind.FIXED:
        field = ""
    if plan.locks.filter(kind=kind, staff=staff, commune=commune).exists():
        raise ValidationError(_("Khóa này đã có."))
    lock = PlanLock(plan=plan, kind=kind, staff=staff, commune=commune, field=field, reason=reason)
    lock.full_clean()
    lock.save()
    if plan.status != Plan.Status.DRAFT:
        _reset(plan)
        plan.save()
    audit.record(actor, audit.Action.CREATE, lock, changes={"plan": plan.pk, "kind": kind})
    return lock


@transaction.atomic
def remove_lock(actor, lock):
    _editable(actor, lock.plan)
    audit.record(actor, audit.Action.DELETE, lock)
    plan = lock.plan
    lock.delete()
    if plan.status != Plan.Status.DRAFT:
        _reset(plan)
        plan.save()


def build_snapshot(plan, state=None):
    """The optimiser input for `plan` from the database, as a JSON-able dict (see `input_from_snapshot`).

    Needs of communes without coordinates, and people who are unavailable or already seconded in the period
    (`readiness.pool_state`), are left out with a warning (a `plan_messages` code, shown in the reader's language).
    """
    warnings = []
    needs = list(Need.objects.filter(commune__province=plan.province, units__gt=0).select_related("commune"))
    communes = {}
    no_coords = set()
    for need in needs:
        c = need.commune
        if c.lat is None or c.lon is None:
            no_coords.add(c.name)
        else:
            communes[str(c.code)] = [c.lat, c.lon]
    if no_coords:
        warnings.append(message("no_coordinates", n=len(no_coords), names=sorted(no_coords)[:10]))
    state = state or pool_state(plan.province, plan.period_start, plan.period_months)
    staff = [
        [member.code, member.department.code, sorted(member.fields), member.home_lat, member.home_lon]
        for member in state.available
    ]
    if state.busy or state.unavailable:
        warnings.append(
            message(
                "pool_left_out",
                start=plan.period_start.isoformat(),
                end=period_end(plan.period_start, plan.period_months).isoformat(),
                busy=len(state.busy),
                unavailable=len(state.unavailable),
            )
        )
    quotas = {
        q.department.code: q.max_release
        for q in DepartmentQuota.objects.filter(department__province=plan.province).select_related(
            "department"
        )
    }
    locks = {"must_send": [], "must_not_send": [], "fixed": [], "forbidden": []}
    for lock in plan.locks.select_related("staff", "commune"):
        code = lock.staff.code
        if lock.kind == PlanLock.Kind.FIXED:
            locks["fixed"].append([code, str(lock.commune.code), lock.field])
            if lock.commune.lat is not None:
                communes.setdefault(str(lock.commune.code), [lock.commune.lat, lock.commune.lon])
        elif lock.kind == PlanLock.Kind.FORBIDDEN:
            locks["forbidden"].append([code, str(lock.commune.code)])
        else:
            locks[lock.kind].append(code)
    return {
        "communes": [[code, *ll] for code, ll in sorted(communes.items())],
        "needs": [
            [str(n.commune.code), n.field, n.units, n.priority]
            for n in needs
            if str(n.commune.code) in communes
        ],
        "staff": staff,
        "quotas": quotas or None,
        "total": plan.total,
        "distance_weight": plan.distance_weight,
        "max_per_commune": plan.max_per_commune,
        "locks": locks,
        "warnings": warnings,
    }


def _ready_pool(plan):
    """The plan's pool, or a ValidationError listing every problem (`readiness.plan_problems`) to fix first."""
    state = pool_state(plan.province, plan.period_start, plan.period_months)
    problems = plan_problems(plan, state)
    if problems:
        raise ValidationError(problems)
    return state


@transaction.atomic
def run_plan(actor, plan):
    """Snapshot the input and solve it in a background job; returns the Job whose page shows the progress.

    Refused (ValidationError, nothing changed) while the plan has problems a planner must fix first: a lock on
    someone unavailable or already seconded, an empty pool for the period, no needs.
    """
    _editable(actor, plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    state = _ready_pool(plan)
    _reset(plan)
    plan.input_snapshot = build_snapshot(plan, state)
    plan.message_codes = list(plan.input_snapshot["warnings"])
    plan.status = Plan.Status.RUNNING
    job = start_job(
        actor,
        "staffing.plan",
        _("Giải phương án biệt phái “%(name)s”") % {"name": plan.name},
        jobs.solve_plan,
        plan_id=plan.pk,
    )
    plan.job = job
    plan.save()
    audit.record(actor, audit.Action.TRANSITION, plan, changes={"status": ["draft", "running"]})
    return job


@transaction.atomic
def solve_plan_now(actor, plan):
    """Snapshot and solve `plan` in this process (demo loader, API with ?wait, small inputs); refused as
    `run_plan` is while the plan has problems."""
    _editable(actor, plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    state = _ready_pool(plan)
    _reset(plan)
    plan.input_snapshot = build_snapshot(plan, state)
    plan.status = Plan.Status.RUNNING
    plan.save()
    audit.record(actor, audit.Action.TRANSITION, plan, changes={"status": ["draft", "running"]})
    inp = input_from_snapshot(plan.input_snapshot)
    return record_result(plan, inp, optimizer.solve(inp, time_limit=plan.time_limit))


def _shortfall_message(plan, short):
    """How many the plan could not send and which limits held them back (`plan_messages` says it, with the fix)."""
    names = {d.code: d.short_name or d.name for d in Department.objects.filter(province=plan.province)}
    return message(
        "shortfall",
        assigned=short.assigned,
        total=short.total,
        open_units=short.open_units.most_common(),
        full_departments=[[names.get(d, d), q] for d, q in sorted(short.full_departments.items())],
        full_communes=short.full_communes,
        max_per_commune=plan.max_per_commune,
        too_far=short.too_far,
        distance_weight=plan.distance_weight,
        nobody_with_field=list(short.nobody_with_field),
    )


@transaction.atomic
def record_result(plan, inp, result):
    """Store the solver's outcome on `plan`: status, objective, bound, gap, time, assignments and a summary."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.RUNNING:
        return plan  # the plan was edited meanwhile: this result no longer applies
    staff = {m.code: m for m in StaffMember.objects.filter(province=plan.province)}
    communes = {str(c.code): c for c in Commune.objects.filter(province=plan.province)}
    priorities = {(n.commune_code, n.field): n.priority for n in inp.needs}
    plan.assignments.all().delete()
    PlanAssignment.objects.bulk_create(
        PlanAssignment(
            plan=plan,
            staff=staff[a.staff_id],
            commune=communes[a.commune_code],
            field=a.field,
            km=round(a.km, 3),
            value=a.value,
            priority=priorities[(a.commune_code, a.field)],
        )
        for a in result.assignments
    )
    ok = result.status in ("optimal", "feasible")
    plan.status = Plan.Status.SOLVED if ok else Plan.Status.FAILED
    plan.solver_status = result.status
    plan.objective = result.objective if ok else None
    plan.bound = result.bound if ok and result.bound != float("inf") else None
    plan.gap = result.gap if ok and result.gap != float("inf") else None
    plan.seconds = round(result.seconds, 3)
    plan.message_codes = [*plan.input_snapshot.get("warnings", []), *result.messages]
    if ok:
        short = shortfall(inp, result)
        if short is not None:
            plan.message_codes.append(_shortfall_message(plan, short))
    plan.summary = plan_summary(inp, result.assignments)
    plan.solved_at = timezone.now()
    plan.save()
    audit.record(
        SOLVER,
        audit.Action.TRANSITION,
        plan,
        changes={"status": ["running", plan.status], "solver_status": result.status},
    )
    return plan


@transaction.atomic
def approve_plan(actor, plan, *, decision_number="", seen_result=None):
    """Approve a solved plan: every assignment becomes a secondment record for the plan's period.

    Refused if the plan is not solved or sends nobody (`Plan.approval_refusal`), if someone in the plan is already
    seconded (planned or active) during that period, and — when `seen_result` (the `Plan.result_stamp` the planner
    confirmed) is given — if the plan was solved again since: a confirmation only holds for the numbers it showed.
    """
    require_planner(actor, plan.province)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    refusal = plan.approval_refusal
    if refusal:
        raise ValidationError(refusal, code="not_approvable")
    if seen_result is not None and seen_result != plan.result_stamp:
        raise ValidationError(
            _(
                "Phương án vừa được giải lại sau khi anh/chị xem bảng xác nhận, nên số liệu đã khác: "
                "hãy xem lại rồi xác nhận lần nữa."
            ),
            code="stale",
        )
    start = plan.period_start
    end = period_end(start, plan.period_months)
    assignments = list(plan.assignments.select_related("staff", "commune"))
    clash = (
        Secondment.objects.current()
        .filter(staff__in=[a.staff for a in assignments], start_date__lte=end, end_date__gte=start)
        .select_related("staff")
    )
    if clash:
        names = ", ".join(sorted({s.staff.full_name for s in clash})[:10])
        raise ValidationError(
            _("Đã có người đang được biệt phái trong thời gian này: %(names)s.") % {"names": names}
        )
    status = Secondment.Status.ACTIVE if start <= timezone.localdate() else Secondment.Status.PLANNED
    Secondment.objects.bulk_create(
        Secondment(
            plan=plan,
            staff=a.staff,
            commune=a.commune,
            field=a.field,
            start_date=start,
            end_date=end,
            status=status,
            km=a.km,
        )
        for a in assignments
    )
    plan.status = Plan.Status.APPROVED
    plan.approved_by = person(actor)
    plan.approved_at = timezone.now()
    plan.decision_number = decision_number
    plan.save()
    audit.record(
        actor,
        audit.Action.TRANSITION,
        plan,
        changes={"status": ["solved", "approved"], "secondments": len(assignments)},
    )
    return plan


def plans_for_comparison(user, ids):
    """2–3 plans the user may see, in the order asked."""
    plans = {
        p.pk: p
        for p in Plan.objects.visible_to(user).filter(
            pk__in=ids, status__in=[Plan.Status.SOLVED, Plan.Status.APPROVED]
        )
    }
    return [plans[i] for i in ids if i in plans]


@transaction.atomic
def abandon_failed_run(actor, plan):
    """A solve job that crashed left the plan "running" for good: put it back to draft so it can be solved again.

    Refused while the job is still queued or running (its result would then land on a draft)."""
    require_planner(actor, plan.province)
    plan = Plan.objects.select_for_update(of=("self",)).select_related("job").get(pk=plan.pk)
    if plan.status != Plan.Status.RUNNING or (plan.job is not None and plan.job.status != "failed"):
        raise ValidationError(_("Chỉ đặt lại được phương án có lần giải bị lỗi."))
    _reset(plan)
    plan.save()
    audit.record(actor, audit.Action.TRANSITION, plan, changes={"status": ["running", "draft"]},
                 reason="solve job failed")  # fmt: skip
    return plan
