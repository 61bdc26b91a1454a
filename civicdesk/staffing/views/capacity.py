"""Capacity and gaps: the gap table, a commune's capacity by field, weights, overrides, needs, CSV in and out."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.geo.models import Commune

from .. import scoring, services
from ..fields import Field
from ..forms import CapacityForm, CsvUploadForm, NeedForm, OverrideForm, WeightsForm
from ..models import CapacityRecord, CommuneProfile, Need
from ..queries import commune_gap_table, default_weights
from .common import csv_response, page, planner_province, validation_messages


@login_required
def gaps(request):
    province = planner_province(request)
    weights = default_weights(province)
    table = commune_gap_table(province, weights)
    query = request.GET.get("q", "").strip()
    if query:
        table = [
            row
            for row in table
            if query.lower() in row["commune"].name.lower() or str(row["commune"].code) == query
        ]
    field = request.GET.get("field", "")
    if field in Field.values:
        for row in table:
            row["rows"] = [rg for rg in row["rows"] if rg[0].field == field]
        table = [row for row in table if row["rows"]]
        table.sort(key=lambda row: -row["rows"][0][1].score)
    context = {
        "page": Paginator(table, 40).get_page(request.GET.get("page")),
        "query": query,
        "field": field,
        "fields": Field.choices,
        "weights": weights,
        "components": scoring.COMPONENTS,
        "total_units": sum(row["units"] for row in table),
        "has_data": CapacityRecord.objects.visible_to(request.user).exists(),
    }
    return page(request, "staffing/gaps.html", "staffing/includes/gap_rows.html", context)


@login_required
def weights_edit(request):
    province = planner_province(request)
    weights = default_weights(province)
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        services.update_weights(request.user, province, {k: form.cleaned_data[k] for k in form.fields})
        messages.success(request, _("Đã lưu trọng số. Điểm thiếu hụt được tính lại ngay."))
        return redirect("staffing:gaps")
    status = 400 if request.method == "POST" else 200
    return render(request, "staffing/weights.html", {"form": form}, status=status)


def _commune(request, code):
    planner_province(request)
    return get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), code=code)


def _capacity_context(request, commune, forms=None):
    weights = default_weights(commune.province)
    table = commune_gap_table(commune.province, weights, commune=commune)
    rows = table[0]["rows"] if table else []
    present = {r.field for r, _g in rows}
    forms = forms or {}
    items = [
        {
            "record": record,
            "gap": g,
            "form": forms.get((record.field, "capacity"))
            or CapacityForm(instance=record, prefix=record.field),
            "override_form": forms.get((record.field, "override"))
            or OverrideForm(
                prefix=f"o-{record.field}",
                initial={"override_score": record.override_score, "override_reason": record.override_reason},
            ),
        }
        for record, g in rows
    ]
    return {
        "commune": commune,
        "items": items,
        "missing_fields": [(v, label) for v, label in Field.choices if v not in present],
        "new_form": forms.get(("new", "capacity")) or CapacityForm(prefix="new"),
        "profile": CommuneProfile.objects.filter(commune=commune).first(),
        "needs": Need.objects.filter(commune=commune),
        "components": scoring.COMPONENTS,
    }


@login_required
def commune_capacity(request, code):
    commune = _commune(request, code)
    return render(request, "staffing/commune_capacity.html", _capacity_context(request, commune))


@login_required
@require_POST
def capacity_save(request, code, field):
    commune = _commune(request, code)
    is_new = field == "new"
    if is_new:
        field = request.POST.get("field", "")
    record = CapacityRecord.objects.filter(commune=commune, field=field).first()
    form = CapacityForm(
        request.POST, instance=record or CapacityRecord(commune=commune), prefix="new" if is_new else field
    )
    if form.is_valid():
        try:
            services.save_capacity(
                request.user, commune, field, {k: form.cleaned_data[k] for k in form.fields}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(validation_messages(exc)))
        else:
            messages.success(request, _("Đã lưu năng lực lĩnh vực."))
        return redirect("staffing:commune_capacity", code=commune.code)
    context = _capacity_context(request, commune, {("new" if is_new else field, "capacity"): form})
    return render(request, "staffing/commune_capacity.html", context, status=400)


@login_required
@require_POST
def capacity_override(request, code, field):
    commune = _commune(request, code)
    record = get_object_or_404(CapacityRecord, commune=commune, field=field)
    form = OverrideForm(request.POST, prefix=f"o-{field}")
    if form.is_valid():
        services.set_override(
            request.user,
            record,
            score=form.cleaned_data["override_score"],
            reason=form.cleaned_data["override_reason"],
        )
        messages.success(request, _("Đã cập nhật điểm ghi đè."))
        return redirect("staffing:commune_capacity", code=commune.code)
    context = _capacity_context(request, commune, {(field, "override"): form})
    return render(request, "staffing/commune_capacity.html", context, status=400)


def _import(request, *, title, columns, service, success_url, example):
    province = planner_province(request)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = service(request.user, province, form.cleaned_data["file"])
        if report.ok:
            messages.success(
                request,
                _("Đã nhập: %(c)s dòng mới, %(u)s dòng cập nhật.")
                % {"c": report.created, "u": report.updated},
            )
            return redirect(success_url)
    status = (
        400
        if (report is not None and not report.ok) or (request.method == "POST" and not form.is_valid())
        else 200
    )
    context = {"form": form, "report": report, "title": title, "columns": columns, "example": example}
    return render(request, "staffing/import.html", context, status=status)


@login_required
def capacity_import(request):
    return _import(
        request,
        title=_("Nhập năng lực các xã theo lĩnh vực (CSV)"),
        columns=services.capacity.CAPACITY_COLUMNS,
        service=services.import_capacity,
        success_url="staffing:gaps",
        example="commune_code,field,current_staff,avg_experience_years,dossiers_per_month,late_rate\n25000,ho_tich,2,3.5,140,0.08",
    )


@login_required
def capacity_export(request):
    province = planner_province(request)
    records = (
        CapacityRecord.objects.visible_to(request.user)
        .filter(commune__province=province)
        .select_related("commune")
    )
    return csv_response(
        "nang-luc-xa.csv",
        services.capacity.CAPACITY_COLUMNS,
        ([r.commune.code, r.field, *[getattr(r, f) for f in CapacityRecord.EDITABLE]] for r in records),
    )


@login_required
@require_POST
def capacity_refresh(request):
    province = planner_province(request)
    until = timezone.localdate()
    job = services.capacity.start_refresh(
        request.user, province, since=until - timedelta(days=89), until=until
    )
    return redirect("job_detail", job_id=job.pk)


# ------------------------------------------------------------------------------------------------ needs


def _needs_context(request, province, form=None):
    needs = Need.objects.visible_to(request.user).filter(commune__province=province).select_related("commune")
    field = request.GET.get("field", "")
    if field in Field.values:
        needs = needs.filter(field=field)
    query = request.GET.get("q", "").strip()
    if query:
        needs = needs.filter(commune__name__icontains=query)
    totals = {"rows": needs.count(), "units": sum(n.units for n in needs)}
    return {
        "page": Paginator(needs, 60).get_page(request.GET.get("page")),
        "form": form or NeedForm(),
        "fields": Field.choices,
        "field": field,
        "query": query,
        "totals": totals,
    }


@login_required
def needs(request):
    province = planner_province(request)
    return page(
        request, "staffing/needs.html", "staffing/includes/need_rows.html", _needs_context(request, province)
    )


@login_required
@require_POST
def need_save(request):
    province = planner_province(request)
    form = NeedForm(request.POST)
    if form.is_valid():
        commune = (
            Commune.objects.visible_to(request.user).filter(code=form.cleaned_data["commune_code"]).first()
        )
        if commune is None or commune.province_id != province.pk:
            form.add_error("commune_code", _("Không có xã mã này trong tỉnh."))
        else:
            services.save_need(
                request.user,
                commune,
                form.cleaned_data["field"],
                units=form.cleaned_data["units"],
                priority=form.cleaned_data["priority"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Đã lưu nhu cầu."))
            return redirect("staffing:needs")
    return render(request, "staffing/needs.html", _needs_context(request, province, form), status=400)


@login_required
@require_POST
def needs_generate(request):
    province = planner_province(request)
    created, updated, deleted = services.generate_needs(request.user, province)
    messages.success(
        request,
        _(
            "Đã tính lại bảng nhu cầu từ điểm thiếu hụt: %(c)s thêm, %(u)s cập nhật, %(d)s bỏ (giữ nguyên các dòng sửa tay)."
        )
        % {"c": created, "u": updated, "d": deleted},
    )
    return redirect("staffing:needs")


@login_required
def needs_import(request):
    return _import(
        request,
        title=_("Nhập bảng nhu cầu (CSV)"),
        columns=(*services.capacity.NEED_COLUMNS, "note"),
        service=services.import_needs,
        success_url="staffing:needs",
        example="commune_code,field,units,priority\n25000,ho_tich,2,5",
    )


@login_required
def needs_export(request):
    province = planner_province(request)
    rows = Need.objects.visible_to(request.user).filter(commune__province=province).select_related("commune")
    return csv_response(
        "nhu-cau.csv",
        ["commune_code", "field", "units", "priority"],
        ([n.commune.code, n.field, n.units, n.priority] for n in rows),
    )
