from django.contrib import admin

from .models import CampaignContent, Plan, PlanParagraph, PlanSection


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
