from django.contrib import admin

from .models import (
    CoDesignMember,
    CoDesignSession,
    Engagement,
    LadderRating,
    PersonalDetailsLog,
    Theme,
    TrainingRecord,
)


@admin.register(CoDesignMember)
class CoDesignMemberAdmin(admin.ModelAdmin):
    """Shows only what identifies the row; personal details stay in the service's pages."""

    list_display = ["__str__", "always_event", "kind", "role", "joined_on", "left_on"]
    list_filter = ["kind", "role"]
    fields = ["always_event", "kind", "role", "user", "chosen_name", "joined_on", "left_on",
              "details_removed_on"]
    readonly_fields = ["details_removed_on"]
    raw_id_fields = ["always_event", "user"]


@admin.register(CoDesignSession)
class CoDesignSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "always_event", "held_on", "kind", "hours"]
    list_filter = ["kind"]
    raw_id_fields = ["always_event"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "always_event", "participants"]
    raw_id_fields = ["always_event"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "led_to"]
    search_fields = ["name"]


@admin.register(LadderRating)
class LadderRatingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "always_event", "rated_on"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "completed_on", "organisation"]
    list_filter = ["topic"]


@admin.register(PersonalDetailsLog)
class PersonalDetailsLogAdmin(admin.ModelAdmin):
    """Read-only: an audit log is never edited, not even here."""

    list_display = ["at", "user", "action", "member", "view", "fields", "organisation"]
    list_filter = ["action"]
    raw_id_fields = ["member", "user", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
