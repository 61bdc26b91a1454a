"""Reading the handbook inside CivicDesk: browse by handbook, field and audience; detail pages; print; search."""

import segno
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from civicdesk.core import links

from .. import legal_changes, queries, services
from ..forms import TranslationForm, VerifyTranslationForm
from ..models import Faq, Field, Guide, Procedure, Translation
from ..permissions import can_edit, is_editor
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


def translations_context(user, record, *, show=None, form=None, editing=None, verify_forms=None):
    """The "Bản dịch tiếng dân tộc" section: what `user` may read of `record`'s translations, and the editor's forms.

    Readers (and the public pages, `user` None) get the verified translations only; the record's editors also the
    unchecked ones, the add/edit form (`form` bound after an error; `show`: the pk of a translation to edit, from
    ?translation=) and one "checked by" form per translation (`verify_forms`: the bound ones after an error).
    """
    translations = list(Translation.objects.of(record).visible_to(user).select_related("verified_by"))
    may_translate = user is not None and can_edit(user, record) and record.status != record.Status.ARCHIVED
    verify_forms = verify_forms or {}
    for t in translations:
        t.verify_form = (
            (verify_forms.get(t.pk) or VerifyTranslationForm(translation=t)) if may_translate else None
        )
        # The Vietnamese text was published again after the speaker's check: say so, the Vietnamese text counts.
        t.checked_before_publication = bool(
            t.verified_at and record.published_at and t.verified_at < record.published_at
        )
    if may_translate and form is None:
        if editing is None and show:
            editing = next((t for t in translations if str(t.pk) == str(show)), None)
        if editing is not None:
            form = TranslationForm(
                initial=TranslationForm.initial_from(editing), current_language=editing.language
            )
        else:
            form = TranslationForm()
    return {
        "translations": translations,
        "can_translate": may_translate,
        "translation_form": form if may_translate else None,
        "translation_editing": editing if may_translate else None,
        # The citizens' pages name no one: the translator and the speaker who checked may be private persons.
        "translations_public": user is None,
    }


def _get(request, model, **lookup):
    qs = model.objects.visible_to(request.user).select_related("department", "verified_by", "reviewer")
    return get_object_or_404(qs, **lookup)


def render_record(request, record, *, status=200, **translation_state):
    """A record's page in the reader (procedure, guide or FAQ), with its workflow box and translations."""
    user = request.user
    if record.kind == "procedure":
        context = procedure_context(record, user)
    else:
        context = {
            "record": record,
            record.kind: record,
            "related": record.related_procedures.published().order_by("code"),
            "public": is_public(record),
            "public_link": public_url(record) if is_public(record) else "",
        }
    context.update(workflow_context(user, record))
    context["legal_flags"] = legal_changes.open_flags(record)
    translation_state.setdefault("show", request.GET.get("translation"))
    context.update(translations_context(user, record, **translation_state))
    return render(request, f"handbook/{record.kind}_detail.html", context, status=status)


@login_required
def procedure_detail(request, code):
    procedure = _get(request, Procedure, code=code)
    services.note_view(procedure)
    return render_record(request, procedure)


@login_required
def procedure_print(request, code):
    procedure = _get(request, Procedure, code=code)
    return render(request, "handbook/procedure_print.html", procedure_context(procedure, request.user))


@login_required
def guide_detail(request, slug):
    return render_record(request, _get(request, Guide, slug=slug))


@login_required
def faq_detail(request, slug):
    return render_record(request, _get(request, Faq, slug=slug))
