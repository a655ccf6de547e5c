"""The home page's list of what each person has to do, with its deadline and the page where it is done.

A reader of every app (like the API): it asks the reporting selectors which quarters the user's units
still owe, and reads pledges, proposals, postings, council ballots, decisions and household reviews
with one or two queries each, scoped as the pages they link to are scoped. Nothing here decides a rule
of its own: who may check, vote or sign comes from each app's permissions.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators import permissions
from indicators import selectors as reporting
from indicators.models import Profile, Report, ReportingPeriod, Unit

from .models import Plan, Pledge
from .permissions import pledge_is_open
from .selectors import choose_current

Role = Profile.Role


@dataclass
class Task:
    """One thing to do: what, for whom or what, by when, and where."""

    kind: str
    title: str
    url: str
    detail: str = ""
    deadline: date | None = None
    late: bool = False
    urgent: bool = False


def tasks_for(user, *, today: date) -> list[Task]:
    """Everything the user has to do now, most urgent first, then by deadline."""
    role = permissions.role_of(user)
    if role is None:
        return []
    plans = list(Plan.objects.select_related("pledge_window"))
    plan = choose_current(plans, today=today)
    tasks: list[Task] = []
    if role in permissions.ENTERING_ROLES:
        tasks += _report_tasks(user, today)
        if plan:
            tasks += _pledge_tasks(user, plan, today)
            tasks += _returned_proposals(user, plan)
        if role == Role.GROUP_LEADER and plan:
            tasks += _household_reviews(user, plan, today)
    if permissions.reviews_reports(user) and plan:
        tasks += _reviews(user, plan)
    if role == Role.OFFICE and plan:
        tasks += _office_tasks(user, plan)
    tasks += _ballots(user)
    if role == Role.LEADERSHIP:
        tasks += _decisions_to_sign()
    far = date.max
    tasks.sort(key=lambda t: (not t.urgent, t.deadline or far))
    return tasks


def _report_tasks(user, today: date) -> list[Task]:
    tasks = []
    for item in reporting.report_tasks(user=user, today=today):
        cell, unit = item.cell, item.unit
        url = reverse("report-entry", args=[cell.period.plan.year, cell.period.quarter, unit.code])
        status = cell.report.get_status_display() if cell.report else _("Chưa nhập")
        if cell.kind == reporting.ENTER:
            title = _("Nhập số liệu %(p)s — %(u)s") % {"p": cell.period, "u": unit.name}
            detail = status
        elif cell.kind == reporting.FIX:
            title = _("Sửa báo cáo bị trả lại: %(p)s — %(u)s") % {"p": cell.period, "u": unit.name}
            detail = _("Lý do: %(r)s") % {"r": cell.report.return_reason}
        else:
            title = _("Báo cáo bị trả lại, đã hết hạn: %(p)s — %(u)s") % {"p": cell.period, "u": unit.name}
            detail = _("Lý do: %(r)s. Muốn sửa, đề nghị Văn phòng - Thống kê mở lại.") % {
                "r": cell.report.return_reason
            }
        deadline = cell.report.reopened_until if cell.report and cell.report.reopened_until else None
        tasks.append(
            Task(
                kind="report",
                title=title,
                url=url,
                detail=detail,
                deadline=None
                if cell.kind == reporting.FIX_CLOSED
                else deadline or cell.period.effective_deadline,
                urgent=cell.kind == reporting.FIX,
            )
        )
    return tasks


def _pledge_tasks(user, plan: Plan, today: date) -> list[Task]:
    units = list(permissions.units_for_entry(user).exclude(kind=Unit.Kind.WARD).order_by("order"))
    if not units:
        return []
    pledges = {p.unit_id: p for p in Pledge.objects.filter(plan=plan, unit__in=units)}
    window = getattr(plan, "pledge_window", None)
    tasks = []
    for unit in units:
        pledge = pledges.get(unit.pk)
        if pledge is not None and pledge.status not in (Pledge.Status.DRAFT, Pledge.Status.RETURNED):
            continue
        is_open = pledge_is_open(pledge, today) if pledge else bool(window and window.is_open_on(today))
        if not is_open:
            continue
        returned = pledge is not None and pledge.status == Pledge.Status.RETURNED
        tasks.append(
            Task(
                kind="pledge",
                title=(
                    _("Sửa bản đăng ký thi đua bị trả lại — %(u)s")
                    if returned
                    else _("Đăng ký thi đua năm %(y)s — %(u)s")
                )
                % {"u": unit.name, "y": plan.year},
                url=reverse("pledge-detail", args=[plan.year, unit.code]),
                detail=_("Lý do: %(r)s") % {"r": pledge.return_reason}
                if returned
                else (pledge.get_status_display() if pledge else _("Chưa đăng ký")),
                deadline=(pledge.reopened_until if pledge and pledge.reopened_until else None)
                or (window.closes_on if window else None),
                urgent=returned,
            )
        )
    return tasks


def _returned_proposals(user, plan: Plan) -> list[Task]:
    from awards.models import Proposal

    rows = Proposal.objects.filter(
        plan=plan, unit_id__in=permissions.own_unit_ids(user), status=Proposal.Status.RETURNED
    ).select_related("title", "unit")
    return [
        Task(
            kind="proposal",
            title=_("Sửa đề nghị bị trả lại: %(t)s — %(n)s") % {"t": p.title.name, "n": p.nominee},
            url=reverse("awards-proposal", args=[p.pk]),
            detail=_("Lý do: %(r)s") % {"r": p.return_reason},
            urgent=True,
        )
        for p in rows
    ]


def _household_reviews(user, plan: Plan, today: date) -> list[Task]:
    """The group's Gia đình văn hóa review meeting, held by 25/11: to hold, or its results to record."""
    from awards.models import HouseholdReview

    groups = list(
        Unit.objects.filter(
            pk__in=permissions.own_unit_ids(user), kind=Unit.Kind.RESIDENTIAL_GROUP, is_active=True
        )
    )
    if not groups:
        return []
    reviews = {r.unit_id: r for r in HouseholdReview.objects.filter(plan=plan, unit__in=groups)}
    deadline = date(plan.year, 11, 25)
    tasks = []
    for group in groups:
        review = reviews.get(group.pk)
        if review is not None and review.is_finished:
            continue
        if review is None:
            if today.year != plan.year:
                continue
            tasks.append(
                Task(
                    kind="household_review",
                    title=_("Họp bình xét Gia đình văn hóa năm %(y)s — %(u)s")
                    % {"y": plan.year, "u": group.name},
                    url=reverse("awards-household-review-create", args=[group.code]),
                    detail=_("Lập biên bản cuộc họp và ghi kết quả từng hộ."),
                    deadline=deadline,
                )
            )
        else:
            tasks.append(
                Task(
                    kind="household_review",
                    title=_("Ghi kết quả bình xét và chốt biên bản — %(u)s") % {"u": group.name},
                    url=reverse("awards-household-results", args=[review.pk]),
                    detail=_("Cuộc họp ngày %(d)s chưa chốt biên bản.")
                    % {"d": review.held_on.strftime("%d/%m/%Y")},
                    deadline=deadline if today <= deadline else None,
                )
            )
    return tasks


def _reviews(user, plan: Plan) -> list[Task]:
    queue = reporting.review_queue(user=user, plan=plan)
    if not queue:
        return []
    oldest = min(queue, key=lambda e: e.report.submitted_at or e.report.updated_at)
    flagged = sum(1 for e in queue if e.warning)
    detail = _("Lâu nhất: %(u)s, %(w)s.") % {"u": oldest.report.unit.name, "w": oldest.waited}
    if flagged:
        detail += " " + ngettext(
            "%(n)s báo cáo có số liệu bất thường (⚠).", "%(n)s báo cáo có số liệu bất thường (⚠).", flagged
        ) % {"n": flagged}
    return [
        Task(
            kind="review",
            title=ngettext("%(n)s báo cáo quý chờ bạn duyệt", "%(n)s báo cáo quý chờ bạn duyệt", len(queue))
            % {"n": len(queue)},
            url=reverse("report-list") + f"?year={plan.year}#queue",
            detail=detail,
            urgent=bool(flagged),
        )
    ]


def _office_tasks(user, plan: Plan) -> list[Task]:
    from awards.models import Posting, Proposal

    tasks = []
    waiting = (
        Proposal.objects.filter(plan=plan, status=Proposal.Status.SUBMITTED)
        .exclude(submitted_by=user)
        .aggregate(n=Count("pk"), since=Min("submitted_at"))
    )
    if waiting["n"]:
        tasks.append(
            Task(
                kind="proposal_check",
                title=ngettext(
                    "%(n)s đề nghị khen thưởng chờ Văn phòng kiểm tra",
                    "%(n)s đề nghị khen thưởng chờ Văn phòng kiểm tra",
                    waiting["n"],
                )
                % {"n": waiting["n"]},
                url=reverse("awards-index")
                + "?"
                + urlencode({"year": plan.year, "status": Proposal.Status.SUBMITTED}),
                detail=_("Gửi sớm nhất: %(w)s.") % {"w": reporting.waited(waiting["since"])}
                if waiting["since"]
                else "",
            )
        )
    pledges = Pledge.objects.filter(plan=plan, status=Pledge.Status.SUBMITTED).count()
    if pledges:
        tasks.append(
            Task(
                kind="pledge_acknowledge",
                title=ngettext(
                    "%(n)s bản đăng ký thi đua chờ tiếp nhận",
                    "%(n)s bản đăng ký thi đua chờ tiếp nhận",
                    pledges,
                )
                % {"n": pledges},
                url=reverse("pledge-list"),
            )
        )
    postings = (
        Posting.objects.filter(plan=plan)
        .annotate(open_count=Count("comments", filter=Q(comments__response="")))
        .filter(open_count__gt=0)
        .select_related("title", "unit")
    )
    for posting in postings:
        tasks.append(
            Task(
                kind="posting",
                title=ngettext(
                    "%(n)s ý kiến chưa giải quyết: %(p)s",
                    "%(n)s ý kiến chưa giải quyết: %(p)s",
                    posting.open_count,
                )
                % {"n": posting.open_count, "p": posting},
                url=reverse("awards-posting", args=[posting.pk]),
                detail=_("Chưa giải quyết hết ý kiến thì chưa quyết định được các trường hợp đã niêm yết."),
                deadline=posting.ends_on,
            )
        )
    return tasks


def _ballots(user) -> list[Task]:
    """Open sessions of the user's council in which he has not handed in his ballot."""
    from awards import permissions as award_permissions
    from awards.models import SessionMember

    member = award_permissions.council_membership(user)
    if member is None:
        return []
    rows = (
        SessionMember.objects.filter(
            member=member, session__status="open", session__council_id=member.council_id, casts__isnull=True
        )
        .select_related("session")
        .distinct()
    )
    return [
        Task(
            kind="ballot",
            title=_("Bỏ phiếu: %(s)s") % {"s": row.session.name},
            url=reverse("awards-session", args=[row.session.pk]),
            detail=_("Phiên họp đang biểu quyết; mỗi thành viên bỏ phiếu một lần.")
            if row.present
            else _("Bạn vắng mặt: có thể gửi ý kiến bằng văn bản trước khi kết thúc phiên họp."),
            deadline=row.session.held_on,
            urgent=True,
        )
        for row in rows
    ]


def _decisions_to_sign() -> list[Task]:
    from awards.models import Decision

    drafts = (
        Decision.objects.filter(status=Decision.Status.DRAFT)
        .exclude(kind=Decision.Kind.HIGHER)
        .annotate(groups=Count("household_reviews"))
        .order_by("signed_on", "pk")
    )
    tasks = []
    for decision in drafts:
        household = decision.groups > 0
        tasks.append(
            Task(
                kind="decision",
                title=_("Ký %(kind)s số %(n)s")
                % {"kind": decision.get_kind_display().lower(), "n": decision.number or "…"},
                url=reverse(
                    "awards-household-decision" if household else "awards-decision", args=[decision.pk]
                ),
                detail=decision.subject
                or (
                    _("Công nhận Gia đình văn hóa")
                    if household
                    else _("Dự thảo do Văn phòng - Thống kê lập.")
                ),
                deadline=decision.signed_on,
            )
        )
    return tasks


def empty_reasons(user, *, today: date) -> list[str]:
    """Why the list is empty, so that an empty home still says where things stand."""
    role = permissions.role_of(user)
    reasons = []
    if role in permissions.ENTERING_ROLES:
        upcoming = (
            ReportingPeriod.objects.filter(opens_on__gt=today)
            .select_related("plan")
            .order_by("opens_on")
            .first()
        )
        if upcoming:
            reasons.append(
                _("%(p)s mở nhập số liệu từ %(d)s.")
                % {"p": upcoming, "d": upcoming.opens_on.strftime("%d/%m/%Y")}
            )
        else:
            reasons.append(_("Không có quý nào đang mở nhập số liệu cho đơn vị của bạn."))
        if Report.objects.filter(
            unit_id__in=permissions.own_unit_ids(user), status=Report.Status.SUBMITTED
        ).exists():
            reasons.append(_("Các báo cáo đã gửi đang chờ duyệt."))
    if permissions.reviews_reports(user):
        reasons.append(_("Không có báo cáo quý nào chờ bạn duyệt."))
    if role == Role.OFFICE:
        reasons.append(_("Không có đề nghị, bản đăng ký hay ý kiến công khai nào đang chờ Văn phòng."))
    if role == Role.LEADERSHIP:
        reasons.append(_("Không có quyết định, tờ trình nào chờ ký."))
    from awards import permissions as award_permissions

    if award_permissions.is_council(user):
        reasons.append(_("Chưa có phiên họp Hội đồng nào đang biểu quyết."))
    return reasons
