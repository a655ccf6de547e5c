"""The setup pages of a year (issue 17): thin views over checklist.py and services.py.

The office writes; the leadership reads the checklist; anyone else gets 403. A superuser without a
portal role (made by `createsuperuser`) is offered to take the office's role, once, on the home page
and on the checklist.
"""

import secrets
import time
from datetime import date
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from awards.models import CouncilMember
from indicators import excel
from indicators.models import DataElement, Target, TargetTerm, Unit

from ..models import Plan
from ..selectors import current_plan
from . import account_import, checklist, permissions, services
from .forms import (
    AccountEditForm,
    AccountForm,
    ConfirmForm,
    CouncilMemberForm,
    PeriodsForm,
    PledgeWindowForm,
    UnitForm,
    UploadForm,
)


def _office(request) -> None:
    if not permissions.can_set_up(request.user):
        raise PermissionDenied


def _plan(year: int) -> Plan:
    return get_object_or_404(Plan, year=year)


# --- the checklist ---------------------------------------------------------------------------------


def checklist_current(request):
    if permissions.may_claim_office_role(request.user):
        return render(request, "campaigns/setup/claim.html")
    if not permissions.can_view_checklist(request.user):
        raise PermissionDenied
    plan = current_plan()
    if plan is None:
        return render(request, "campaigns/no_plan.html", status=404)
    return redirect("setup-year", year=plan.year)


def checklist_year(request, year: int):
    if permissions.may_claim_office_role(request.user):
        return render(request, "campaigns/setup/claim.html")
    if not permissions.can_view_checklist(request.user):
        raise PermissionDenied
    plan = _plan(year)
    lines = checklist.lines_for(plan)
    return render(
        request,
        "campaigns/setup/checklist.html",
        {
            "plan": plan,
            "lines": lines,
            "done": sum(1 for line in lines if line.done),
            "may_edit": permissions.can_set_up(request.user),
        },
    )


@require_POST
def claim_office_role(request):
    if not permissions.may_claim_office_role(request.user):
        raise PermissionDenied
    services.claim_office_role(user=request.user)
    messages.success(request, _("Bạn đã nhận vai trò Văn phòng - Thống kê. Hãy thiết lập năm thi đua."))
    return redirect("setup-current")


# --- units -----------------------------------------------------------------------------------------


def _tree(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth: each parent followed by its children."""
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered, stack = [], [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, min(depth, 3)))
        stack += [(c, depth + 1) for c in reversed(children.get(unit.pk, []))]
    return ordered


def units(request):
    _office(request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = services.save_unit(user=request.user, unit=None, data=form.cleaned_data)
        messages.success(request, _("Đã thêm đơn vị %(u)s.") % {"u": unit.name})
        return redirect("setup-units")
    rows = _tree(list(Unit.objects.order_by("order", "name")))
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/setup/units.html", {"rows": rows, "form": form}, status=status)


def unit_edit(request, code: str):
    _office(request)
    unit = get_object_or_404(Unit, code=code)
    version = services.fingerprint(services.unit_state(unit))
    form = UnitForm(request.POST or None, instance=unit, initial={"version": version})
    if request.method == "POST":
        if form.is_valid():
            action = request.POST.get("action")
            active = {"deactivate": False, "activate": True}.get(action, unit.is_active)
            data = form.cleaned_data | {"is_active": active}
            try:
                unit = services.save_unit(
                    user=request.user, unit=unit, data=data, version=form.cleaned_data["version"]
                )
            except services.SetupConflict as error:
                # The typed input stays; the page now carries the latest version, so saving again is
                # a decision taken with the other person's change in view.
                unit.refresh_from_db()
                posted = request.POST.copy()
                posted["version"] = services.fingerprint(services.unit_state(unit))
                form = UnitForm(posted, instance=Unit.objects.get(pk=unit.pk))
                form.is_valid()
                form.add_error(None, str(error))
                return render(
                    request, "campaigns/setup/unit_form.html", {"unit": unit, "form": form}, status=409
                )
            except services.SetupError as error:
                form.add_error("parent", str(error))
            else:
                messages.success(request, _("Đã lưu đơn vị %(u)s.") % {"u": unit.name})
                return redirect("setup-units")
        return render(request, "campaigns/setup/unit_form.html", {"unit": unit, "form": form}, status=400)
    return render(request, "campaigns/setup/unit_form.html", {"unit": unit, "form": form})


# --- accounts --------------------------------------------------------------------------------------


def accounts(request):
    _office(request)
    people = (
        get_user_model()
        .objects.filter(profile__isnull=False)
        .select_related("profile")
        .prefetch_related("profile__units")
        .order_by("-is_active", "profile__role", "last_name", "first_name", "username")
    )
    editable = set(services.editable_accounts(request.user).values_list("pk", flat=True))
    return render(request, "campaigns/setup/accounts.html", {"people": people, "editable": editable})


def _created(request, made):
    return render(request, "campaigns/setup/accounts_created.html", {"made": made})


@never_cache
def account_create(request):
    """The first password is shown in the response to the post only: never stored in clear, never cached."""
    _office(request)
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_accounts(user=request.user, accounts=[form.account()])
        except services.SetupError as error:
            form.add_error(None, str(error))
        else:
            return _created(request, made)
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/setup/account_form.html", {"form": form}, status=status)


def account_edit(request, username: str):
    """Role, units, e-mail, in use or not; 404 for an account the office does not manage."""
    _office(request)
    person = get_object_or_404(services.editable_accounts(request.user), username=username)
    state = services.account_state(person)
    initial = {
        "version": services.fingerprint(state),
        "email": person.email,
        "role": person.profile.role,
        "units": list(person.profile.units.all()),
        "is_active": person.is_active,
    }
    form = AccountEditForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.change_account(
                    user=request.user,
                    person=person,
                    role=c["role"],
                    units=list(c["units"]),
                    email=c["email"],
                    active=c["is_active"],
                    version=c["version"],
                )
            except services.SetupConflict as error:
                messages.error(request, str(error))
                status = 409
                posted = request.POST.copy()
                fresh = get_user_model().objects.select_related("profile").get(pk=person.pk)
                posted["version"] = services.fingerprint(services.account_state(fresh))
                form = AccountEditForm(posted, user=request.user)
            except services.SetupError as error:
                form.add_error("units", str(error))
            else:
                messages.success(request, _("Đã lưu tài khoản %(u)s.") % {"u": person.username})
                return redirect("setup-accounts")
    return render(
        request, "campaigns/setup/account_edit.html", {"person": person, "form": form}, status=status
    )


SESSION_KEY = "setup_account_imports"
PENDING_SECONDS = 30 * 60


def account_import_upload(request):
    _office(request)
    context = {"max_mb": excel.upload_limit_text()}
    if request.method != "POST":
        return render(request, "campaigns/setup/account_import.html", context | {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "campaigns/setup/account_import.html", context | {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        workbook = excel.open_workbook(excel.check_upload(upload))
    except excel.UploadRefused as refusal:
        form.add_error("file", str(refusal))
        return render(request, "campaigns/setup/account_import.html", context | {"form": form}, status=400)
    preview = account_import.read_upload(
        workbook=workbook, file_name=PurePath(upload.name).name[:200], user=request.user
    )
    confirm = None
    if preview.ok:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = {token: preview.pending(user=request.user) | {"at": time.time()}}
        confirm = ConfirmForm(initial={"token": token})
    return render(
        request,
        "campaigns/setup/account_import_preview.html",
        context | {"preview": preview, "confirm_form": confirm, "form": UploadForm()},
        status=200 if preview.ok else 400,
    )


def account_template(request):
    _office(request)
    workbook = account_import.template_workbook(user=request.user)
    response = HttpResponse(excel.to_bytes(workbook), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-tai-khoan.xlsx"'
    return response


@never_cache
@require_POST
def account_import_confirm(request):
    _office(request)
    form = ConfirmForm(request.POST)
    stored = request.session.pop(SESSION_KEY, {})
    pending = stored.get(form.data.get("token", "")) if form.is_valid() else None
    if (
        pending is None
        or pending["user"] != request.user.pk
        or time.time() - pending["at"] >= PENDING_SECONDS
    ):
        messages.error(request, _("Bản xem trước đã hết hạn hoặc đã được lưu. Hãy tải tệp lên lại."))
        return redirect("setup-account-import")
    try:
        made = services.create_accounts(
            user=request.user, accounts=account_import.accounts_from_pending(pending)
        )
    except services.SetupError as error:
        messages.error(request, _("Chưa tạo tài khoản nào: %(e)s") % {"e": error})
        return redirect("setup-account-import")
    return _created(request, made)


# --- which unit reports which data element ----------------------------------------------------------


def _element_groups(plan: Plan) -> list[tuple[str, list[DataElement]]]:
    """The plan's data elements grouped by the campaign content (else the field) of the first target
    that uses them, in the plan's order."""
    elements = list(DataElement.objects.filter(plan=plan).order_by("order", "code"))
    first_target: dict[int, Target] = {}
    terms = (
        TargetTerm.objects.filter(target__plan=plan, element__isnull=False)
        .select_related("target__content")
        .order_by("target__order")
    )
    for term in terms:
        first_target.setdefault(term.element_id, term.target)
    groups: dict[str, list[DataElement]] = {}
    order: dict[str, int] = {}
    for element in elements:
        target = first_target.get(element.pk)
        if target is None:
            label, rank = _("Số liệu khác"), 10_000
        elif target.content_id:
            label = _("Nội dung %(n)s: %(t)s") % {"n": target.content.number, "t": target.content.short_title}
            rank = target.content.number
        else:
            label, rank = target.get_group_display(), 1000 + target.order
        groups.setdefault(label, []).append(element)
        order.setdefault(label, rank)
    return sorted(groups.items(), key=lambda item: order[item[0]])


def assignments(request, year: int):
    """One matrix: rows the plan's data elements, columns the units; on a phone, one unit at a time
    (`?don-vi=TDP-01`), since a grid of 40 × 26 boxes is not usable at 390 px."""
    _office(request)
    plan = _plan(year)
    all_units = list(Unit.objects.filter(is_active=True).order_by("order", "name"))
    chosen = request.GET.get("don-vi") or request.POST.get("don-vi") or ""
    if chosen:
        shown = [u for u in all_units if u.code == chosen]
        if not shown:
            raise Http404
    else:
        shown = all_units
    groups = _element_groups(plan)
    status = 200
    if request.method == "POST":
        wanted = set()
        element_ids = {e.pk for _label, items in groups for e in items}
        unit_ids = {u.pk for u in shown}
        for value in request.POST.getlist("a"):
            e, _sep, u = value.partition("-")
            if (
                e.isascii()
                and e.isdigit()
                and u.isascii()
                and u.isdigit()
                and int(e) in element_ids
                and int(u) in unit_ids
            ):
                wanted.add((int(e), int(u)))
        try:
            added, removed = services.save_assignments(
                user=request.user,
                plan=plan,
                units=shown,
                wanted=wanted,
                version=request.POST.get("version", ""),
            )
        except services.SetupConflict as error:
            messages.error(request, str(error))
            status = 409
        else:
            messages.success(
                request,
                _("Đã lưu phân công: thêm %(a)s, bỏ %(r)s.") % {"a": len(added), "r": len(removed)},
            )
            url = request.path + (f"?don-vi={chosen}" if chosen else "")
            return redirect(url)
    pairs = services.assignment_pairs(plan, shown)
    rows = []
    for label, items in groups:
        rows.append(
            (
                label,
                [(element, [(unit, (element.pk, unit.pk) in pairs) for unit in shown]) for element in items],
            )
        )
    counts = {u.pk: 0 for u in shown}
    for _e, u in pairs:
        counts[u] += 1
    return render(
        request,
        "campaigns/setup/assignments.html",
        {
            "plan": plan,
            "units": shown,
            "all_units": all_units,
            "chosen": chosen,
            "rows": rows,
            "version": services.fingerprint(sorted(pairs)),
            "counts": [counts[u.pk] for u in shown],
        },
        status=status,
    )


# --- quarters, pledge window -----------------------------------------------------------------------


def periods(request, year: int):
    _office(request)
    plan = _plan(year)
    existing = {p.quarter: p for p in plan.periods.all()}
    version = services.fingerprint(services.periods_state(plan))
    initial = {"version": version}
    for q in range(1, 5):
        start, end = services.quarter_bounds(plan.year, q)
        period = existing.get(q)
        initial[f"q{q}_opens_on"] = period.opens_on if period else start
        initial[f"q{q}_deadline"] = period.deadline if period else end.fromordinal(end.toordinal() + 10)
    form = PeriodsForm(request.POST or None, year=plan.year, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_periods(
                    user=request.user, plan=plan, dates=form.dates(), version=form.cleaned_data["version"]
                )
            except services.SetupConflict as error:
                messages.error(request, str(error))
                return redirect("setup-periods", year=plan.year)
            messages.success(request, _("Đã lưu các quý và hạn nộp của năm %(y)s.") % {"y": plan.year})
            return redirect("setup-year", year=plan.year)
    quarters = [(q, existing.get(q), form[f"q{q}_opens_on"], form[f"q{q}_deadline"]) for q in range(1, 5)]
    return render(
        request,
        "campaigns/setup/periods.html",
        {"plan": plan, "form": form, "quarters": quarters, "missing": 4 - len(existing)},
        status=status,
    )


def pledge_window(request, year: int):
    _office(request)
    plan = _plan(year)
    state = services.window_state(plan)
    initial = {"version": services.fingerprint(state)}
    if state:
        initial |= {"opens_on": date.fromisoformat(state[0]), "closes_on": date.fromisoformat(state[1])}
    form = PledgeWindowForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_pledge_window(
                    user=request.user,
                    plan=plan,
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    version=form.cleaned_data["version"],
                )
            except services.SetupConflict as error:
                messages.error(request, str(error))
                return redirect("setup-pledge-window", year=plan.year)
            messages.success(request, _("Đã lưu thời hạn đăng ký thi đua năm %(y)s.") % {"y": plan.year})
            return redirect("setup-year", year=plan.year)
    return render(request, "campaigns/setup/pledge_window.html", {"plan": plan, "form": form}, status=status)


# --- the council -----------------------------------------------------------------------------------


def council(request):
    _office(request)
    current = services.active_council()
    members = (
        list(CouncilMember.objects.filter(council=current, is_active=True).select_related("user"))
        if current
        else []
    )
    form = CouncilMemberForm(request.POST or None, members=[m.user_id for m in members])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.add_council_member(
                    user=request.user,
                    person=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    position=form.cleaned_data["position"],
                    order=form.cleaned_data["order"],
                )
            except services.SetupError as error:
                form.add_error("role", str(error))
            else:
                messages.success(request, _("Đã thêm thành viên Hội đồng."))
                return redirect("setup-council")
    return render(
        request,
        "campaigns/setup/council.html",
        {"council": current, "members": members, "form": form},
        status=status,
    )


@require_POST
def council_remove(request, pk: int):
    _office(request)
    member = get_object_or_404(CouncilMember, pk=pk, council__is_active=True)
    try:
        services.remove_council_member(user=request.user, member=member)
    except services.SetupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã bỏ %(m)s khỏi Hội đồng.") % {"m": member})
    return redirect("setup-council")
