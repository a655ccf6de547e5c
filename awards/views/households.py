"""The household register and the residential group's review meeting (Gia đình văn hóa, Nghị định
86/2023/NĐ-CP), built for the group leader's phone: one list page per group with the add form on it,
the import from Excel (preview, then all or nothing), the meeting's record and the results as one list
of ticks, never one form per household.

Out of scope (another group's register or meeting, by URL or by posted id) is 404; in scope but
read-only (an official serving the group, leadership, the council) is 403 on every write.
"""

import secrets
import time
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators import excel
from indicators.audit import entries_for
from jobs.models import DocumentJob
from jobs.services import request_document
from phominh.pdf import pdf_filename, pdf_response

from .. import (
    achievements,
    household_decisions,
    household_documents,
    household_import,
    households,
    permissions,
    services,
)
from ..household_documents import minutes_context
from ..household_forms import (
    ConfirmForm,
    DraftNumberForm,
    HouseholdDecisionForm,
    HouseholdForm,
    ReviewForm,
    ReviewPostingForm,
    UploadForm,
    VersionForm,
    posted_ids,
)
from ..models import Decision, Household, HouseholdReview
from ..services import AwardError, ConflictError
from ._helpers import award_plan, require_role

PAGE_SIZE = 100
SESSION_KEY = "household_imports"
PENDING_SECONDS = 3600
PENDING_MAX = 3
ACTION_LABELS = {
    "awards.household_review.created": gettext_lazy("Lập biên bản họp bình xét"),
    "awards.household_review.changed": gettext_lazy("Sửa biên bản họp bình xét"),
    "awards.household_review.results_saved": gettext_lazy("Lưu kết quả bình xét"),
    "awards.household_review.finished": gettext_lazy("Chốt biên bản họp bình xét"),
    "awards.household_review.decision_withdrawn": gettext_lazy("Rút dự thảo quyết định công nhận"),
}


# --- fetch and check --------------------------------------------------------------------------------


def _group(request, code: str):
    """A residential group the user may see; 404 otherwise."""
    require_role(request)
    unit = households.groups_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def _kept_group(request, code: str):
    unit = _group(request, code)
    if not households.can_keep_register(request.user, unit):
        raise PermissionDenied
    return unit


def _household(request, unit, pk: int) -> Household:
    household = Household.objects.for_user(request.user).filter(unit=unit, pk=pk).first()
    if household is None:
        raise Http404
    return household


def _review(request, pk: int) -> HouseholdReview:
    require_role(request)
    review = (
        HouseholdReview.objects.filter(unit__in=households.groups_visible_to(request.user), pk=pk)
        .select_related("plan", "unit", "title")
        .first()
    )
    if review is None:
        raise Http404
    return review


def _kept_review(request, pk: int) -> HouseholdReview:
    review = _review(request, pk)
    if not households.can_keep_register(request.user, review.unit):
        raise PermissionDenied
    return review


def _register_url(unit, **query) -> str:
    url = reverse("awards-households", args=[unit.code])
    return f"{url}?{urlencode(query)}" if query else url


# --- the groups and a group's register --------------------------------------------------------------


def group_list(request):
    """A group leader goes straight to his group; the office and the ward's staff choose one."""
    require_role(request)
    plan = award_plan(request)
    groups = list(households.groups_visible_to(request.user).order_by("order", "name"))
    if len(groups) == 1:
        return redirect("awards-households", code=groups[0].code)
    counts = households.register_counts(groups)
    reviews = {r.unit_id: r for r in HouseholdReview.objects.filter(plan=plan, unit__in=groups)}
    return render(
        request,
        "awards/household_groups.html",
        {
            "plan": plan,
            "rows": [{"unit": g, "count": counts.get(g.pk, 0), "review": reviews.get(g.pk)} for g in groups],
            "total": sum(counts.values()),
        },
    )


def register(request, code: str):
    """GET: the group's households, searchable, a page at a time. POST: add a household."""
    unit = _group(request, code)
    plan = award_plan(request)
    can_keep = households.can_keep_register(request.user, unit)
    form = HouseholdForm()
    status = 200
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        form = HouseholdForm(request.POST)
        if form.is_valid():
            try:
                added = households.add_household(unit=unit, user=request.user, data=form.cleaned_data)
                messages.success(request, _("Đã thêm hộ %(name)s.") % {"name": added.head_name})
                return redirect(_register_url(unit))
            except AwardError as error:
                messages.error(request, str(error))
        status = 400
    query = (request.GET.get("q") or "").strip()[:100]
    show_inactive = request.GET.get("ngung") == "1"
    rows = Household.objects.for_user(request.user).filter(unit=unit, is_active=not show_inactive)
    if query:
        rows = rows.filter(Q(head_name__icontains=query) | Q(address__icontains=query))
    page = Paginator(rows.order_by("head_name", "pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    counts = households.register_counts([unit])
    return render(
        request,
        "awards/household_register.html",
        {
            "plan": plan,
            "unit": unit,
            "page": page,
            "query": query,
            "show_inactive": show_inactive,
            "active_count": counts.get(unit.pk, 0),
            "can_keep": can_keep,
            "form": form,
            "review": HouseholdReview.objects.filter(plan=plan, unit=unit).first(),
            "page_query": urlencode(
                {k: v for k, v in {"q": query, "ngung": "1" if show_inactive else ""}.items() if v}
            ),
        },
        status=status,
    )


def household_edit(request, code: str, pk: int):
    unit = _group(request, code)
    household = _household(request, unit, pk)
    if not households.can_keep_register(request.user, unit):
        raise PermissionDenied
    form = HouseholdForm(
        request.POST or None,
        initial={
            "head_name": household.head_name,
            "address": household.address,
            "members": household.members,
            "note": household.note,
            "version": household.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            households.update_household(
                household=household,
                user=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"] or 0,
            )
            messages.success(request, _("Đã lưu hộ %(name)s.") % {"name": form.cleaned_data["head_name"]})
            return redirect(_register_url(unit))
        except AwardError as error:
            messages.error(request, str(error))
    return render(
        request,
        "awards/household_form.html",
        {"unit": unit, "household": household, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def household_active(request, code: str, pk: int):
    """Deactivate a household that moved away (or bring it back)."""
    unit = _group(request, code)
    household = _household(request, unit, pk)
    if not households.can_keep_register(request.user, unit):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trang đã cũ: hãy tải lại trang rồi thao tác lại."))
        return redirect(_register_url(unit))
    active = request.POST.get("active") == "1"
    try:
        households.set_household_active(
            household=household, user=request.user, active=active, version=form.cleaned_data["version"]
        )
        if active:
            messages.success(request, _("Hộ %(name)s cư trú trở lại.") % {"name": household.head_name})
        else:
            messages.success(
                request,
                _("Đã chuyển hộ %(name)s sang “không còn cư trú”; kết quả các năm trước vẫn giữ.")
                % {"name": household.head_name},
            )
    except AwardError as error:
        messages.error(request, str(error))
    return redirect(_register_url(unit))


# --- the import from Excel --------------------------------------------------------------------------


def template_download(request, code: str):
    """The register as an Excel file to fill in or correct, with the group's households in it."""
    unit = _group(request, code)
    rows = list(
        Household.objects.for_user(request.user).filter(unit=unit, is_active=True).order_by("head_name", "pk")
    )
    workbook = household_import.template_workbook(unit, rows)
    response = HttpResponse(excel.to_bytes(workbook), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{household_import.template_file_name(unit)}"'
    response["Cache-Control"] = "no-store"
    return response


def _store_pending(request, pending: dict) -> str:
    now = time.time()
    stored = {
        token: item
        for token, item in request.session.get(SESSION_KEY, {}).items()
        if now - item["at"] < PENDING_SECONDS
    }
    for token in sorted(stored, key=lambda t: stored[t]["at"])[: max(0, len(stored) - PENDING_MAX + 1)]:
        del stored[token]
    token = secrets.token_urlsafe(24)
    stored[token] = pending | {"at": now}
    request.session[SESSION_KEY] = stored
    return token


def _take_pending(request, token: str, unit) -> dict | None:
    """The preview's rows for this user and group, removed so that a second click saves nothing."""
    stored = request.session.get(SESSION_KEY, {})
    pending = stored.pop(token, None)
    request.session[SESSION_KEY] = stored
    if (
        pending is None
        or time.time() - pending["at"] >= PENDING_SECONDS
        or pending["unit"] != unit.pk
        or pending["user"] != request.user.pk
    ):
        return None
    return pending


def import_upload(request, code: str):
    """GET: the upload form and the template. POST: check the file, show every row with its problems."""
    unit = _kept_group(request, code)
    context = {"unit": unit, "max_mb": excel.upload_limit_text()}
    if request.method != "POST":
        return render(request, "awards/household_import.html", context | {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "awards/household_import.html", context | {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    file_name = PurePath(upload.name).name[:200]
    try:
        workbook = excel.open_workbook(excel.check_upload(upload))
    except excel.UploadRefused as refusal:
        form.add_error("file", str(refusal))
        return render(request, "awards/household_import.html", context | {"form": form}, status=400)
    preview = household_import.read_upload(workbook=workbook, file_name=file_name, unit=unit)
    confirm = None
    if preview.ok:
        confirm = ConfirmForm(initial={"token": _store_pending(request, preview.pending(user=request.user))})
    shown = [r for r in preview.rows if r.errors] + [
        r for r in preview.rows if not r.errors and r.action != "same"
    ]
    return render(
        request,
        "awards/household_import_preview.html",
        context
        | {
            "preview": preview,
            "rows": shown[:1000],
            "hidden_rows": max(0, len(shown) - 1000),
            "confirm_form": confirm,
            "counts": {action: preview.count(action) for action in ("new", "update", "reactivate", "same")}
            | {"changing": sum(1 for r in preview.rows if r.action != "same")},
            "form": UploadForm(),
        },
        status=200 if preview.ok else 400,
    )


@require_POST
def import_confirm(request, code: str):
    unit = _kept_group(request, code)
    form = ConfirmForm(request.POST)
    pending = _take_pending(request, form.data.get("token", ""), unit) if form.is_valid() else None
    if pending is None:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc đã được lưu. Hãy tải tệp lên lại."))
        return redirect("awards-household-import", code=unit.code)
    try:
        added, updated = household_import.save_import(pending=pending, user=request.user)
    except AwardError as error:
        messages.error(request, str(error))
        return redirect("awards-household-import", code=unit.code)
    messages.success(
        request,
        _("Đã nhập sổ hộ từ tệp %(file)s: thêm %(added)s hộ, cập nhật %(updated)s hộ.")
        % {"file": pending["file"], "added": added, "updated": updated},
    )
    return redirect(_register_url(unit))


# --- the review meeting -----------------------------------------------------------------------------


def _review_form_initial(review: HouseholdReview) -> dict:
    return {name: getattr(review, name) for name in households.REVIEW_FIELDS} | {"version": review.version}


def review_create(request, code: str):
    unit = _kept_group(request, code)
    plan = award_plan(request)
    existing = HouseholdReview.objects.filter(plan=plan, unit=unit).first()
    if existing:
        return redirect("awards-household-review", pk=existing.pk)
    leader = (
        request.user.get_full_name()
        if households.role_of(request.user) == households.Role.GROUP_LEADER
        else ""
    )
    form = ReviewForm(
        request.POST or None,
        initial={
            "held_on": timezone.localdate() if timezone.localdate().year == plan.year else None,
            "chaired_by": leader,
            "place": _("Nhà văn hóa %(unit)s") % {"unit": unit.name},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = households.create_review(plan=plan, unit=unit, user=request.user, data=form.cleaned_data)
            warning = households.late_warning(review)
            if warning:
                messages.warning(request, warning)
            messages.success(request, _("Đã lập biên bản họp. Ghi kết quả bình xét từng hộ."))
            return redirect("awards-household-results", pk=review.pk)
        except AwardError as error:
            messages.error(request, str(error))
    return render(
        request,
        "awards/household_review_form.html",
        {"unit": unit, "plan": plan, "form": form, "review": None, "decree": _household_decree()},
        status=400 if request.method == "POST" else 200,
    )


def review_detail(request, pk: int):
    """The meeting's record: GET shows it (and its form while a draft); POST saves the form."""
    review = _review(request, pk)
    can_keep = households.can_keep_register(request.user, review.unit)
    form = None
    if not review.is_finished and can_keep:
        form = ReviewForm(request.POST or None, initial=_review_form_initial(review))
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        if form is None:
            messages.error(request, _("Biên bản họp bình xét đã chốt: không sửa được nữa."))
            return redirect("awards-household-review", pk=review.pk)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                review = households.update_review(
                    review=review, user=request.user, data=data, version=form.cleaned_data["version"] or 0
                )
                messages.success(request, _("Đã lưu biên bản họp."))
                return redirect("awards-household-review", pk=review.pk)
            except AwardError as error:
                messages.error(request, str(error))
    summary = households.review_summary(review)
    postings = list(review.postings.order_by("-posted_on"))
    return render(
        request,
        "awards/household_review.html",
        {
            "review": review,
            "unit": review.unit,
            "plan": review.plan,
            "form": form,
            "can_keep": can_keep,
            "summary": summary,
            "warning": households.late_warning(review),
            "blockers": households.finish_blockers(review) if not review.is_finished else [],
            "finish_form": VersionForm(initial={"version": review.version}),
            "postings": postings,
            "posting_form": ReviewPostingForm(
                initial={"posted_on": timezone.localdate(), "days": 10, "place": review.place}
            )
            if review.is_finished and permissions.can_manage_postings(request.user) and not postings
            else None,
            "history": [
                {"entry": e, "label": ACTION_LABELS.get(e.action, e.action)}
                for e in entries_for(review).order_by("at", "pk")
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def _results_rows(review, page, assessments, posted=None):
    """Each household of the page with the tick and the reason to show: what was posted (after a
    conflict, so that nothing typed is lost), else what is saved, else đạt."""
    rows = []
    for household in page:
        saved = assessments.get(household.pk)
        if posted is not None:
            qualified = household.pk in posted["qualified"]
            reason = posted["reasons"].get(household.pk, "")
        elif saved is not None:
            qualified, reason = saved.qualified, saved.reason
        else:
            qualified, reason = True, ""
        rows.append({"household": household, "qualified": qualified, "reason": reason, "saved": saved})
    return rows


def results(request, pk: int):
    """The results as one list: a tick per household (ticked = đạt), a reason for the unticked ones;
    a page of PAGE_SIZE households at a time, searchable; "tất cả đạt trừ …" marks every household
    not yet assessed, on every page, as đạt."""
    review = _review(request, pk)
    can_keep = households.can_keep_register(request.user, review.unit) and not review.is_finished
    posted = None
    version = review.version
    status = 200
    if request.method == "POST":
        if not households.can_keep_register(request.user, review.unit):
            raise PermissionDenied
        shown = posted_ids(request.POST.getlist("hien"))
        qualified = set(posted_ids(request.POST.getlist("dat"))) & set(shown)
        reasons = {pk: request.POST.get(f"ly_do_{pk}", "")[:300] for pk in shown}
        form = VersionForm(request.POST)
        try:
            if not form.is_valid():
                raise ConflictError(_("Trang đã cũ: hãy tải lại trang."))
            result = households.save_results(
                review=review,
                user=request.user,
                shown=shown,
                qualified=qualified,
                reasons=reasons,
                version=form.cleaned_data["version"],
                rest_qualify=request.POST.get("action") == "rest",
            )
            text = _("Đã lưu kết quả %(n)s hộ.") % {"n": result.saved}
            if result.filled:
                text += " " + _("%(n)s hộ còn lại chưa bình xét được ghi là đạt.") % {"n": result.filled}
            messages.success(request, text)
            return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
        except ConflictError as error:
            messages.error(request, str(error))
            posted = {"qualified": qualified, "reasons": reasons}
            review.refresh_from_db()
            version = review.version
            status = 409
        except AwardError as error:
            messages.error(request, str(error))
            posted = {"qualified": qualified, "reasons": reasons}
            status = 400
    query = (request.GET.get("q") or "").strip()[:100]
    which = request.GET.get("loc", "")
    rows = households.review_households(review)
    if query:
        rows = rows.filter(Q(head_name__icontains=query) | Q(address__icontains=query))
    if which == "khong-dat":
        rows = rows.filter(assessments__review=review, assessments__qualified=False)
    elif which == "chua":
        rows = rows.exclude(assessments__review=review)
    page = Paginator(rows.order_by("head_name", "pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    assessments = {a.household_id: a for a in review.assessments.filter(household__in=list(page.object_list))}
    return render(
        request,
        "awards/household_results.html",
        {
            "review": review,
            "unit": review.unit,
            "page": page,
            "rows": _results_rows(review, page, assessments, posted),
            "query": query,
            "which": which,
            "version": version,
            "can_keep": can_keep,
            "summary": households.review_summary(review),
            "filter_query": urlencode({k: v for k, v in {"q": query, "loc": which}.items() if v}),
        },
        status=status,
    )


@require_POST
def review_finish(request, pk: int):
    review = _kept_review(request, pk)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ConflictError(_("Trang đã cũ: hãy tải lại trang."))
        households.finish_review(review=review, user=request.user, version=form.cleaned_data["version"])
        messages.success(
            request, _("Đã chốt biên bản. Văn phòng - Thống kê niêm yết danh sách hộ đạt tại tổ 10 ngày.")
        )
    except AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-household-review", pk=review.pk)


@require_POST
def review_post(request, pk: int):
    """The office posts the group's list of qualifying households (the public posting, 10 days)."""
    review = _review(request, pk)
    if not permissions.can_manage_postings(request.user):
        raise PermissionDenied
    form = ReviewPostingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi ngày niêm yết và số ngày công khai hợp lệ."))
        return redirect("awards-household-review", pk=review.pk)
    try:
        posting = households.post_review(review=review, user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã ghi nhận đợt công khai. In thông báo để niêm yết và đóng dấu."))
        return redirect("awards-posting", pk=posting.pk)
    except AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-household-review", pk=review.pk)


def minutes_pdf(request, pk: int):
    review = _review(request, pk)
    return pdf_response(
        template="pdf/household_minutes.html",
        context=minutes_context(review),
        filename=pdf_filename(
            "bien-ban-binh-xet", review.title.code, review.unit.code, str(review.plan.year)
        ),
        request=request,
    )


# --- the chairman's decision on the groups' lists ---------------------------------------------------


def _can_see_decisions(user) -> bool:
    return permissions.can_decide(user) or permissions.can_draft_decisions(user)


def decisions(request):
    """The office drafts the decision for the groups whose lists are posted; the drafts and the signed."""
    require_role(request)
    if not _can_see_decisions(request.user):
        raise PermissionDenied
    plan = award_plan(request)
    reviews = list(household_decisions.decidable_reviews(plan))
    form = HouseholdDecisionForm(request.POST or None, reviews=reviews)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = [r for r in reviews if str(r.pk) in form.cleaned_data["reviews"]]
            try:
                decision = household_decisions.draft_household_decision(
                    plan=plan,
                    user=request.user,
                    reviews=chosen,
                    number=form.cleaned_data["number"],
                    signed_on=form.cleaned_data["signed_on"],
                )
                messages.success(
                    request, _("Đã lập dự thảo quyết định. Chủ tịch UBND phường ký khi đủ điều kiện.")
                )
                return redirect("awards-household-decision", pk=decision.pk)
            except AwardError as error:
                messages.error(request, str(error))
        status = 400
    drafted = (
        Decision.objects.filter(plan=plan, household_reviews__isnull=False)
        .distinct()
        .annotate(groups=Count("household_reviews", distinct=True))
        .order_by("-pk")
    )
    return render(
        request,
        "awards/household_decisions.html",
        {
            "plan": plan,
            "reviews": reviews,
            "form": form,
            "decisions": list(drafted),
            "decree": _household_decree(),
        },
        status=status,
    )


def _household_decree() -> str:
    """The decree the pages' help texts cite for the household title, from the law data in force today."""
    title = households.household_title()
    return achievements.title_decree(title=title, on=timezone.localdate()) if title else ""


def _household_decision(request, pk: int) -> Decision:
    require_role(request)
    if not _can_see_decisions(request.user):
        raise PermissionDenied
    decision = (
        Decision.objects.filter(pk=pk, household_reviews__isnull=False)
        .distinct()
        .select_related("plan")
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def decision_detail(request, pk: int):
    decision = _household_decision(request, pk)
    groups = [
        {"review": r, "count": r.qualified}
        for r in decision.household_reviews.select_related("unit")
        .annotate(qualified=Count("assessments", filter=Q(assessments__qualified=True), distinct=True))
        .order_by("unit__order", "unit__name")
    ]
    on = min(decision.signed_on or timezone.localdate(), timezone.localdate())
    return render(
        request,
        "awards/household_decision.html",
        {
            "decision": decision,
            "plan": decision.plan,
            "groups": groups,
            "total": sum(g["count"] for g in groups),
            "blockers": [] if decision.is_signed else household_decisions.decision_blockers(decision, on=on),
            "can_sign": permissions.can_decide(request.user) and not decision.is_signed,
            "can_withdraw": permissions.can_draft_decisions(request.user) and not decision.is_signed,
            "version": decision.version,
            "draft_form": None
            if decision.is_signed
            else DraftNumberForm(
                initial={
                    "number": decision.number,
                    "signed_on": decision.signed_on,
                    "version": decision.version,
                }
            ),
        },
    )


@require_POST
def decision_sign(request, pk: int):
    decision = _household_decision(request, pk)
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ConflictError(_("Trang đã cũ: hãy tải lại trang."))
        services.sign_decision(decision=decision, user=request.user, version=form.cleaned_data["version"])
        messages.success(request, _("Đã ký quyết định; các hộ gia đình đã vào sổ khen thưởng."))
    except AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-household-decision", pk=decision.pk)


def decision_pdf(request, pk: int):
    """The decision and its annex: at once for a short annex, else built by the document worker."""
    decision = _household_decision(request, pk)
    count = Household.objects.filter(
        assessments__review__decision=decision, assessments__qualified=True
    ).count()
    if count > household_documents.SYNCHRONOUS_ANNEX:
        job = request_document(
            user=request.user,
            kind=DocumentJob.Kind.HOUSEHOLD_DECISION,
            label=_("Quyết định công nhận Gia đình văn hóa %(number)s (%(n)s hộ)")
            % {"number": decision.number or _("dự thảo"), "n": count},
            parameters={"decision": decision.pk},
        )
        return redirect("job", job.pk)
    response = HttpResponse(household_documents.decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=household_documents.decision_filename(decision)
    )
    return response


@require_POST
def decision_withdraw(request, pk: int):
    """The office withdraws a draft decision: its groups may go into another one."""
    decision = _household_decision(request, pk)
    if not permissions.can_draft_decisions(request.user):
        raise PermissionDenied
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ConflictError(_("Trang đã cũ: hãy tải lại trang."))
        reviews = household_decisions.withdraw_household_decision(
            decision=decision, user=request.user, version=form.cleaned_data["version"]
        )
    except AwardError as error:
        messages.error(request, str(error))
        return redirect("awards-household-decision", pk=decision.pk)
    messages.success(
        request,
        _("Đã rút dự thảo quyết định; %(n)s tổ dân phố có thể đưa vào quyết định khác.")
        % {"n": len(reviews)},
    )
    return redirect("awards-household-decisions")


@require_POST
def decision_edit(request, pk: int):
    """The number and date of a draft, corrected before signing (services.update_draft)."""
    decision = _household_decision(request, pk)
    form = DraftNumberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Số, ngày ký không hợp lệ."))
        return redirect("awards-household-decision", pk=decision.pk)
    try:
        services.update_draft(
            decision=decision,
            user=request.user,
            version=form.cleaned_data["version"],
            number=form.cleaned_data["number"],
            signed_on=form.cleaned_data["signed_on"],
        )
        messages.success(request, _("Đã lưu số, ngày ký của dự thảo."))
    except AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-household-decision", pk=decision.pk)
