"""Pledges (đăng ký thi đua) and covenants (giao ước thi đua): registration, follow-up, fulfilment."""

from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import permissions as ind_permissions
from indicators.audit import ACTION_LABELS, entries_for
from indicators.forms import ReasonForm, ReopenForm
from indicators.models import Unit
from indicators.rollup import Status
from phominh.pdf import pdf_response

from . import permissions, services
from .forms import CovenantForm, PledgeForm
from .fulfilment import covenant_fulfilment, judge_commitments, latest_quarter, pledge_fulfilment
from .identity import issuer_for, place_for, ward_text
from .models import Covenant, Plan, Pledge


def _plan(year: int | None = None) -> Plan:
    plans = Plan.objects.select_related("pledge_window")
    plan = plans.filter(year=year).first() if year else plans.first()
    if plan is None:
        raise Http404
    return plan


def _pledge_url(plan, unit) -> str:
    return reverse("pledge-detail", args=[plan.year, unit.code])


def pledge_list(request):
    """My units' pledges; for the office and the leadership, who has registered and how it stands."""
    if not ind_permissions.has_role(request.user):
        raise PermissionDenied
    plan = _plan()
    mine = list(ind_permissions.units_for_entry(request.user).order_by("order"))
    pledges = {
        p.unit_id: p for p in Pledge.objects.filter(plan=plan).select_related("collective_title", "unit")
    }
    context = {
        "plan": plan,
        "window": getattr(plan, "pledge_window", None),
        "mine": [{"unit": u, "pledge": pledges.get(u.pk)} for u in mine],
        "can_follow": permissions.can_follow_pledges(request.user),
        "can_manage": permissions.can_manage_pledges(request.user),
        # For the empty page of whoever neither registers nor follows: where the year stands.
        "registered": sum(1 for p in pledges.values() if p.status != Pledge.Status.DRAFT),
    }
    if context["can_follow"]:
        units = list(Unit.objects.exclude(kind=Unit.Kind.WARD).order_by("order"))
        registered = [p for p in pledges.values() if p.status != Pledge.Status.DRAFT]
        context["overview"] = [{"unit": u, "pledge": pledges.get(u.pk)} for u in units]
        context["not_registered"] = [u for u in units if u.pk not in {p.unit_id for p in registered}]
        # Lists of pairs, not Counters: a template looks "items" up as a key first.
        context["by_title"] = sorted(
            Counter(str(p.collective_title) for p in registered if p.collective_title_id).items()
        )
        context["people_by_title"] = sorted(
            Counter(
                str(person.title)
                for p in Pledge.objects.filter(plan=plan)
                .exclude(status=Pledge.Status.DRAFT)
                .prefetch_related("people__title")
                for person in p.people.all()
            ).items()
        )
        context["households"] = sum(p.household_count or 0 for p in registered)
        context["on_track"] = _commitments_on_track(
            plan, [p for p in registered if p.status == Pledge.Status.ACKNOWLEDGED]
        )
    return render(request, "campaigns/pledge_list.html", context)


def _commitments_on_track(plan, pledges) -> dict:
    """Share of figure commitments kept or on track, over every acknowledged pledge (one roll-up per unit)."""
    from indicators.rollup import rollup

    counts = Counter()
    quarter = latest_quarter(plan)
    for pledge in pledges:
        commitments = [c for c in pledge.commitments.select_related("target") if c.target_id]
        if not commitments:
            continue
        results = {
            r.target.pk: r for r in rollup(plan=plan, up_to_quarter=quarter, unit_ids=[pledge.unit_id])
        }
        for result in judge_commitments(commitments, results, quarter):
            counts[result.status] += 1
    total = sum(counts.values())
    good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
    return {
        "total": total,
        "good": good,
        "share": (good * 100 / total) if total else None,
        "quarter": quarter,
    }


def _pledge_context(request, year, unit_code):
    if not ind_permissions.has_role(request.user):
        raise PermissionDenied
    plan = _plan(year)
    unit = Unit.objects.filter(code=unit_code).exclude(kind=Unit.Kind.WARD).first()
    if unit is None or not permissions.can_view_pledge(request.user, unit):
        raise Http404
    return plan, unit, _latest_pledge(plan, unit)


def _not_saved(reason: str) -> str:
    return _("Bản đăng ký CHƯA được lưu. %(reason)s Nội dung bạn vừa nhập vẫn còn trong các ô bên dưới.") % {
        "reason": reason
    }


def _pledge_page(
    request,
    plan,
    unit,
    pledge,
    *,
    form: PledgeForm | None = None,
    reason_form: ReasonForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
):
    """The pledge page. A refused post passes its bound form back, so that what the leader typed stays in
    its boxes under the reason (issue 14): the window closing while he typed loses nothing."""
    today = timezone.localdate()
    can_edit = permissions.can_edit_pledge(request.user, pledge, today=today)
    form = form or PledgeForm(initial={"version": pledge.version}, plan=plan, unit=unit, pledge=pledge)
    fulfilment = pledge_fulfilment(pledge=pledge) if pledge.pk else []
    context = {
        "plan": plan,
        "unit": unit,
        "pledge": pledge,
        "form": form,
        "rows": form.commitment_rows(),
        "can_edit": can_edit,
        # The boxes stay on the page after a refused save, with what was typed.
        "show_inputs": can_edit or form.is_bound,
        "edit_refusal": None if can_edit else services.edit_refusal(pledge, today),
        "can_manage": permissions.can_manage_pledges(request.user),
        "fulfilment": fulfilment,
        "quarter": latest_quarter(plan),
        "people": list(pledge.people.select_related("title")) if pledge.pk else [],
        "texts": [c for c in pledge.commitments.all() if not c.target_id] if pledge.pk else [],
        "reason_form": reason_form or ReasonForm(),
        "reopen_form": reopen_form or ReopenForm(initial={"until": today + timedelta(days=7)}),
        "log": [{"entry": e, "label": ACTION_LABELS.get(e.action, e.action)} for e in entries_for(pledge)]
        if pledge.pk
        else [],
    }
    return render(request, "campaigns/pledge_detail.html", context, status=status)


def _latest_pledge(plan, unit) -> Pledge:
    pledge = Pledge.objects.filter(plan=plan, unit=unit).select_related(
        "collective_title", "plan__pledge_window"
    ).first() or Pledge(plan=plan, unit=unit, version=0)
    pledge.plan = plan
    return pledge


def pledge_detail(request, year: int, unit_code: str):
    plan, unit, pledge = _pledge_context(request, year, unit_code)
    if request.method != "POST":
        return _pledge_page(request, plan, unit, pledge)
    today = timezone.localdate()
    if not permissions.can_edit_pledge(request.user, pledge, today=today):
        if not permissions.is_pledge_author(request.user, unit.pk):
            raise PermissionDenied(services.edit_refusal(pledge, today))
        form = PledgeForm(request.POST, plan=plan, unit=unit, pledge=pledge)
        form.is_valid()  # field errors and what was typed, also when the save is refused
        messages.error(request, _not_saved(services.edit_refusal(pledge, today)))
        return _pledge_page(request, plan, unit, pledge, form=form, status=403)
    form = PledgeForm(request.POST, plan=plan, unit=unit, pledge=pledge)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: có ô chưa hợp lệ, xem các ô được đánh dấu đỏ."))
        return _pledge_page(request, plan, unit, pledge, form=form, status=400)
    try:
        pledge = services.save_pledge(
            plan=plan,
            unit=unit,
            user=request.user,
            data=form.data_for_service(),
            version=form.cleaned_data["version"],
            today=today,
        )
    except services.PledgeConflict as error:
        messages.error(request, str(error))
        # The page carries the latest version: saving again is a decision taken with the latest in view.
        pledge = _latest_pledge(plan, unit)
        form.data = form.data.copy()
        form.data["version"] = str(pledge.version)
        return _pledge_page(request, plan, unit, pledge, form=form, status=409)
    except services.PledgeError as error:
        messages.error(request, _not_saved(str(error)))
        return _pledge_page(request, plan, unit, _latest_pledge(plan, unit), form=form, status=403)
    if request.POST.get("action") == "submit":
        try:
            services.submit_pledge(pledge=pledge, user=request.user, today=today)
        except services.PledgeError as error:
            # What was typed is saved as a draft; only the sending waits.
            messages.error(request, str(error))
            return redirect(_pledge_url(plan, unit))
        messages.success(request, _("Đã gửi bản đăng ký thi đua tới Văn phòng."))
    else:
        messages.success(request, _("Đã lưu bản đăng ký."))
    return redirect(_pledge_url(plan, unit))


def _office_step(request, year, unit_code, step, *, reason_form=None, reopen_form=None):
    """One of the office's buttons on the pledge page. A refusal answers the page again with the reason
    above it and the typed reason kept: 400 when the form is incomplete, 409 when the pledge moved on
    (another officer acknowledged it, the leader's state changed) between opening the page and posting."""
    plan, unit, pledge = _pledge_context(request, year, unit_code)
    if not permissions.can_manage_pledges(request.user):
        raise PermissionDenied
    forms = {"reason_form": reason_form, "reopen_form": reopen_form}
    form = reason_form or reopen_form
    if form is not None and not form.is_valid():
        messages.error(
            request,
            _("Phải ghi lý do và ngày mở lại hợp lệ.") if reopen_form else _("Phải ghi lý do trả lại."),
        )
        return _pledge_page(request, plan, unit, pledge, status=400, **forms)
    try:
        step(plan, unit, pledge)
    except services.PledgeError as error:
        message = str(error)
        typed = (form.data.get("reason") or "").strip() if form is not None else ""
        if typed:
            # The box the reason was typed in may be gone from the page answered (nothing to return).
            message += " " + _("Lý do bạn đã ghi (chưa lưu): “%(text)s”.") % {"text": typed}
        messages.error(request, message)
        return _pledge_page(request, plan, unit, _latest_pledge(plan, unit), status=409, **forms)
    return redirect(_pledge_url(plan, unit))


@require_POST
def pledge_acknowledge(request, year: int, unit_code: str):
    def step(plan, unit, pledge):
        if not pledge.pk:
            raise services.PledgeError(_("Đơn vị chưa đăng ký."))
        services.acknowledge_pledge(pledge=pledge, user=request.user)
        messages.success(request, _("Đã tiếp nhận bản đăng ký của %(u)s.") % {"u": unit})

    return _office_step(request, year, unit_code, step)


@require_POST
def pledge_return(request, year: int, unit_code: str):
    form = ReasonForm(request.POST)

    def step(plan, unit, pledge):
        if not pledge.pk:
            raise services.PledgeError(_("Đơn vị chưa đăng ký."))
        services.return_pledge(pledge=pledge, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã trả lại bản đăng ký của %(u)s.") % {"u": unit})

    return _office_step(request, year, unit_code, step, reason_form=form)


@require_POST
def pledge_reopen(request, year: int, unit_code: str):
    form = ReopenForm(request.POST)

    def step(plan, unit, pledge):
        services.reopen_pledge(
            plan=plan,
            unit=unit,
            user=request.user,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
        )
        messages.success(request, _("Đã mở lại bản đăng ký của %(u)s.") % {"u": unit})

    return _office_step(request, year, unit_code, step, reopen_form=form)


@require_POST
def pledge_remind(request):
    """E-mail the people of units that have not registered yet (office)."""
    from django.conf import settings
    from django.core.mail import send_mass_mail
    from django.db import transaction

    from indicators.audit import log_action
    from indicators.models import Profile

    if not permissions.can_manage_pledges(request.user):
        raise PermissionDenied
    plan = _plan()
    done = set(
        Pledge.objects.filter(plan=plan).exclude(status=Pledge.Status.DRAFT).values_list("unit_id", flat=True)
    )
    pending = Unit.objects.exclude(kind=Unit.Kind.WARD).exclude(pk__in=done)
    people = Profile.objects.filter(units__in=pending).select_related("user").distinct()
    window = getattr(plan, "pledge_window", None)
    deadline = window.closes_on.strftime("%d/%m/%Y") if window else "—"
    office = ward_text("office_full_name", _("Văn phòng"))
    mails = [
        (
            _("Nhắc đăng ký thi đua năm %(y)s") % {"y": plan.year},
            _("Đơn vị của bạn chưa gửi bản đăng ký thi đua năm %(y)s. Hạn đăng ký: %(d)s.\n\n%(office)s")
            % {"y": plan.year, "d": deadline, "office": office},
            settings.DEFAULT_FROM_EMAIL,
            [p.user.email],
        )
        for p in people
        if p.user.email
    ]
    with transaction.atomic():
        log_action(plan, "campaigns.pledge.reminded", request.user, {"emails": len(mails)})
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=False))
    messages.success(request, _("Đã gửi %(n)s thư nhắc đăng ký thi đua.") % {"n": len(mails)})
    return redirect("pledge-list")


# --- covenants --------------------------------------------------------------------------------------


def covenant_list(request):
    if not ind_permissions.has_role(request.user):
        raise PermissionDenied
    plan = _plan()
    covenants = permissions.covenants_visible_to(request.user).filter(plan=plan).select_related("lead_unit")
    lead_units = _lead_units(request.user)
    return render(
        request,
        "campaigns/covenant_list.html",
        {"plan": plan, "covenants": covenants.order_by("title"), "can_create": lead_units.exists()},
    )


def _lead_units(user):
    if permissions.can_manage_pledges(user):
        return Unit.objects.exclude(kind=Unit.Kind.WARD).order_by("order")
    return ind_permissions.units_for_entry(user).order_by("order")


def covenant_create(request):
    if not ind_permissions.has_role(request.user):
        raise PermissionDenied
    plan = _plan()
    lead_units = _lead_units(request.user)
    if not lead_units.exists():
        raise PermissionDenied
    form = CovenantForm(request.POST or None, plan=plan, lead_units=lead_units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            covenant = services.create_covenant(
                plan=plan,
                user=request.user,
                title=data["title"],
                text=data["text"],
                lead_unit=data["lead_unit"],
                members=list(data["members"]),
                commitments=[(t, t.target_value) for t in data["targets"]],
                texts=[line.strip() for line in data["other"].splitlines() if line.strip()],
            )
            messages.success(request, _("Đã lập giao ước. Mở lấy xác nhận khi nội dung đã thống nhất."))
            return redirect("covenant-detail", pk=covenant.pk)
        except services.PledgeError as error:
            # Refused by the rule (a lead unit no longer his): the form again, as typed, with the reason.
            messages.error(request, str(error))
            return render(request, "campaigns/covenant_form.html", {"plan": plan, "form": form}, status=403)
    return render(request, "campaigns/covenant_form.html", {"plan": plan, "form": form})


def _covenant(request, pk: int) -> Covenant:
    if not ind_permissions.has_role(request.user):
        raise PermissionDenied
    covenant = (
        permissions.covenants_visible_to(request.user)
        .filter(pk=pk)
        .select_related("plan", "lead_unit")
        .first()
    )
    if covenant is None:
        raise Http404
    return covenant


def _covenant_context(request, covenant):
    members = list(covenant.members.select_related("unit", "confirmed_by"))
    commitments = list(covenant.commitments.select_related("target").order_by("target__order", "pk"))
    results = covenant_fulfilment(covenant=covenant)
    figure_commitments = [c for c in commitments if c.target_id]
    grid = [
        {
            "commitment": c,
            "cells": [results.get(m.unit_id, [None] * len(figure_commitments))[i] for m in members],
        }
        for i, c in enumerate(figure_commitments)
    ]
    return {
        "covenant": covenant,
        "members": members,
        "commitments": commitments,
        "texts": [c for c in commitments if not c.target_id],
        "grid": grid,
        "quarter": latest_quarter(covenant.plan),
    }


def covenant_detail(request, pk: int):
    return _covenant_page(request, _covenant(request, pk))


def _covenant_page(request, covenant, *, status: int = 200):
    """The covenant page; a refused open or confirmation (the covenant moved on since the page was opened)
    answers it again, fresh from the database, with the reason above it."""
    context = _covenant_context(request, covenant)
    context["confirmable"] = permissions.confirmable_units(request.user, covenant)
    context["can_open"] = covenant.status == Covenant.Status.DRAFT and permissions.can_manage_covenant(
        request.user, covenant
    )
    return render(request, "campaigns/covenant_detail.html", context, status=status)


@require_POST
def covenant_open(request, pk: int):
    covenant = _covenant(request, pk)
    if not permissions.can_manage_covenant(request.user, covenant):
        raise PermissionDenied
    try:
        services.open_covenant(covenant=covenant, user=request.user)
        messages.success(request, _("Đã mở lấy xác nhận của các đơn vị."))
    except services.PledgeError as error:
        messages.error(request, str(error))
        return _covenant_page(request, _covenant(request, pk), status=409)
    return redirect("covenant-detail", pk=covenant.pk)


@require_POST
def covenant_confirm(request, pk: int):
    covenant = _covenant(request, pk)
    unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
    if unit is None or unit.pk not in ind_permissions.own_unit_ids(request.user):
        raise Http404
    try:
        services.confirm_covenant(covenant=covenant, unit=unit, user=request.user)
        messages.success(request, _("%(u)s đã xác nhận giao ước.") % {"u": unit})
    except services.PledgeError as error:
        messages.error(request, str(error))
        return _covenant_page(request, _covenant(request, pk), status=409)
    return redirect("covenant-detail", pk=covenant.pk)


def covenant_pdf(request, pk: int):
    covenant = _covenant(request, pk)
    today = timezone.localdate()
    document = SimpleNamespace(
        issuer=issuer_for(covenant.plan),
        number="",
        place=place_for(covenant.plan),
        issued_on=today,
        document_type="GIAO ƯỚC THI ĐUA",
        title=covenant.title,
        recipient_lines=[],
        signer_mandate="",
        signer_title="",
        signer_name="",
    )
    context = _covenant_context(request, covenant) | {"document": document}
    return pdf_response(
        template="pdf/covenant.html",
        context=context,
        filename=f"giao-uoc-thi-dua-{covenant.plan.year}-{covenant.pk}.pdf",
    )
