"""Reading the handbook inside CivicDesk: browse by handbook, field and audience; detail pages; print; search."""

import segno
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from civicdesk.core import links

from .. import queries, services
from ..models import Faq, Field, Guide, Procedure
from ..permissions import is_editor
from ..text import METHOD_LABELS
from ..workflow import workflow_context

PAGE_SIZE = 50


def qr_svg(url):
    """An inline SVG QR code of an absolute URL (segno; no image file, no external service)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title=url)


def public_url(record):
    names = {
        "procedure": "handbook_public:procedure",
        "guide": "handbook_public:guide",
        "faq": "handbook_public:faq",
    }
    return links.absolute(reverse(names[record.kind], args=[record.key]))


def is_public(record):
    if record.status != record.Status.PUBLISHED:
        return False
    return record.kind != "guide" or record.audience in (Guide.Audience.CITIZENS, Guide.Audience.BOTH)


@login_required
def index(request):
    user = request.user
    procedures = queries.readable("procedure", user)
    guides = queries.readable("guide", user)
    field_counts = dict(procedures.values_list("field__code").annotate(n=Count("id")))
    fields = [(f, field_counts.get(f.code, 0)) for f in Field.objects.all()]
    context = {
        "fields": [(f, n) for f, n in fields if n],
        "handbooks": [
            (value, label, guides.filter(handbook=value).count()) for value, label in Guide.Handbook.choices
        ],
        "audiences": Guide.Audience.choices,
        "counts": {
            "procedure": procedures.count(),
            "guide": guides.count(),
            "faq": queries.readable("faq", user).count(),
        },
        "most_used": queries.most_used_procedures(8),
        "recent": queries.recently_updated(6),
        "is_editor": is_editor(user),
    }
    return render(request, "handbook/index.html", context)


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in queries.MODELS else None
    hits = queries.search(query, request.user, 60, kinds=kinds) if query else []
    context = {"query": query, "kind": kind, "hits": hits}
    template = "handbook/includes/search_results.html" if request.htmx else "handbook/search.html"
    return render(request, template, context)


def _hits_or_page(request, kind, qs):
    """With a query, the ranked search hits of this kind (within the filters); without, a page of `qs`."""
    query = request.GET.get("q", "").strip()
    if query:
        allowed = set(qs.values_list("pk", flat=True))
        hits = queries.search(query, request.user, 200, kinds=[kind])
        records = [h.record for h in hits if h.record.pk in allowed]
        return query, Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return query, Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _status_filter(request, qs):
    status = request.GET.get("status", "")
    if status and is_editor(request.user) and status in Procedure.Status.values:
        qs = qs.filter(status=status)
    return status, qs


@login_required
def procedure_list(request):
    qs = queries.readable("procedure", request.user)
    field = request.GET.get("field", "")
    if field:
        qs = qs.filter(field__code=field)
    level = request.GET.get("level", "")
    if level in Procedure.Level.values:
        qs = qs.filter(level=level)
    online = request.GET.get("online", "")
    if online in Procedure.OnlineLevel.values:
        qs = qs.filter(online_level=online)
    status, qs = _status_filter(request, qs)
    query, page = _hits_or_page(request, "procedure", qs)
    context = {
        "page": page,
        "query": query,
        "field": field,
        "level": level,
        "online": online,
        "status": status,
        "fields": Field.objects.all(),
        "levels": Procedure.Level.choices,
        "online_levels": Procedure.OnlineLevel.choices,
        "statuses": Procedure.Status.choices,
        "is_editor": is_editor(request.user),
    }
    template = "handbook/includes/procedure_rows.html" if request.htmx else "handbook/procedure_list.html"
    return render(request, template, context)


@login_required
def guide_list(request):
    qs = queries.readable("guide", request.user)
    handbook = request.GET.get("handbook", "")
    if handbook in Guide.Handbook.values:
        qs = qs.filter(handbook=handbook)
    audience = request.GET.get("audience", "")
    if audience in Guide.Audience.values:
        qs = qs.filter(Q(audience=audience) | Q(audience=Guide.Audience.BOTH))
    tag = request.GET.get("tag", "").strip()
    if tag:
        qs = qs.filter(pk__in=[g.pk for g in qs if tag in (g.tags or [])])
    status, qs = _status_filter(request, qs)
    query, page = _hits_or_page(request, "guide", qs)
    context = {
        "page": page,
        "query": query,
        "handbook": handbook,
        "audience": audience,
        "tag": tag,
        "status": status,
        "handbooks": Guide.Handbook.choices,
        "audiences": Guide.Audience.choices,
        "statuses": Guide.Status.choices,
        "is_editor": is_editor(request.user),
    }
    template = "handbook/includes/guide_rows.html" if request.htmx else "handbook/guide_list.html"
    return render(request, template, context)


@login_required
def faq_list(request):
    qs = queries.readable("faq", request.user).select_related("field")
    field = request.GET.get("field", "")
    if field:
        qs = qs.filter(field__code=field)
    status, qs = _status_filter(request, qs)
    query, page = _hits_or_page(request, "faq", qs)
    context = {
        "page": page,
        "query": query,
        "field": field,
        "status": status,
        "fields": Field.objects.all(),
        "statuses": Faq.Status.choices,
        "is_editor": is_editor(request.user),
    }
    template = "handbook/includes/faq_rows.html" if request.htmx else "handbook/faq_list.html"
    return render(request, template, context)


def procedure_context(procedure, user=None):
    """What the counter layout shows; shared by the internal, print and public pages."""
    methods = [dict(m, label=METHOD_LABELS.get(m.get("method"), m.get("method"))) for m in procedure.methods]
    related = Procedure.objects.published().filter(pk__in=procedure.related.all()).order_by("code")
    context = {
        "record": procedure,
        "p": procedure,
        "methods": methods,
        "online_method": any(m.get("method") == "truc_tuyen" for m in procedure.methods),
        "required_components": [c for c in procedure.components if c.get("required", True)],
        "optional_components": [c for c in procedure.components if not c.get("required", True)],
        "related": related,
        "guides": procedure.guides.published(),
        "faqs": procedure.faqs.published(),
        "public": is_public(procedure),
        "qr": qr_svg(public_url(procedure)) if is_public(procedure) else "",
        "public_link": public_url(procedure) if is_public(procedure) else "",
    }
    return context


def _get(request, model, **lookup):
    qs = model.objects.visible_to(request.user).select_related("department", "verified_by", "reviewer")
    return get_object_or_404(qs, **lookup)


@login_required
def procedure_detail(request, code):
    procedure = _get(request, Procedure, code=code)
    services.note_view(procedure)
    context = procedure_context(procedure, request.user)
    context.update(workflow_context(request.user, procedure))
    return render(request, "handbook/procedure_detail.html", context)


@login_required
def procedure_print(request, code):
    procedure = _get(request, Procedure, code=code)
    return render(request, "handbook/procedure_print.html", procedure_context(procedure, request.user))


@login_required
def guide_detail(request, slug):
    guide = _get(request, Guide, slug=slug)
    context = {
        "record": guide,
        "guide": guide,
        "related": guide.related_procedures.published().order_by("code"),
        "public": is_public(guide),
        "public_link": public_url(guide) if is_public(guide) else "",
    }
    context.update(workflow_context(request.user, guide))
    return render(request, "handbook/guide_detail.html", context)


@login_required
def faq_detail(request, slug):
    faq = _get(request, Faq, slug=slug)
    context = {
        "record": faq,
        "faq": faq,
        "related": faq.related_procedures.published().order_by("code"),
        "public": is_public(faq),
        "public_link": public_url(faq) if is_public(faq) else "",
    }
    context.update(workflow_context(request.user, faq))
    return render(request, "handbook/faq_detail.html", context)
