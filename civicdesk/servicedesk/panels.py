"""The service desk's menu entries and home-page cards (`register()`, from apps.py)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import COMMUNE_ROLES, DEPARTMENT_ROLES, PROVINCE_ROLES

from . import kpi
from .models import Dossier


def _commune_card(request):
    user = request.user
    if user.commune_id is None:
        return None
    mine = Dossier.objects.visible_to(user)
    today = timezone.localdate()
    overdue = mine.overdue()
    return {
        "today": mine.filter(received_date=today).count(),
        "open": mine.open().count(),
        "overdue": overdue.count(),
        "needs_apology": overdue.filter(apology_at__isnull=True).count(),
        "commune": user.commune,
    }


def _province_card(request):
    user = request.user
    if user.province_id is None:
        return None
    today = timezone.localdate()
    counts = kpi.total(today - timedelta(days=29), today, province_id=user.province_id)
    return {"rates": kpi.rates(counts), "province": user.province}


def register():
    registry.add_nav(_("Một cửa"), "servicedesk:index", roles=COMMUNE_ROLES, order=30)
    registry.add_nav(
        _("Chỉ số phục vụ (766)"), "servicedesk:dashboard", roles=PROVINCE_ROLES | DEPARTMENT_ROLES, order=30
    )
    registry.add_panel("servicedesk/panels/commune.html", _commune_card, roles=COMMUNE_ROLES, order=20)
    registry.add_panel(
        "servicedesk/panels/province.html", _province_card, roles=PROVINCE_ROLES | DEPARTMENT_ROLES, order=20
    )
