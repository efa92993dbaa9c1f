from django.contrib import admin

from .models import (
    Alert,
    DistributionPoint,
    FeedbackForm,
    FormTranslation,
    FormVersion,
    ImportBatch,
    Measure,
    MeasureDataPoint,
    Option,
    Question,
)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "always_event", "kind", "target_percent", "frequency"]
    list_filter = ["kind", "frequency"]
    search_fields = ["name", "always_event__title"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["always_event", "measure", "kind", "period_start", "created_at", "emailed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["always_event", "measure", "seen_by"]
    readonly_fields = ["created_at", "emailed_at"]


@admin.register(MeasureDataPoint)
class MeasureDataPointAdmin(admin.ModelAdmin):
    list_display = ["measure", "period_start", "numerator", "denominator", "source"]
    raw_id_fields = ["measure", "entered_by"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "version", "position", "kind"]
    inlines = [OptionInline]
    raw_id_fields = ["version", "measure"]


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ["number", "format", "published_at"]
    readonly_fields = ["published_at"]


@admin.register(FeedbackForm)
class FeedbackFormAdmin(admin.ModelAdmin):
    list_display = ["title", "always_event"]
    search_fields = ["title", "always_event__title"]
    inlines = [FormVersionInline]


@admin.register(FormTranslation)
class FormTranslationAdmin(admin.ModelAdmin):
    list_display = ["version", "language", "language_name"]


@admin.register(DistributionPoint)
class DistributionPointAdmin(admin.ModelAdmin):
    list_display = ["location", "always_event", "channel", "starts_on", "ends_on", "retired_at"]
    list_filter = ["channel"]
    readonly_fields = ["token"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "always_event", "status", "rows_saved", "created_at"]
    readonly_fields = ["file_sha256", "errors"]
    exclude = ["content"]
