from django.contrib import admin

from civicdesk.kernel.admin import ProvinceScopedAdmin

from .models import Commune, Hamlet, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "code"]


class HamletInline(admin.TabularInline):
    model = Hamlet
    extra = 0


@admin.register(Commune)
class CommuneAdmin(ProvinceScopedAdmin):
    list_display = ["code", "name", "division_type", "province", "lat", "lon"]
    list_filter = ["division_type", "province"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "name", "codename", "division_type", "province"]
    inlines = [HamletInline]


@admin.register(Hamlet)
class HamletAdmin(ProvinceScopedAdmin):
    province_lookup = "commune__province"

    list_display = ["name", "kind", "commune", "population"]
    list_filter = ["kind", "commune__province"]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune"]
