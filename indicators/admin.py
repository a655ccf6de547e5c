"""The admin: master data (units, people and roles, assignments, targets) with Excel/CSV import and
export through django-import-export, and read-only views of the reported figures and their audit.

Imports always run as a dry run first and show the library's preview; nothing is written until the
preview is confirmed. Rows are matched by their natural keys (a unit's code, a username, a target's
year and code), never by database ids, so a file can move between installations.
"""

from decimal import Decimal

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from campaigns.models import CampaignContent, Plan

from . import excel
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

# --- master data import and export -----------------------------------------------------------------


class SafeTextResource(resources.ModelResource):
    """Text exported so that no spreadsheet runs it as a formula, and read back unchanged on import."""

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return excel.safe_text(value) if isinstance(value, str) else value

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = excel.unescape_text(value).strip()


class FigureWidget(widgets.DecimalWidget):
    """A figure as the entry form reads it: numbers as stored, text in Vietnamese notation (4.176; 2,57).

    The library's own widget would read "4.176" as four point one seven six.
    """

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, str):
            from .validation import parse_number

            try:
                return parse_number(value)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from error
        return Decimal(str(value))


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Codes separated by commas; an unknown code is an error, not silently dropped."""

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in str(value or "").split(self.separator) if c.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": codes})
        missing = sorted(set(codes) - {getattr(obj, self.field) for obj in found})
        if missing:
            raise ValueError(_("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(missing)})
        return found


class PlanScopedWidget(widgets.ForeignKeyWidget):
    """An object by its code within the plan of the row's year: codes repeat from one year to the next."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(plan__year=(row or {}).get("year"))


class UnitResource(SafeTextResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Unit, "code")
    )

    class Meta:
        model = Unit
        fields = ("code", "name", "kind", "parent", "order", "is_active")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class ProfileResource(SafeTextResource):
    """People with their role and units; a new username makes an account without a password.

    The account's password is never imported: the person sets it through the administrator. Creating
    or renaming accounts needs the matching permissions on users, not only on profiles.
    """

    username = fields.Field(
        attribute="user",
        column_name="username",
        widget=widgets.ForeignKeyWidget(get_user_model(), "username"),
    )
    last_name = fields.Field(attribute="user__last_name", column_name="last_name", readonly=True)
    first_name = fields.Field(attribute="user__first_name", column_name="first_name", readonly=True)
    email = fields.Field(attribute="user__email", column_name="email", readonly=True)
    units = fields.Field(
        attribute="units",
        column_name="units",
        widget=StrictManyToManyWidget(Unit, separator=",", field="code"),
    )

    class Meta:
        model = Profile
        fields = ("username", "last_name", "first_name", "email", "role", "title", "units")
        import_id_fields = ("username",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("user").prefetch_related("units")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        User = get_user_model()
        actor = kwargs.get("user")
        username = str(row.get("username") or "").strip()
        if not username:
            raise ValidationError(_("Thiếu tên đăng nhập (username)."))
        User.username_validator(username)
        details = {key: str(row.get(key) or "").strip() for key in ("last_name", "first_name", "email")}
        if details["email"]:
            validate_email(details["email"])
        user = User.objects.filter(username=username).first()
        if user is None:
            if actor is not None and not actor.has_perm("auth.add_user"):
                raise PermissionDenied(_("Bạn không có quyền tạo tài khoản %(u)s.") % {"u": username})
            user = User(username=username, **details)
            user.set_unusable_password()
            user.save()
            return
        changed = {k: v for k, v in details.items() if k in row and getattr(user, k) != v}
        if changed:
            if actor is not None and not actor.has_perm("auth.change_user"):
                raise PermissionDenied(_("Bạn không có quyền sửa tài khoản %(u)s.") % {"u": username})
            for key, value in changed.items():
                setattr(user, key, value)
            user.save(update_fields=list(changed))


class AssignmentResource(SafeTextResource):
    year = fields.Field(column_name="year", readonly=True)
    element = fields.Field(
        attribute="element", column_name="element", widget=PlanScopedWidget(DataElement, "code")
    )
    unit = fields.Field(attribute="unit", column_name="unit", widget=widgets.ForeignKeyWidget(Unit, "code"))

    class Meta:
        model = Assignment
        fields = ("year", "element", "unit")
        import_id_fields = ("element", "unit")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("element__plan", "unit")

    def dehydrate_year(self, assignment):
        return assignment.element.plan.year


class TargetResource(SafeTextResource):
    """The targets of a year's plan; their formulas (terms) stay in the admin's form."""

    year = fields.Field(attribute="plan", column_name="year", widget=widgets.ForeignKeyWidget(Plan, "year"))
    content = fields.Field(
        attribute="content", column_name="content", widget=PlanScopedWidget(CampaignContent, "number")
    )
    parent = fields.Field(attribute="parent", column_name="parent", widget=PlanScopedWidget(Target, "code"))
    target_value = fields.Field(attribute="target_value", column_name="target_value", widget=FigureWidget())
    scale = fields.Field(attribute="scale", column_name="scale", widget=FigureWidget())

    class Meta:
        model = Target
        fields = (
            "year",
            "code",
            "name",
            "description",
            "group",
            "content",
            "parent",
            "relation",
            "kind",
            "comparator",
            "target_value",
            "unit_of_measure",
            "scale",
            "is_share",
            "order",
        )
        import_id_fields = ("year", "code")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan", "content", "parent")


class CheckedImportForm(ImportForm):
    """The library's import form, with the portal's upload limits (size, zip bomb) checked first."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            data = excel.check_size(upload)
            if data[:2] == b"PK":  # an .xlsx: a zip that openpyxl will open
                excel.check_zip(data)
        except excel.UploadRefused as refusal:
            raise ValidationError(str(refusal)) from refusal
        return upload


class MasterDataAdmin(ImportExportModelAdmin):
    """Excel and CSV only: the formats the ward's office uses, and both read by vetted code."""

    formats = [base_formats.XLSX, base_formats.CSV]
    import_form_class = CheckedImportForm


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is written by the services only; nobody edits or deletes it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(MasterDataAdmin):
    resource_classes = [UnitResource]
    list_display = ["code", "name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


@admin.register(Profile)
class ProfileAdmin(MasterDataAdmin):
    resource_classes = [ProfileResource]
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
class AssignmentAdmin(MasterDataAdmin):
    resource_classes = [AssignmentResource]
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
class TargetAdmin(MasterDataAdmin):
    resource_classes = [TargetResource]
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
    # The pace profile is set on the target's page (services.set_pace): reason, audit row, cache stamp.
    readonly_fields = ["pace_q1", "pace_q2", "pace_q3", "revised_at"]


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
