"""Core's navigation entries and home-page cards (`register()`, from apps.py)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.registry import registry
from civicdesk.kernel.roles import COMMUNE_ROLES, PROVINCE_ROLES, Role

from .models import CalendarDay, Department, User, WorkingGroup
from .workcal import get_calendar


def _calendar_card(request):
    calendar = get_calendar()
    today = timezone.localdate()
    upcoming = []
    entries = {
        e.date: e for e in CalendarDay.objects.filter(date__gte=today, date__lte=today + timedelta(days=90))
    }
    for offset in range(90):
        day = today + timedelta(days=offset)
        name = calendar.holiday_name(day) or (entries[day].note if day in entries else None)
        if name:
            upcoming.append({"date": day, "name": name, "working": calendar.is_working_day(day)})
        if len(upcoming) >= 4:
            break
    return {"upcoming": upcoming, "today_working": calendar.is_working_day(today)}


def _province_card(request):
    user = request.user
    if not user.province_id:
        return None
    province = user.province
    return {
        "province": province,
        "communes": province.communes.count(),
        "departments": Department.objects.filter(province=province).count(),
        "groups": WorkingGroup.objects.filter(province=province).count(),
        "users": User.objects.filter(province=province, is_active=True).count(),
    }


def _commune_card(request):
    commune = request.user.commune
    if commune is None:
        return None
    return {
        "commune": commune,
        "hamlets": commune.hamlets.count(),
        "colleagues": User.objects.filter(commune=commune, is_active=True)
        .exclude(pk=request.user.pk)
        .count(),
        "can_manage": request.user.role in (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER),
    }


def _department_card(request):
    department = request.user.department
    if department is None:
        return None
    return {
        "department": department,
        "groups": department.working_groups.filter(is_active=True),
        "colleagues": department.members.filter(is_active=True).count(),
    }


def register():
    registry.add_nav(_("Trang chủ"), "home", order=0)
    # Reference and administration pages, not daily work: in the user menu, so the main menu keeps to two rows.
    registry.add_user_link(_("Sở, ngành và tổ công tác"), "organisation", order=20)
    registry.add_user_link(_("Lịch làm việc"), "calendar", order=30)
    registry.add_user_link(_("Nhật ký truy vết"), "audit_log", roles={Role.PROVINCE_ADMIN}, order=40)

    registry.add_panel("core/panels/commune.html", _commune_card, roles=COMMUNE_ROLES, order=10)
    registry.add_panel(
        "core/panels/department.html", _department_card, roles={Role.DEPARTMENT_EXPERT}, order=10
    )
    registry.add_panel("core/panels/province.html", _province_card, roles=PROVINCE_ROLES, order=10)
    registry.add_panel("core/panels/calendar.html", _calendar_card, order=900)
