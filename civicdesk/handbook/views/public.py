"""Public pages of the handbook for citizens (/cam-nang/, no login): published content only, read-only."""

from django.shortcuts import get_object_or_404, render

from .. import queries
from ..models import Field
from .reader import procedure_context, translations_context


def index(request):
    procedures = queries.public_queryset("procedure").select_related("field").order_by("field__order", "name")
    by_field = {}
    for procedure in procedures:
        by_field.setdefault(procedure.field, []).append(procedure)
    context = {
        "by_field": [(field, by_field[field]) for field in Field.objects.all() if field in by_field],
        "guides": queries.public_queryset("guide").order_by("title"),
        "faqs": queries.public_queryset("faq").order_by("question")[:30],
    }
    return render(request, "handbook/public/index.html", context)


def search(request):
    query = request.GET.get("q", "").strip()
    hits = queries.search(query, None, 40, public=True) if query else []
    template = "handbook/public/includes/results.html" if request.htmx else "handbook/public/search.html"
    return render(request, template, {"query": query, "hits": hits})


def procedure(request, code):
    record = get_object_or_404(queries.public_queryset("procedure").select_related("field"), code=code)
    context = {**procedure_context(record), **translations_context(None, record)}
    return render(request, "handbook/public/procedure.html", context)


def guide(request, slug):
    record = get_object_or_404(queries.public_queryset("guide"), slug=slug)
    related = record.related_procedures.published().order_by("code")
    context = {"record": record, "guide": record, "related": related, **translations_context(None, record)}
    return render(request, "handbook/public/guide.html", context)


def faq(request, slug):
    record = get_object_or_404(queries.public_queryset("faq"), slug=slug)
    related = record.related_procedures.published().order_by("code")
    context = {"record": record, "faq": record, "related": related, **translations_context(None, record)}
    return render(request, "handbook/public/faq.html", context)
