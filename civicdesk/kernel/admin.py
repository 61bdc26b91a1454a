"""The admin site's province rule, shared by core's and geo's model admins."""

from django.contrib import admin


class ProvinceScopedAdmin(admin.ModelAdmin):
    """A province admin manages only their own province's records in the admin site."""

    province_lookup = "province"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not request.user.province_id:
            return qs.none()
        return qs.filter(**{self.province_lookup: request.user.province_id})
