from django.contrib import admin

from .models import (
    ActionLog,
    Assignment,
    Baseline,
    DataElement,
    Notification,
    Profile,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    TargetTerm,
    Unit,
    ValueChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is written by the services only; nobody edits or deletes it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "title"]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    filter_horizontal = ["units"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "quarter", "starts_on", "ends_on", "opens_on", "deadline", "is_locked"]
    list_filter = ["plan", "is_locked"]
    list_select_related = ["plan"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit_of_measure", "aggregation", "value_type", "plan"]
    list_filter = ["plan", "aggregation", "value_type"]
    list_select_related = ["plan"]
    search_fields = ["code", "name"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "element"]
    list_filter = ["unit__kind", "element__plan", "unit"]
    list_select_related = ["unit", "element"]
    autocomplete_fields = ["unit", "element"]


class TargetTermInline(admin.TabularInline):
    model = TargetTerm
    fk_name = "target"
    extra = 0
    autocomplete_fields = ["element", "source_target"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "group",
        "kind",
        "comparator",
        "target_value",
        "unit_of_measure",
        "parent",
    ]
    list_filter = ["plan", "group", "kind", "comparator"]
    list_select_related = ["parent", "plan"]
    search_fields = ["code", "name"]
    inlines = [TargetTermInline]


@admin.register(TargetTerm)
class TargetTermAdmin(admin.ModelAdmin):
    list_display = ["target", "role", "element", "source_target", "coefficient"]
    list_filter = ["target__plan", "role"]
    list_select_related = ["target", "element", "source_target"]
    search_fields = ["target__code", "element__code"]


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["target", "value", "note"]
    list_filter = ["target__plan", "target__group"]
    list_select_related = ["target"]


class ReportedValueInline(admin.TabularInline):
    """Figures change only through the entry form and the services, which keep the audit trail."""

    model = ReportedValue
    extra = 0
    fields = ["element", "value", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "status", "version", "updated_at"]
    list_filter = ["period", "status", "unit__kind"]
    list_select_related = ["unit", "period__plan"]
    inlines = [ReportedValueInline]


@admin.register(ReportedValue)
class ReportedValueAdmin(ReadOnlyAdmin):
    list_display = ["report", "element", "value"]
    list_filter = ["report__period", "element"]
    list_select_related = ["report__unit", "report__period__plan", "element"]
    search_fields = ["element__code", "report__unit__name"]


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "report", "element", "old_value", "new_value", "user", "source"]
    list_filter = ["source", "report__period"]
    list_select_related = ["report__unit", "report__period__plan", "element", "user"]
    search_fields = ["element__code", "report__unit__name", "user__username"]


@admin.register(ActionLog)
class ActionLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "content_type", "object_id", "user"]
    list_filter = ["action"]
    list_select_related = ["content_type", "user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__username", "text"]
