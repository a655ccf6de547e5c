from django.contrib import admin

from .models import (
    ApiClient,
    CampaignContent,
    Commitment,
    Covenant,
    CovenantMember,
    Plan,
    PlanParagraph,
    PlanSection,
    Pledge,
    PledgedPerson,
    PledgeWindow,
    WardIdentity,
)


class CampaignContentInline(admin.StackedInline):
    model = CampaignContent
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "issued_on", "title", "signer_name"]
    search_fields = ["number", "title"]
    inlines = [CampaignContentInline]


class PlanParagraphInline(admin.TabularInline):
    model = PlanParagraph
    extra = 0


@admin.register(PlanSection)
class PlanSectionAdmin(admin.ModelAdmin):
    list_display = ["plan", "order", "number", "heading", "role", "target_group", "parent"]
    list_filter = ["plan", "role"]
    list_select_related = ["plan", "parent"]
    inlines = [PlanParagraphInline]


@admin.register(PlanParagraph)
class PlanParagraphAdmin(admin.ModelAdmin):
    list_display = ["section", "order", "number", "bullet", "__str__"]
    list_filter = ["section__plan", "section"]
    list_select_related = ["section"]
    search_fields = ["text"]


@admin.register(CampaignContent)
class CampaignContentAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "short_title"]
    list_filter = ["plan"]
    search_fields = ["short_title", "text"]


@admin.register(PledgeWindow)
class PledgeWindowAdmin(admin.ModelAdmin):
    list_display = ["plan", "opens_on", "closes_on"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["target", "committed_value", "baseline", "text"]
    autocomplete_fields = ["target"]


class PledgedPersonInline(admin.TabularInline):
    model = PledgedPerson
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = [
        "unit",
        "plan",
        "status",
        "collective_title",
        "household_count",
        "submitted_at",
        "acknowledged_at",
    ]
    list_filter = ["plan", "status", "unit__kind"]
    list_select_related = ["unit", "plan", "collective_title"]
    search_fields = ["unit__name", "unit__code"]
    readonly_fields = [
        "status",
        "version",
        "submitted_at",
        "submitted_by",
        "acknowledged_at",
        "acknowledged_by",
    ]
    inlines = [PledgedPersonInline, CommitmentInline]


@admin.register(PledgedPerson)
class PledgedPersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "title", "pledge"]
    list_filter = ["title"]
    list_select_related = ["title", "pledge__unit", "pledge__plan"]
    search_fields = ["full_name"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pledge", "covenant", "target", "committed_value"]
    list_select_related = ["pledge__unit", "pledge__plan", "covenant", "target"]
    autocomplete_fields = ["target"]


class CovenantMemberInline(admin.TabularInline):
    model = CovenantMember
    extra = 0
    readonly_fields = ["confirmed_at", "confirmed_by"]


@admin.register(Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "lead_unit", "status", "created_at"]
    list_filter = ["plan", "status"]
    list_select_related = ["plan", "lead_unit"]
    inlines = [CovenantMemberInline]


@admin.register(CovenantMember)
class CovenantMemberAdmin(admin.ModelAdmin):
    list_display = ["covenant", "unit", "confirmed_at", "confirmed_by"]
    list_select_related = ["covenant", "unit", "confirmed_by"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Revoke a client or change its years here; tokens are issued by `manage.py create_api_client`."""

    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active", "plans"]
    filter_horizontal = ["plans"]
    fields = ["name", "plans", "is_active", "created_at"]
    readonly_fields = ["created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(WardIdentity)
class WardIdentityAdmin(admin.ModelAdmin):
    """The office edits it at /thiet-lap/thong-tin-phuong/ (versioned, audited); the admin shows it."""

    list_display = ["committee_short_name", "place_name", "chairman_name", "updated_at"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return not WardIdentity.objects.exists()
