"""Staffing API: gaps, needs, plans (create, run, approve) for the Home Affairs planner; secondments and weekly
reports for the people concerned. Same access rules as the pages (planning data: planners only → 403)."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from civicdesk.staffing import services
from civicdesk.staffing.models import Need, Plan, Secondment
from civicdesk.staffing.permissions import require_planner
from civicdesk.staffing.queries import commune_gap_table, default_weights

from .base import answers

router = Router(tags=["staffing"])


def _province(request):
    require_planner(request.user)
    return request.user.province


class NeedOut(Schema):
    commune_code: int
    commune: str
    field: str
    units: int
    priority: int
    origin: str


class GapOut(Schema):
    commune_code: int
    field: str
    score: float
    computed: float
    overridden: bool
    # Each component 0–1; None for one left out of the score (language: the commune has no language data).
    components: dict[str, float | None]
    units: int
    priority: int


class PlanIn(Schema):
    name: str = Field(examples=["Biệt phái quý I"])
    total: int = Field(examples=[3])
    distance_weight: float = 0.01
    max_per_commune: int = 4
    time_limit: int = 60
    period_start: date = Field(examples=["2026-01-05"])
    period_months: int = 3


class AssignmentOut(Schema):
    staff_id: str
    commune_code: int
    field: str
    km: float
    priority: int


class PlanOut(Schema):
    id: int
    name: str
    status: str
    total: int
    distance_weight: float
    max_per_commune: int
    solver_status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float | None
    summary: dict
    messages: list


class PlanDetailOut(PlanOut):
    assignments: list[AssignmentOut]


class JobOut(Schema):
    job_id: str
    url: str


class ApproveIn(Schema):
    decision_number: str = Field("", max_length=Plan._meta.get_field("decision_number").max_length)


class SecondmentOut(Schema):
    id: int
    staff_id: str
    full_name: str
    department: str
    commune_code: int
    commune: str
    field: str
    start_date: date
    end_date: date
    status: str


class ReportIn(Schema):
    week_start: date
    work_done: str
    dossiers_helped: int = 0
    difficulties: str = ""
    needs: str = ""


class ReportOut(Schema):
    id: int
    week_start: date
    dossiers_helped: int


@router.get(
    "/needs", response=answers(list[NeedOut], 403), summary="Bảng nhu cầu (chỉ Sở Nội vụ, quản trị tỉnh)"
)
def list_needs(request):
    _province(request)
    return [
        {
            "commune_code": n.commune.code,
            "commune": n.commune.name,
            "field": n.field,
            "units": n.units,
            "priority": n.priority,
            "origin": n.origin,
        }
        for n in Need.objects.visible_to(request.user).select_related("commune")
    ]


@router.get("/gaps", response=answers(list[GapOut], 403, 422), summary="Điểm thiếu hụt và các thành phần")
def list_gaps(request, commune: int | None = None):
    province = _province(request)
    out = []
    for row in commune_gap_table(province, default_weights(province)):
        if commune is not None and row["commune"].code != commune:
            continue
        for record, g in row["rows"]:
            out.append(
                {
                    "commune_code": row["commune"].code,
                    "field": record.field,
                    "score": round(g.score, 2),
                    "computed": round(g.computed, 2),
                    "overridden": g.overridden,
                    "components": {k: None if v is None else round(v, 4) for k, v in g.components.items()},
                    "units": g.units,
                    "priority": g.priority,
                }
            )
    return out


def _plan_out(plan, with_assignments=False):
    data = {f: getattr(plan, f) for f in PlanOut.model_fields if f != "id"}
    data["id"] = plan.pk
    if with_assignments:
        data["assignments"] = [
            {
                "staff_id": a.staff.code,
                "commune_code": a.commune.code,
                "field": a.field,
                "km": a.km,
                "priority": a.priority,
            }
            for a in plan.assignments.select_related("staff", "commune")
        ]
    return data


@router.get("/plans", response=answers(list[PlanOut], 403))
def list_plans(request):
    _province(request)
    return [_plan_out(p) for p in Plan.objects.visible_to(request.user)]


@router.post("/plans", response=answers({201: PlanOut}, 400, 403, 422))
def create_plan(request, payload: PlanIn):
    province = _province(request)
    return Status(201, _plan_out(services.create_plan(request.user, province, **payload.dict())))


@router.get("/plans/{plan_id}", response=answers(PlanDetailOut, 403, 404, 422))
def get_plan(request, plan_id: int):
    _province(request)
    return _plan_out(
        get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id), with_assignments=True
    )


@router.post(
    "/plans/{plan_id}/run",
    response=answers({202: JobOut}, 403, 404, 422),
    summary="Giải phương án (tác vụ nền)",
)
def run_plan(request, plan_id: int):
    _province(request)
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    job = services.run_plan(request.user, plan)
    return Status(202, {"job_id": str(job.pk), "url": f"/jobs/{job.pk}/"})


@router.post("/plans/{plan_id}/approve", response=answers(PlanOut, 400, 403, 404, 422))
def approve_plan(request, plan_id: int, payload: ApproveIn):
    _province(request)
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    return _plan_out(services.approve_plan(request.user, plan, decision_number=payload.decision_number))


def _secondment_out(s):
    return {
        "id": s.pk,
        "staff_id": s.staff.code,
        "full_name": s.staff.full_name,
        "department": s.staff.department.code,
        "commune_code": s.commune.code,
        "commune": s.commune.name,
        "field": s.field,
        "start_date": s.start_date,
        "end_date": s.end_date,
        "status": s.status,
    }


@router.get("/secondments", response=answers(list[SecondmentOut]), summary="Biệt phái mà người dùng được xem")
def list_secondments(request):
    rows = Secondment.objects.visible_to(request.user).select_related("staff", "staff__department", "commune")
    return [_secondment_out(s) for s in rows]


@router.post(
    "/secondments/{secondment_id}/reports",
    response=answers({201: ReportOut}, 400, 403, 404, 422),
    summary="Gửi báo cáo tuần",
)
def file_report(request, secondment_id: int, payload: ReportIn):
    s = get_object_or_404(
        Secondment.objects.visible_to(request.user).select_related("staff"), pk=secondment_id
    )
    report = services.submit_weekly_report(request.user, s, **payload.dict())
    return Status(
        201, {"id": report.pk, "week_start": report.week_start, "dossiers_helped": report.dossiers_helped}
    )
