from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.admin import ProvinceScopedAdmin

from .models import ApiToken, AuditEvent, CalendarDay, Department, Job, User, WorkingGroup


@admin.register(User)
class UserAdmin(ProvinceScopedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "commune", "department", "is_active"]
    list_filter = ["role", "is_active", "province", "department"]
    search_fields = ["username", "full_name", "email", "phone"]
    autocomplete_fields = ["commune", "department"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone", "position")}),
        (_("Vai trò và đơn vị"), {"fields": ("role", "province", "commune", "department")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "role",
                    "commune",
                    "department",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Department)
class DepartmentAdmin(ProvinceScopedAdmin):
    list_display = ["name", "code", "province", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["name", "code"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ProvinceScopedAdmin):
    list_display = ["name", "code", "province", "leader", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["departments", "members"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for superusers."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "reason", "ip"]
    list_filter = ["action", "object_type", ("actor", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "at"
    search_fields = ["actor_name", "object_repr", "object_id", "reason"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return AuditEvent.objects.visible_to(request.user)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "progress", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
