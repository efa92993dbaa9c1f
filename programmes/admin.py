from django.contrib import admin

from .models import Membership, Organisation, ProgrammeAdmin, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "type", "region"]
    list_filter = ["type", "region"]
    search_fields = ["name", "ods_code"]
    inlines = [MembershipInline]


@admin.register(ProgrammeAdmin)
class ProgrammeAdminAdmin(admin.ModelAdmin):
    list_display = ["user", "region"]
    autocomplete_fields = ["user"]
