"""What several award pages share: the year they work on, the fetch-and-check of a proposal, a
session or a posting (out of scope: 404; in scope but not his to do: 403), the redirects back to them
and the labels of the history lists."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy

from campaigns.models import Plan
from campaigns.selectors import choose_current
from indicators.permissions import has_role
from phominh.fields import ascii_int

from .. import permissions
from ..models import CouncilSession, Posting, Proposal

ACTION_LABELS = {
    "awards.proposal.created": gettext_lazy("Tạo đề nghị"),
    "awards.proposal.edited": gettext_lazy("Sửa đề nghị"),
    "awards.proposal.submitted": gettext_lazy("Gửi đề nghị"),
    "awards.proposal.checked": gettext_lazy("Văn phòng kiểm tra"),
    "awards.proposal.returned": gettext_lazy("Trả lại đề nghị"),
    "awards.proposal.forwarded": gettext_lazy("Chuyển Hội đồng"),
    "awards.proposal.withdrawn": gettext_lazy("Rút khỏi chương trình họp"),
    "awards.proposal.voted": gettext_lazy("Hội đồng biểu quyết"),
    "awards.proposal.awarded": gettext_lazy("Quyết định khen thưởng"),
    "awards.proposal.proposed_up": gettext_lazy("Trình cấp trên"),
    "awards.proposal.not_awarded": gettext_lazy("Cấp trên không khen thưởng"),
    "awards.evidence.added": gettext_lazy("Thêm minh chứng"),
    "awards.achievement_report.saved": gettext_lazy("Lưu báo cáo thành tích"),
    "awards.evidence.removed": gettext_lazy("Xóa minh chứng"),
    "awards.posting.started": gettext_lazy("Niêm yết công khai danh sách"),
    "awards.posting.comment_recorded": gettext_lazy("Ghi nhận ý kiến"),
    "awards.posting.comment_answered": gettext_lazy("Ghi cách giải quyết ý kiến"),
}


def require_role(request) -> None:
    if not has_role(request.user):
        raise PermissionDenied


AWARDS_YEAR = "awards_year"


def award_plan(request) -> Plan:
    """The year the award pages work on: `?year=` (remembered in the session), else the one chosen
    before, else the current plan. The year-end review may run into January, after the calendar (and
    so the menus' plan) has moved on: the office switches back to last year with one click."""
    everything = list(Plan.objects.all())
    plans = {p.year: p for p in everything}
    request.award_years = sorted(plans, reverse=True)  # for the year switch in awards/_nav.html
    asked = ascii_int(request.GET.get("year", ""))
    if asked in plans:
        request.session[AWARDS_YEAR] = asked
        return plans[asked]
    remembered = request.session.get(AWARDS_YEAR)
    if remembered in plans:
        return plans[remembered]
    plan = choose_current(everything)
    if plan is None:
        raise Http404
    return plan


def get_proposal(request, pk: int) -> Proposal:
    """A proposal the user may see; 404 for anything out of his scope."""
    require_role(request)
    proposal = (
        permissions.proposals_visible_to(request.user)
        .select_related("plan", "unit", "title__prerequisite", "title__quota_base", "title__earlier_title")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def get_session(request, pk: int) -> CouncilSession:
    require_role(request)
    if not permissions.can_view_sessions(request.user):
        raise PermissionDenied
    return get_object_or_404(CouncilSession.objects.select_related("council", "plan"), pk=pk)


def proposal_redirect(proposal: Proposal):
    return redirect("awards-proposal", pk=proposal.pk)


def session_redirect(session: CouncilSession):
    return redirect("awards-session", pk=session.pk)


def get_posting(request, pk: int) -> Posting:
    """A posting the user may see (the award staff: all; a group's people: their group's and the
    ward-wide lists); 404 for another group's."""
    require_role(request)
    posting = (
        permissions.postings_visible_to(request.user)
        .select_related("plan", "title", "unit", "created_by")
        .filter(pk=pk)
        .first()
    )
    if posting is None:
        raise Http404
    return posting
