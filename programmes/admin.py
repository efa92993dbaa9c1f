from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    AlwaysEvent,
    Criterion,
    Membership,
    Organisation,
    OversightGroup,
    OversightGroupMember,
    PDSACycle,
    PhaseChange,
    Programme,
    ProgrammeAdmin,
    ReadinessAnswer,
    ReadinessAssessment,
    Region,
)


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


@admin.register(Programme)
class ProgrammeAdminPage(admin.ModelAdmin):
    list_display = ["name", "region", "starts_on", "ends_on"]
    filter_horizontal = ["organisations"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(AlwaysEvent)
class AlwaysEventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "setting", "phase", "status"]
    list_filter = ["phase", "setting", "status", "organisation"]
    search_fields = ["title", "service_area", "organisation__name"]
    autocomplete_fields = ["executive_sponsor", "leads", "team", "spread_from"]
    inlines = [CriterionInline]


@admin.register(PDSACycle)
class PDSACycleAdmin(SimpleHistoryAdmin):
    list_display = ["always_event", "number", "act", "started_on", "ended_on"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "always_event", "owner", "due_on", "status"]
    list_filter = ["status"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(admin.ModelAdmin):
    list_display = ["always_event", "from_phase", "to_phase", "changed_by", "changed_at"]


class ReadinessAnswerInline(admin.TabularInline):
    model = ReadinessAnswer
    extra = 0


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "assessed_on", "assessed_by"]
    inlines = [ReadinessAnswerInline]


class OversightGroupMemberInline(admin.TabularInline):
    model = OversightGroupMember
    extra = 0


@admin.register(OversightGroup)
class OversightGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "reports_to"]
    inlines = [OversightGroupMemberInline]
