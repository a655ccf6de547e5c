from django.contrib import admin

from .models import Title


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "for_whom", "decided_by", "requires_pledge", "quota_percent", "vote_threshold_percent"]
    list_filter = ["for_whom", "decided_by"]
    search_fields = ["code", "name"]
