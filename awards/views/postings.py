"""Public posting of the lists (công khai): the list of postings, a new one, its file, the public list,
the comments received and how each was settled."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.audit import entries_for

from .. import permissions, services
from ..documents import (
    posting_rows,
)
from ..forms import (
    CommentResponseForm,
    PostingChoiceForm,
    PostingCommentForm,
    PostingForm,
)
from ..models import Posting
from ..selectors import (
    postings_for,
)
from ._helpers import ACTION_LABELS, award_plan, get_posting, require_role


def _posting_file(request, pk: int) -> Posting:
    """The management page of a posting (who commented, how it was settled): the award staff only."""
    posting = get_posting(request, pk)
    if not permissions.can_view_posting_files(request.user):
        raise PermissionDenied
    return posting


def _managed_posting(request, pk: int) -> Posting:
    posting = get_posting(request, pk)
    if not permissions.can_manage_postings(request.user):
        raise PermissionDenied
    return posting


def _posting_url(posting: Posting):
    return redirect("awards-posting", pk=posting.pk)


def posting_list(request):
    require_role(request)
    plan = award_plan(request)
    return render(
        request,
        "awards/posting_list.html",
        {
            "plan": plan,
            "postings": list(postings_for(user=request.user, plan=plan)),
            "today": timezone.localdate(),
            "sees_files": permissions.can_view_posting_files(request.user),
            "can_manage": permissions.can_manage_postings(request.user),
        },
    )


def posting_create(request):
    """Choose the title and the group (a GET form), then the names, the date and the period (POST)."""
    require_role(request)
    if not permissions.can_manage_postings(request.user):
        raise PermissionDenied
    plan = award_plan(request)
    choice = PostingChoiceForm(request.GET or None)
    form = None
    if choice.is_valid():
        title, unit = choice.cleaned_data["title"], choice.cleaned_data["unit"]
        proposals = services.postable_proposals(plan=plan, title=title, unit=unit)
        if request.method == "POST":
            form = PostingForm(request.POST, proposals=proposals)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    posting = services.start_posting(
                        plan=plan,
                        title=title,
                        unit=unit,
                        user=request.user,
                        posted_on=data["posted_on"],
                        days=data["days"],
                        proposals=list(data["proposals"]),
                        number=data["number"],
                        place=data["place"],
                    )
                    messages.success(
                        request, _("Đã ghi nhận đợt công khai. In thông báo để niêm yết và đóng dấu.")
                    )
                    return _posting_url(posting)
                except services.AwardError as error:
                    messages.error(request, str(error))
        else:
            form = PostingForm(
                proposals=proposals,
                initial={"posted_on": timezone.localdate(), "place": unit.name if unit else ""},
            )
    elif request.method == "POST":
        messages.error(request, _("Chọn danh hiệu và tổ dân phố trước khi lập đợt công khai."))
    return render(
        request,
        "awards/posting_form.html",
        {"plan": plan, "choice": choice, "form": form, "query": request.GET.urlencode()},
    )


def posting_detail(request, pk: int):
    return _posting_page(request, _posting_file(request, pk))


def _posting_page(request, posting: Posting, *, status: int = 200, comment_form=None, response_form=None):
    """The posting's management page. A refused comment or answer passes its bound form back, so that
    what was typed stays in its boxes under the reason (issue 14); response_form is (comment pk, form)."""
    user = request.user
    today = timezone.localdate()
    rows = posting_rows(posting)
    visible = (
        set()
        if posting.review_id  # households, not proposals
        else set(
            permissions.proposals_visible_to(user)
            .filter(pk__in=[p.pk for p in rows])
            .values_list("pk", flat=True)
        )
    )
    comments = list(
        posting.comments.select_related("proposal__unit", "household", "recorded_by", "responded_by")
    )
    can_manage = permissions.can_manage_postings(user)
    history = [
        {"entry": e, "label": ACTION_LABELS.get(e.action, e.action)}
        for e in entries_for(posting).order_by("at", "pk")
    ]
    return render(
        request,
        "awards/posting_detail.html",
        {
            "posting": posting,
            "rows": rows,
            "visible": visible,
            "today": today,
            "over": posting.is_over(today),
            "days_left": posting.days_left(today),
            "comments": [
                {
                    "comment": c,
                    "form": (
                        response_form[1]
                        if response_form and response_form[0] == c.pk
                        else CommentResponseForm(
                            auto_id=f"id_response_{c.pk}_%s", initial={"response": c.response}
                        )
                    )
                    if can_manage
                    else None,
                }
                for c in comments
            ],
            "open_count": sum(1 for c in comments if not c.answered),
            "can_manage": can_manage,
            "comment_form": comment_form
            or PostingCommentForm(posting=posting, initial={"received_on": min(today, posting.ends_on)})
            if can_manage
            else None,
            "history": history,
        },
        status=status,
    )


def posting_public(request, pk: int):
    """The list as posted at the group, read-only: the names, the dates, where to send a comment."""
    posting = get_posting(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "awards/posting_public.html",
        {
            "posting": posting,
            "rows": posting_rows(posting),
            "today": today,
            "over": posting.is_over(today),
            "days_left": posting.days_left(today),
            "sees_files": permissions.can_view_posting_files(request.user),
        },
    )


@require_POST
def posting_comment(request, pk: int):
    posting = _managed_posting(request, pk)
    form = PostingCommentForm(request.POST, posting=posting)
    if not form.is_valid():
        messages.error(request, _("Phải ghi ngày nhận và nội dung ý kiến hợp lệ."))
        return _posting_page(request, posting, status=400, comment_form=form)
    data = form.cleaned_data
    try:
        services.record_posting_comment(
            posting=posting,
            user=request.user,
            received_on=data["received_on"],
            from_name=data["from_name"],
            proposal=data.get("proposal"),
            household=data.get("household"),
            text=data["text"],
        )
    except services.AwardError as error:
        # Refused now (the posting moved on, a name no longer on the list): the form again, as typed.
        messages.error(request, str(error))
        return _posting_page(request, get_posting(request, pk), status=409, comment_form=form)
    messages.success(request, _("Đã ghi nhận ý kiến. Ghi cách giải quyết trước khi quyết định."))
    return _posting_url(posting)


@require_POST
def posting_response(request, pk: int, comment_pk: int):
    posting = _managed_posting(request, pk)
    comment = get_object_or_404(posting.comments, pk=comment_pk)
    form = CommentResponseForm(request.POST, auto_id=f"id_response_{comment.pk}_%s")
    if not form.is_valid():
        messages.error(request, _("Phải ghi cách giải quyết ý kiến."))
        return _posting_page(request, posting, status=400, response_form=(comment.pk, form))
    try:
        services.record_comment_response(
            comment=comment, user=request.user, response=form.cleaned_data["response"]
        )
    except services.AwardError as error:
        messages.error(request, str(error))
        return _posting_page(request, get_posting(request, pk), status=409, response_form=(comment.pk, form))
    messages.success(request, _("Đã ghi cách giải quyết ý kiến."))
    return _posting_url(posting)
