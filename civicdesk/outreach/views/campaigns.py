"""Campaigns: the list, a campaign's page (its numbers, the comparison, its list of citizens), the form, the import."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core import exports
from civicdesk.kernel.phones import national
from civicdesk.kernel.roles import Role

from .. import permissions, services
from ..forms import CampaignForm, ImportForm, RegisterForm, ReserveForm, TargetFilterForm, add_service_errors
from ..models import Campaign, Target
from ..reports import campaign_report

MAX_UPLOAD = 10 * 1024 * 1024
PAGE = 50


def _campaign(request, pk):
    return get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("commune", "owner"), pk=pk
    )


def _targets(request, campaign):
    return campaign.targets.visible_to(request.user)


def workers(commune):
    """Who a list can be reserved to: the commune's officers, leaders and volunteers."""
    return (
        get_user_model()
        .objects.filter(
            commune=commune,
            is_active=True,
            role__in=(Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.VOLUNTEER),
        )
        .order_by("role", "last_name", "username")
    )


@login_required
def index(request):
    user = request.user
    campaigns = (
        Campaign.objects.visible_to(user)
        .select_related("commune", "owner")
        .annotate(
            n_targets=Count("targets", distinct=True),
            n_reached=Count("targets", filter=Q(targets__reached_at__isnull=False), distinct=True),
            n_converted=Count("targets", filter=Q(targets__dossier__isnull=False), distinct=True),
        )
    )
    mine = (
        Target.objects.visible_to(user).filter(assignee=user).open()
        if user.commune_id
        else Target.objects.none()
    )
    can_create = (user.commune_id and permissions.can_run_commune(user, user.commune)) or (
        user.role == Role.PROVINCE_ADMIN
    )
    return render(
        request,
        "outreach/index.html",
        {
            "campaigns": campaigns,
            "mine": mine.count(),
            "mine_due": mine.filter(
                Q(next_action_at__lte=timezone.now()) | Q(next_action_at__isnull=True)
            ).count(),
            "can_create": can_create,
        },
    )


def _owners(user, campaign=None):
    commune = campaign.commune if campaign else user.commune
    people = get_user_model().objects.filter(is_active=True)
    if commune is not None:
        return people.filter(commune=commune, role__in=(Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER))
    return people.filter(province_id=user.province_id, role=Role.PROVINCE_ADMIN)


@login_required
def campaign_form(request, pk=None):
    user = request.user
    campaign = _campaign(request, pk) if pk else None
    if campaign is not None:
        permissions.require_manage_campaign(user, campaign)
    elif user.commune_id:
        permissions.require_run_commune(user, user.commune)
    elif user.role != Role.PROVINCE_ADMIN:
        raise PermissionDenied(_("Chỉ cán bộ, lãnh đạo xã hoặc quản trị cấp tỉnh lập chiến dịch."))
    initial = {} if campaign else {"owner": user.pk, "start_date": timezone.localdate()}
    form = CampaignForm(
        request.POST or None, instance=campaign, initial=initial, owners=_owners(user, campaign)
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.save_campaign(
                user,
                data=data,
                campaign=campaign,
                commune=user.commune if campaign is None else None,
                province=user.province if campaign is None else None,
                procedures=form.cleaned_data["procedures"],
                communes=None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chiến dịch “%(name)s”.") % {"name": saved.name})
            return redirect("outreach:campaign", saved.pk)
    return render(request, "outreach/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    user = request.user
    targets = _targets(request, campaign)
    report = campaign_report(campaign, targets=targets)
    filters = TargetFilterForm(request.GET or None)
    rows = targets.select_related("person", "assignee", "dossier", "commune", "person__hamlet")
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            rows = rows.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["q"]:
            rows = rows.filter(person__full_name__icontains=filters.cleaned_data["q"])
    page = Paginator(rows.order_by("status", "next_action_at", "pk"), PAGE).get_page(request.GET.get("page"))
    can_manage = permissions.can_manage_campaign(user, campaign)
    commune = campaign.commune or (user.commune if user.commune_id else None)
    context = {
        "campaign": campaign,
        "report": report,
        "filters": filters,
        "page": page,
        "can_manage": can_manage,
        "personal": commune is not None and permissions.can_run_commune(user, commune),
        "register_form": RegisterForm() if can_manage else None,
        "reserve_form": ReserveForm(people=workers(commune)) if can_manage and commune else None,
        "unassigned": targets.open().filter(assignee__isnull=True).count(),
        "query": request.GET.urlencode(),
    }
    return render(request, "outreach/campaign_detail.html", context)


@login_required
def campaign_import(request, pk):
    campaign = _campaign(request, pk)
    permissions.require_manage_campaign(request.user, campaign)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("Tệp lớn quá 10 MB; hãy chia thành nhiều tệp."))
        else:
            report = services.import_targets(
                request.user,
                campaign,
                content=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
            if report.ok and not form.cleaned_data["dry_run"]:
                messages.success(
                    request,
                    _(
                        "Đã nhập %(rows)s dòng: %(t)s người vào danh sách (%(new)s người mới, %(m)s người đã có, "
                        "%(merged)s dòng trùng đã gộp, %(listed)s người đã có trong chiến dịch)."
                    )
                    % {
                        "rows": report.rows,
                        "t": report.targets_created,
                        "new": report.people_created,
                        "m": report.people_matched,
                        "merged": report.merged_rows,
                        "listed": report.already_listed,
                    },
                )
                return redirect("outreach:campaign", campaign.pk)
    return render(
        request,
        "outreach/import.html",
        {
            "campaign": campaign,
            "form": form,
            "report": report,
            "columns": services.IMPORT_COLUMNS,
            "example": services.EXAMPLE_CSV,
        },
    )


@login_required
@require_POST
def campaign_register(request, pk):
    campaign = _campaign(request, pk)
    permissions.require_manage_campaign(request.user, campaign)
    form = RegisterForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_from_register(
                request.user, campaign, form.cleaned_data["rule"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã thêm %(n)s người từ sổ hồ sơ của xã.") % {"n": added})
    else:
        messages.error(request, _("Chọn cách lập danh sách và số ngày (0–365)."))
    return redirect("outreach:campaign", campaign.pk)


@login_required
@require_POST
def campaign_reserve(request, pk):
    campaign = _campaign(request, pk)
    permissions.require_manage_campaign(request.user, campaign)
    commune = campaign.commune or request.user.commune
    if commune is None:
        raise Http404
    form = ReserveForm(request.POST, people=workers(commune))
    if form.is_valid():
        try:
            count = services.reserve(
                request.user,
                campaign,
                form.cleaned_data["assignee"],
                count=form.cleaned_data["count"],
                commune=commune,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            who = form.cleaned_data["assignee"]
            messages.success(
                request,
                _("Đã giao %(n)s người cho %(who)s.")
                % {"n": count, "who": who.get_full_name() or who.username},
            )
    else:
        messages.error(request, _("Chọn người nhận danh sách và số người (1–5.000)."))
    return redirect("outreach:campaign", campaign.pk)


@login_required
def campaign_export(request, pk):
    """The campaign's list with each citizen's last outcome (CSV; every value neutralised against formulas)."""
    campaign = _campaign(request, pk)
    targets = _targets(request, campaign).select_related("person", "assignee", "dossier", "commune")
    commune = campaign.commune or request.user.commune
    personal = commune is not None and permissions.can_run_commune(request.user, commune)
    header = [_("Họ và tên"), _("Điện thoại"), _("Xã"), _("Trạng thái"), _("Số lần liên hệ"), _("Người phụ trách"),
              _("Hồ sơ đã nộp"), _("Ghi chú")]  # fmt: skip
    rows = (
        [
            t.person.full_name,
            national(t.person.phone) if personal else "",
            t.commune.name,
            t.get_status_display(),
            t.attempt_count,
            t.assignee.username if t.assignee else "",
            t.dossier.code if t.dossier else "",
            t.note,
        ]
        for t in targets.iterator(chunk_size=2000)
    )
    return exports.csv_response(exports.download_name("tiep-can", campaign.pk, ext="csv"), header, rows)
