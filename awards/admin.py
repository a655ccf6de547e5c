"""Awards in the admin: titles, the council and the registry are data the office may edit here.

Proposals, sessions, tallies, ballots and decisions change only through the services (which check the
state and write the log), so they are read-only here. A tally is shown only once its session is
closed, and a cast ballot shows who voted, never how: there is no "how" to show.

Showing the counters only after the close is not enough: the changelist filters, sorts and searches on
any local field it is given in the URL (`?agree=1`, `?agree__gte=1`), so while voting is open the
office could read the running tally one filter at a time and, next to the list of who has voted, each
member's ballot. Every admin of this app therefore refuses any lookup, ordering or search that reaches
a counter (or the result computed from them), on its own model or through a relation: Django answers
a refused lookup with 400.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OrderBy
from django.utils.translation import gettext_lazy as _

from .law import LegalText, TitleAuthority
from .models import (
    AchievementReport,
    AgendaItem,
    AwardRecord,
    BallotCast,
    CertificateLayout,
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    EvidenceFile,
    Household,
    HouseholdAssessment,
    HouseholdReview,
    Posting,
    PostingComment,
    Proposal,
    SessionMember,
    Title,
)
from .registry import next_register_number

# The tally and what is derived from it: AgendaItem's counters and its result, frozen at the close.
TALLY_FIELDS = frozenset({"agree", "disagree", "abstain", "passed"})


def _path(term) -> str:
    """A lookup, an ordering term ("-agree", F("agree").desc()) or a search field ("^agree") as a path."""
    if isinstance(term, OrderBy):
        term = term.expression
    if isinstance(term, F):
        term = term.name
    return str(term).lstrip("-^=@")


def reaches_tally(model, term) -> bool:
    """Whether a path from `model` (through relations) ends on a counter of an agenda item."""
    for part in _path(term).split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if model is AgendaItem and part in TALLY_FIELDS:
            return True
        if not field.is_relation:
            return False  # what follows is a transform or a lookup type
        model = field.related_model
    return False


class TallySafeChangeList(ChangeList):
    """Never sorts on the tally: neither from `?o=` nor from an ordering set on the admin or the model."""

    def get_ordering_field(self, field_name):
        order_field = super().get_ordering_field(field_name)
        if order_field and reaches_tally(self.model, order_field):
            return None
        return order_field

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        return [term for term in ordering if not reaches_tally(self.model, term)]


class AwardsAdmin(admin.ModelAdmin):
    """Every admin of the awards app: no filter, sort or search on the tally (see the module's doc)."""

    def lookup_allowed(self, lookup, value, request=None):
        if reaches_tally(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist(self, request, **kwargs):
        return TallySafeChangeList

    def get_sortable_by(self, request):
        """The column headers offer no sort on the tally (TallySafeChangeList ignores it anyway)."""
        columns = super().get_sortable_by(request)
        return [
            name
            for name in columns
            if not reaches_tally(
                self.model, getattr(getattr(self, str(name), None), "admin_order_field", name)
            )
        ]

    def get_search_fields(self, request):
        return [f for f in super().get_search_fields(request) if not reaches_tally(self.model, f)]


class ReadOnlyAdmin(AwardsAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Title)
class TitleAdmin(AwardsAdmin):
    list_display = [
        "code",
        "name",
        "for_whom",
        "decided_by",
        "requires_pledge",
        "requires_posting",
        "prerequisite",
        "quota_percent",
        "vote_threshold_percent",
        "vote_threshold_strict",
    ]
    list_filter = ["for_whom", "decided_by"]
    list_select_related = ["prerequisite"]
    search_fields = ["code", "name"]


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(AwardsAdmin):
    list_display = ["name", "quorum_numerator", "quorum_denominator", "higher_authority", "is_active"]
    inlines = [CouncilMemberInline]


@admin.register(CouncilMember)
class CouncilMemberAdmin(AwardsAdmin):
    list_display = ["__str__", "council", "role", "position", "order", "is_active"]
    list_filter = ["council", "role", "is_active"]
    list_select_related = ["user", "council"]
    autocomplete_fields = ["user"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "nominee_name", "unit", "plan", "status", "office_eligible"]
    list_filter = ["plan", "status", "title"]
    list_select_related = ["title", "unit", "plan"]
    search_fields = ["nominee_name", "unit__name"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    """File names and sizes only: the files are served by the portal's permission-checked view."""

    list_display = ["original_name", "proposal", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["proposal__title", "proposal__unit", "uploaded_by"]
    exclude = ["file"]


class SessionMemberInline(admin.TabularInline):
    model = SessionMember
    extra = 0
    can_delete = False
    readonly_fields = ["member", "present"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    list_display = ["name", "held_on", "status", "member_count", "present_count", "closed_at"]
    list_filter = ["status", "plan"]
    inlines = [SessionMemberInline]


@admin.register(SessionMember)
class SessionMemberAdmin(ReadOnlyAdmin):
    list_display = ["member", "session", "present"]
    list_filter = ["session", "present"]
    list_select_related = ["member__user", "session"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "session", "order", "tally", "passed"]
    list_filter = ["session"]
    list_select_related = ["proposal__title", "proposal__unit", "session"]
    fields = ["session", "proposal", "order", "tally", "threshold_percent", "threshold_strict", "passed"]
    readonly_fields = fields

    @admin.display(description=_("kết quả kiểm phiếu"))
    def tally(self, obj):
        if not obj.session.is_closed:
            return _("chưa kết thúc biểu quyết")
        return _("đồng ý %(a)s, không đồng ý %(d)s, không có ý kiến %(n)s") % {
            "a": obj.agree,
            "d": obj.disagree,
            "n": obj.abstain,
        }


@admin.register(BallotCast)
class BallotCastAdmin(ReadOnlyAdmin):
    list_display = ["member", "item", "written"]
    list_filter = ["item__session", "written"]
    list_select_related = [
        "member__member__user",
        "item__proposal__title",
        "item__proposal__unit",
        "item__session",
    ]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "status", "signed_on", "subject", "issuer", "session", "corrects"]
    list_filter = ["kind", "status", "plan"]
    list_select_related = ["session", "corrects"]


@admin.register(LegalText)
class LegalTextAdmin(ReadOnlyAdmin):
    """Edited and confirmed by the office on /khen-thuong/van-ban-phap-luat/, where every change is logged."""

    list_display = ["number", "kind", "signed_on", "in_force_from", "in_force_until", "confirmed"]
    list_filter = ["kind", "role", "confirmed"]


@admin.register(TitleAuthority)
class TitleAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["title", "valid_from", "valid_until", "decider", "ward_decides", "confirmed"]
    list_filter = ["valid_from", "confirmed"]
    list_select_related = ["title"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    """Postings and the comments received change only through the services, which write the log."""

    list_display = ["title", "unit", "posted_on", "days", "number", "created_by"]
    list_filter = ["plan", "title"]
    list_select_related = ["title", "unit", "created_by"]


@admin.register(PostingComment)
class PostingCommentAdmin(ReadOnlyAdmin):
    list_display = ["from_name", "posting", "proposal", "received_on", "answered"]
    list_filter = ["posting__title"]
    list_select_related = ["posting__title", "posting__unit", "proposal__title", "proposal__unit"]

    @admin.display(boolean=True, description=_("đã giải quyết"))
    def answered(self, obj):
        return obj.answered


@admin.register(AwardRecord)
class AwardRecordAdmin(AwardsAdmin):
    """Earlier years are typed in from the paper decisions; the portal's own entries stay as decided."""

    list_display = ["year", "title", "nominee_name", "unit", "decision_number", "decided_on", "decided_by"]
    list_filter = ["year", "title"]
    list_select_related = ["title", "unit"]
    search_fields = ["nominee_name", "unit__name", "decision_number"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["proposal", "decision", "household", "register_number"]

    def save_model(self, request, obj, form, change):
        """A row typed in from a paper decision takes the next number of its year's register."""
        if obj.register_number is None or (change and "year" in form.changed_data):
            obj.register_number = next_register_number(obj.year)
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.proposal_id or obj.household_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.proposal_id or obj.household_id):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CertificateLayout)
class CertificateLayoutAdmin(ReadOnlyAdmin):
    """Set by the office on its own page (awards-certificate-layout), versioned and audited there."""

    list_display = ["offset_x_mm", "offset_y_mm", "blank_mode", "version"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    """Kept by the group leaders and the office on the register's pages (versioned, audited)."""

    list_display = ["head_name", "address", "unit", "members", "is_active"]
    list_filter = ["unit", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["head_name", "address"]


class HouseholdAssessmentInline(admin.TabularInline):
    model = HouseholdAssessment
    fields = ["household", "qualified", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HouseholdReview)
class HouseholdReviewAdmin(ReadOnlyAdmin):
    """Recorded by the group on its review page; read-only here."""

    list_display = ["unit", "plan", "held_on", "chaired_by", "status"]
    list_filter = ["plan", "status"]
    list_select_related = ["unit", "plan"]


@admin.register(HouseholdAssessment)
class HouseholdAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["household", "review", "qualified", "reason"]
    list_filter = ["qualified"]
    list_select_related = ["household", "review__unit", "review__plan"]


@admin.register(AchievementReport)
class AchievementReportAdmin(ReadOnlyAdmin):
    """Written by the proposal's unit on its own page (versioned, audited); read-only here."""

    list_display = ["proposal", "head_name", "reported_on", "version"]
    list_select_related = ["proposal__unit", "proposal__title"]
