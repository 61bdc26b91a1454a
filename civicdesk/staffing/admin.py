from django.contrib import admin

from .models import CapacityRecord, DepartmentQuota, Need, Plan, Secondment, StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "department", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["code", "full_name"]
    # The languages are kept through the staffing services (community's pool Person), not linked by hand here.
    readonly_fields = ["person"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "total", "status", "solver_status", "objective"]
    list_filter = ["status"]
    readonly_fields = ["input_snapshot", "summary", "message_codes", "messages"]


@admin.register(Secondment)
class SecondmentAdmin(admin.ModelAdmin):
    list_display = ["staff", "commune", "field", "start_date", "end_date", "status"]
    list_filter = ["status", "field"]


admin.site.register(CapacityRecord)
admin.site.register(Need)
admin.site.register(DepartmentQuota)
