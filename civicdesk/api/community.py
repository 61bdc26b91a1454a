"""Language access API: people's languages, accompaniment requests and their matches. Scoped as the pages are: a
commune sees only its own people and requests (another commune's are 404), the province its communes'."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from civicdesk.community import matchmaking, services
from civicdesk.community.models import Accompaniment, Person, PersonLanguage
from civicdesk.community.permissions import require_assign
from civicdesk.community.reasons import render
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.languages import language_name

from .base import Paging, answers, scoped_commune

router = Router(tags=["community"])

Level = Field(None, ge=0, le=5)


class LanguageIn(Schema):
    person_id: int
    code: str = Field(examples=["kpm"], description="Mã ISO 639-3 (kpm K'Ho, cma Mạ, cje Chu Ru…).")
    dialect: str = Field("", max_length=60)
    listening: int | None = Level
    speaking: int | None = Level
    reading: int | None = Level
    writing: int | None = Level
    certificate_number: str = Field("", max_length=60)
    certificate_date: date | None = None
    certificate_issuer: str = Field("", max_length=200)
    is_preferred: bool = False


class LanguageOut(Schema):
    id: int
    person_id: int
    code: str
    name: str
    dialect: str
    listening: int | None
    speaking: int | None
    reading: int | None
    writing: int | None
    certified: bool
    certificate_number: str
    certificate_date: date | None
    certificate_issuer: str
    is_preferred: bool


class CommunityPersonOut(Schema):
    id: int
    kind: str
    full_name: str
    commune_code: int | None
    hamlet: str
    preferred_language: str
    interpreter_needed: bool
    languages: list[LanguageOut]


class PersonIn(Schema):
    kind: str = Field(description="official, volunteer hoặc citizen.")
    full_name: str = Field(max_length=150)
    commune_code: int | None = Field(None, description="Chỉ cấp tỉnh: xã của người này.")
    hamlet_id: int | None = None
    phone: str = Field("", max_length=20)
    preferred_language: str = Field("", description="Mã ISO 639-3 (người dân).")
    interpreter_needed: bool = False
    weekly_capacity: int = Field(5, ge=0, le=30)


class AccompanimentIn(Schema):
    citizen_id: int
    commune_code: int | None = Field(
        None, description="Chỉ cấp tỉnh: xã của đề nghị (cán bộ xã: xã của mình)."
    )
    language: str = Field("", description="Mã ISO 639-3; để trống: ngôn ngữ ưa dùng của người dân.")
    dialect: str = Field("", max_length=60)
    min_level: int = Field(2, ge=1, le=5)
    date: date
    slot: str = Field("day", description="am, pm hoặc day.")
    hamlet_id: int | None = None
    address: str = Field("", max_length=255)
    procedure_code: str = ""
    procedure_name: str = Field("", max_length=400)
    origin: str = "commune"
    note: str = Field("", max_length=500)


class AccompanimentOut(Schema):
    id: int
    commune_code: int
    citizen_id: int
    language: str
    language_name: str
    date: date
    slot: str
    hamlet: str
    procedure_name: str
    status: str
    due_at: str
    assignee_id: int | None
    outcome: str
    dossier_code: str | None


class ProposalOut(Schema):
    person_id: int
    full_name: str
    score: float
    slot: str
    distance_km: float | None
    reasons: list[str]


class MatchIn(Schema):
    week: date | None = Field(None, description="Một ngày trong tuần cần xếp; để trống: tuần hiện tại.")
    commune_code: int | None = Field(None, description="Chỉ cấp tỉnh: xã cần xếp.")


class MatchOut(Schema):
    accompaniment_id: int
    date: date
    language: str
    planned: ProposalOut | None = Field(description="Người được phương án tối ưu của cả tuần xếp (nếu có).")
    unassigned_reason: str = ""
    proposals: list[ProposalOut] = Field(description="Những người phù hợp nhất cho riêng đề nghị này.")


class MatchSummaryOut(Schema):
    week_start: date
    served: int
    requests: int
    quality: float
    status: str
    greedy_served: int
    greedy_quality: float
    matches: list[MatchOut]


def _language_out(lang):
    return {
        **{name: getattr(lang, name) for name in LanguageOut.model_fields if hasattr(lang, name)},
        "person_id": lang.person_id,
        "name": language_name(lang.code),
        "certified": lang.certified,
    }


def _person_out(person):
    return {
        "id": person.pk,
        "kind": person.kind,
        "full_name": person.full_name,
        "commune_code": person.commune.code if person.commune else None,
        "hamlet": str(person.hamlet) if person.hamlet else "",
        "preferred_language": person.preferred_language,
        "interpreter_needed": person.interpreter_needed,
        "languages": [_language_out(lang) for lang in person.languages.all()],
    }


def _acc_out(acc):
    return {
        "id": acc.pk,
        "commune_code": acc.commune.code,
        "citizen_id": acc.citizen_id,
        "language": acc.language,
        "language_name": acc.language_name,
        "date": acc.date,
        "slot": acc.slot,
        "hamlet": str(acc.hamlet) if acc.hamlet else "",
        "procedure_name": acc.procedure_name,
        "status": acc.status,
        "due_at": acc.due_at.isoformat(),
        "assignee_id": acc.assignee_id,
        "outcome": acc.outcome,
        "dossier_code": acc.dossier.code if acc.dossier else None,
    }


def _people(request):
    return Person.objects.visible_to(request.user).exclude(kind=Person.Kind.POOL)


@router.get(
    "/people",
    response=answers(list[CommunityPersonOut], 422),
    summary="Người và ngôn ngữ của họ (trong phạm vi)",
)
def list_people(request, paging: Query[Paging], kind: str = "", language: str = ""):
    rows = _people(request).select_related("commune", "hamlet").prefetch_related("languages").order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    if language:
        rows = rows.filter(languages__code=language).distinct()
    return [_person_out(p) for p in paging.page(rows)]


@router.post(
    "/people",
    response=answers({201: CommunityPersonOut}, 400, 403, 404, 422),
    summary="Thêm một người (cán bộ, tình nguyện viên, người dân) vào danh sách của xã",
)
def create_person(request, payload: PersonIn):
    commune = scoped_commune(request, payload.commune_code)
    if payload.kind not in ("official", "volunteer", "citizen"):
        raise ValidationError({"kind": _("Là official, volunteer hoặc citizen.")})
    hamlet = get_object_or_404(commune.hamlets, pk=payload.hamlet_id) if payload.hamlet_id else None
    person = services.save_person(
        request.user,
        commune=commune,
        data={
            "kind": payload.kind,
            "full_name": payload.full_name.strip(),
            "hamlet": hamlet,
            "phone": payload.phone.strip(),
            "preferred_language": payload.preferred_language.strip().lower(),
            "interpreter_needed": payload.interpreter_needed,
            "weekly_capacity": payload.weekly_capacity,
        },
    )
    return Status(201, _person_out(person))


@router.get("/languages", response=answers(list[LanguageOut], 404, 422), summary="Các ngôn ngữ của một người")
def list_languages(request, person_id: int):
    person = get_object_or_404(_people(request), pk=person_id)
    return [_language_out(lang) for lang in person.languages.all()]


@router.post(
    "/languages",
    response=answers({200: LanguageOut, 201: LanguageOut}, 400, 403, 404, 422),
    summary="Thêm hoặc sửa một ngôn ngữ của một người (theo mã)",
)
def save_language(request, payload: LanguageIn):
    person = get_object_or_404(_people(request), pk=payload.person_id)
    data = payload.dict(exclude={"person_id"})
    data["code"] = data["code"].strip().lower()
    current = PersonLanguage.objects.filter(person=person, code=data["code"]).first()
    lang = services.save_language(request.user, person, data, current)
    return Status(200 if current else 201, _language_out(lang))


@router.get(
    "/accompaniments",
    response=answers(list[AccompanimentOut], 422),
    summary="Đề nghị đi cùng (trong phạm vi)",
)
def list_accompaniments(request, paging: Query[Paging], status: str = ""):
    rows = Accompaniment.objects.visible_to(request.user).select_related("commune", "hamlet", "dossier")
    if status:
        rows = rows.filter(status=status)
    return [_acc_out(a) for a in paging.page(rows.order_by("date", "pk"))]


@router.post(
    "/accompaniments",
    response=answers({201: AccompanimentOut}, 400, 403, 404, 422),
    summary="Đề nghị người nói tiếng dân tộc đi cùng người dân",
)
def create_accompaniment(request, payload: AccompanimentIn):
    commune = scoped_commune(request, payload.commune_code)
    citizen = get_object_or_404(
        _people(request).filter(kind=Person.Kind.CITIZEN, commune=commune), pk=payload.citizen_id
    )
    hamlet = get_object_or_404(commune.hamlets, pk=payload.hamlet_id) if payload.hamlet_id else citizen.hamlet
    procedure = None
    if payload.procedure_code:
        procedure = Procedure.objects.published().filter(code=payload.procedure_code).first()
        if procedure is None:
            raise ValidationError({"procedure_code": _("Không có thủ tục mã này trong cẩm nang.")})
    language = (payload.language or citizen.preferred_language).strip().lower()
    if not language:
        raise ValidationError({"language": _("Ghi ngôn ngữ người dân cần (mã ISO 639-3).")})
    if payload.slot not in Accompaniment.Slot.values:
        raise ValidationError({"slot": _("Buổi phải là am, pm hoặc day.")})
    if payload.origin not in Accompaniment.Origin.values:
        raise ValidationError({"origin": _("Nguồn đề nghị không hợp lệ.")})
    if not procedure and not payload.procedure_name.strip():
        raise ValidationError({"procedure_name": _("Ghi mã thủ tục hoặc việc cần làm.")})
    acc = services.request_accompaniment(
        request.user,
        commune=commune,
        citizen=citizen,
        language=language,
        date=payload.date,
        slot=payload.slot,
        dialect=payload.dialect,
        min_level=payload.min_level,
        hamlet=hamlet,
        address=payload.address,
        procedure=procedure,
        procedure_name=payload.procedure_name.strip(),
        origin=payload.origin,
        note=payload.note,
    )
    return Status(201, _acc_out(acc))


def _proposal_out(person, proposal):
    return {
        "person_id": person.pk,
        "full_name": person.full_name,
        "score": round(proposal.score, 1),
        "slot": proposal.slot,
        "distance_km": None if proposal.distance_km is None else round(proposal.distance_km, 1),
        "reasons": [render(r) for r in proposal.reasons],
    }


@router.post(
    "/accompaniments/match",
    response=answers(MatchSummaryOut, 400, 403, 404, 422),
    summary="Đề xuất người đi cùng cho các đề nghị đang chờ của một tuần (phương án tối ưu, chưa phân công)",
)
def match(request, payload: MatchIn):
    commune = scoped_commune(request, payload.commune_code)
    require_assign(request.user, commune)
    day = payload.week or timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    plan = matchmaking.solve_week(commune, monday)
    optimal, people = plan["optimal"], plan["people"]
    matches = []
    for acc_id, acc in sorted(plan["accompaniments"].items(), key=lambda kv: (kv[1].date, kv[0])):
        planned = optimal.assignments.get(acc_id)
        candidates, _excluded = matchmaking.proposals(acc)
        matches.append(
            {
                "accompaniment_id": acc_id,
                "date": acc.date,
                "language": acc.language,
                "planned": _proposal_out(people[planned.speaker_id], planned) if planned else None,
                "unassigned_reason": render(optimal.unassigned[acc_id])
                if acc_id in optimal.unassigned
                else "",
                "proposals": [_proposal_out(c.person, c.proposal) for c in candidates],
            }
        )
    return {
        "week_start": monday,
        "served": optimal.served,
        "requests": len(matches),
        "quality": round(optimal.quality, 1),
        "status": optimal.status,
        "greedy_served": plan["greedy"].served,
        "greedy_quality": round(plan["greedy"].quality, 1),
        "matches": matches,
    }
