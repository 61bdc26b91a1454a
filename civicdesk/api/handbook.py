"""Handbook API: procedures, guides and FAQ entries. Non-editors get published content only; editors (department
experts, province admins) also the drafts and reviews in their scope, filterable by `status`. The catalogue of legal
texts the handbook cites is for editors only."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from civicdesk.handbook import queries
from civicdesk.handbook.models import LegalText
from civicdesk.handbook.permissions import is_editor
from civicdesk.handbook.records import export_data
from civicdesk.handbook.text import fold

from .base import Paging, answers

router = Router(tags=["handbook"])


class MethodOut(Schema):
    method: str
    processing_days: int | None
    processing_text: str
    fee_text: str
    fee_amount: int | None


class ComponentOut(Schema):
    name: str
    original: int
    # "copy" would shadow pydantic's BaseModel.copy; the JSON key stays "copy".
    copies: int = Field(validation_alias="copy", serialization_alias="copy")
    form: str | None
    required: bool
    note: str


class RecordMeta(Schema):
    url: str
    status: str
    verification: str
    verified_at: datetime | None
    is_stale: bool
    updated_at: datetime


class ProcedureSummary(RecordMeta):
    code: str
    name: str
    field: str
    level: str
    summary: str
    online_level: str | None
    processing_days: int | None


class ProcedureOut(RecordMeta):
    code: str
    national_code: str | None
    name: str
    decision: str | None
    level: str
    procedure_type: str | None
    field: str
    agency: str
    applicants: str
    steps: list[str]
    methods: list[MethodOut]
    components: list[ComponentOut]
    requirements: str
    result: str
    legal_basis: list[str]
    online_level: str | None
    online_url: str | None
    related: list[str]
    summary: str
    notes: str
    police: bool
    keywords: list[str]
    source: str
    verification_note: str
    department: str | None


class SectionOut(Schema):
    heading: str
    body: str


class GuideSummary(RecordMeta):
    slug: str
    handbook: str
    title: str
    audience: str
    summary: str
    tags: list[str]


class GuideOut(GuideSummary):
    sections: list[SectionOut]
    related_procedures: list[str]
    keywords: list[str]
    source: str
    verification_note: str
    department: str | None


class FaqSummary(RecordMeta):
    slug: str
    question: str
    field: str | None


class FaqOut(FaqSummary):
    answer: str
    sources: list[str]
    related_procedures: list[str]
    keywords: list[str]
    source: str
    verification_note: str
    department: str | None


def _meta(obj):
    return {
        "url": obj.get_absolute_url(),
        "status": obj.status,
        "verification": obj.verification,
        "verified_at": obj.verified_at,
        "is_stale": obj.is_stale,
        "updated_at": obj.updated_at,
    }


def _full(obj):
    data = export_data(obj)
    data.pop("verified_at")
    return {**data, **_meta(obj)}


def _base(request, kind, status):
    qs = queries.readable(kind, request.user).select_related("department")
    if status and is_editor(request.user):
        qs = qs.filter(status=status)
    return qs


def _search(request, kind, qs, q, paging):
    if not q:
        return list(paging.page(qs))
    allowed = set(qs.values_list("pk", flat=True))
    hits = queries.search(q, request.user, paging.end, kinds=[kind])
    return paging.page([h.record for h in hits if h.record.pk in allowed])


@router.get(
    "/procedures",
    response=answers(list[ProcedureSummary], 422),
    summary="Thủ tục hành chính (lọc theo lĩnh vực, từ khóa)",
)
def list_procedures(
    request,
    paging: Query[Paging],
    field: str | None = None,
    q: str | None = None,
    level: str | None = None,
    status: str | None = None,
):
    qs = _base(request, "procedure", status).select_related("field").order_by("field__order", "code")
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    records = _search(request, "procedure", qs, q, paging)
    return [
        {
            "code": p.code,
            "name": p.name,
            "field": p.field.code,
            "level": p.level,
            "summary": p.summary,
            "online_level": p.online_level or None,
            "processing_days": p.processing_days(),
            **_meta(p),
        }
        for p in records
    ]


@router.get(
    "/procedures/{code}",
    response=answers(ProcedureOut, 404),
    by_alias=True,
    summary="Một thủ tục, đủ các trường của CSDL quốc gia",
)
def get_procedure(request, code: str):
    qs = _base(request, "procedure", None).select_related("field").prefetch_related("related")
    return _full(get_object_or_404(qs, code=code))


@router.get(
    "/guides",
    response=answers(list[GuideSummary], 422),
    summary="Hướng dẫn (lọc theo cẩm nang, đối tượng, từ khóa)",
)
def list_guides(
    request,
    paging: Query[Paging],
    handbook: str | None = None,
    audience: str | None = None,
    q: str | None = None,
    status: str | None = None,
):
    qs = _base(request, "guide", status).order_by("handbook", "title")
    if handbook:
        qs = qs.filter(handbook=handbook)
    if audience:
        qs = qs.filter(audience__in=[audience, "both"])
    records = _search(request, "guide", qs, q, paging)
    return [
        {
            "slug": g.slug,
            "handbook": g.handbook,
            "title": g.title,
            "audience": g.audience,
            "summary": g.summary,
            "tags": g.tags,
            **_meta(g),
        }
        for g in records
    ]


@router.get("/guides/{slug}", response=answers(GuideOut, 404))
def get_guide(request, slug: str):
    qs = _base(request, "guide", None).prefetch_related("related_procedures")
    return _full(get_object_or_404(qs, slug=slug))


@router.get("/faqs", response=answers(list[FaqSummary], 422), summary="Hỏi đáp (lọc theo lĩnh vực, từ khóa)")
def list_faqs(
    request,
    paging: Query[Paging],
    field: str | None = None,
    q: str | None = None,
    status: str | None = None,
):
    qs = _base(request, "faq", status).select_related("field").order_by("question")
    if field:
        qs = qs.filter(field__code=field)
    records = _search(request, "faq", qs, q, paging)
    return [
        {"slug": f.slug, "question": f.question, "field": f.field.code if f.field_id else None, **_meta(f)}
        for f in records
    ]


@router.get("/faqs/{slug}", response=answers(FaqOut, 404))
def get_faq(request, slug: str):
    qs = _base(request, "faq", None).select_related("field").prefetch_related("related_procedures")
    return _full(get_object_or_404(qs, slug=slug))


class LegalTextOut(Schema):
    id: int
    identifier: str
    key: str = Field(description="Số hiệu chuẩn hóa: 20/2021/ND-CP; luat ho tich 2014.")
    aliases: list[str]
    kind: str
    title: str
    issued_on: date | None
    status: str = Field(description="in_force hoặc superseded")
    superseded_by: str | None = Field(description="Số hiệu của văn bản thay thế, nếu đã biết.")
    superseded_at: datetime | None
    note: str
    open_flags: int = Field(description="Số nội dung trích dẫn văn bản đang chờ kiểm chứng lại.")
    url: str
    updated_at: datetime


@router.get(
    "/legal-texts",
    response=answers(list[LegalTextOut], 403, 422),
    summary="Văn bản pháp luật cẩm nang trích dẫn, với hiệu lực và văn bản thay thế (người biên tập)",
)
def list_legal_texts(
    request,
    paging: Query[Paging],
    status: str | None = None,
    kind: str | None = None,
    q: str | None = None,
):
    if not is_editor(request.user):
        raise PermissionDenied(_("Danh mục văn bản dành cho chuyên viên sở, ngành và quản trị cấp tỉnh."))
    qs = (
        LegalText.objects.visible_to(request.user)
        .select_related("superseded_by")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("-year", "identifier", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        words = fold(q)
        qs = [t for t in qs if words in fold(f"{t.identifier} {t.title} {' '.join(t.aliases)}")]
    return [
        {
            "id": t.pk,
            "identifier": t.identifier,
            "key": t.key,
            "aliases": t.aliases,
            "kind": t.kind,
            "title": t.title,
            "issued_on": t.issued_on,
            "status": t.status,
            "superseded_by": t.superseded_by.identifier if t.superseded_by else None,
            "superseded_at": t.superseded_at,
            "note": t.note,
            "open_flags": t.open_flags,
            "url": t.get_absolute_url(),
            "updated_at": t.updated_at,
        }
        for t in paging.page(qs)
    ]
