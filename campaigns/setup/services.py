"""The writes of the setup pages: each one atomic, audited with log_action, and version-checked where
two people of the office could edit the same thing at once.

Units, periods, the pledge window and the assignments have no version column: the page carries a
fingerprint of what it showed (`fingerprint`), and the service compares it, under a row lock, with what
is stored now; a difference is a conflict and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import Council, CouncilMember
from indicators.audit import log_action
from indicators.models import Assignment, DataElement, Profile, ReportingPeriod, Unit
from phominh.accounts import temporary_password

from ..models import Plan, PledgeWindow
from . import permissions


class SetupError(Exception):
    """A refused setup step, with its reason for the page."""


class SetupConflict(SetupError):
    """What the page showed changed since: nothing was written."""


def fingerprint(value) -> str:
    """A short digest of what a page showed, to detect an edit made meanwhile by someone else."""
    return hashlib.sha256(json.dumps(value, default=str, sort_keys=True).encode()).hexdigest()[:20]


CONFLICT = _(
    "Dữ liệu vừa được người khác thay đổi sau khi bạn mở trang. Chưa lưu gì: trang dưới đây là dữ liệu mới nhất."
)


def _require_office(user) -> None:
    if not permissions.can_set_up(user):
        raise SetupError(_("Chỉ Văn phòng - Thống kê được thiết lập năm thi đua."))


# --- the superuser's first step --------------------------------------------------------------------


def claim_office_role(*, user) -> Profile:
    with transaction.atomic():
        if not permissions.may_claim_office_role(user):
            raise SetupError(_("Chỉ tài khoản quản trị chưa có vai trò mới tự nhận vai trò Văn phòng."))
        profile = Profile.objects.create(user=user, role=Profile.Role.OFFICE)
        log_action(user, "setup.office_role.claimed", user, {"username": user.get_username()})
    return profile


# --- units -----------------------------------------------------------------------------------------

UNIT_FIELDS = ("code", "name", "kind", "parent", "order", "is_active")


def unit_state(unit: Unit) -> dict:
    return {name: getattr(unit, f"{name}_id" if name == "parent" else name) for name in UNIT_FIELDS}


def save_unit(*, user, unit: Unit | None, data: dict, version: str = "") -> Unit:
    """Create a unit (unit None) or edit one; `version` is the fingerprint the edit page showed."""
    _require_office(user)
    with transaction.atomic():
        if unit is None:
            unit = Unit()
            before = None
        else:
            unit = Unit.objects.select_for_update().get(pk=unit.pk)
            before = unit_state(unit)
            if fingerprint(before) != version:
                raise SetupConflict(CONFLICT)
        parent = data.get("parent")
        ancestor = parent
        while ancestor is not None and unit.pk:
            if ancestor.pk == unit.pk:
                raise SetupError(_("Một đơn vị không thể nằm dưới chính nó hoặc đơn vị con của nó."))
            ancestor = ancestor.parent
        for name in UNIT_FIELDS:
            if name in data:
                setattr(unit, name, data[name])
        unit.save()
        after = unit_state(unit)
        log_action(
            unit,
            "setup.unit.created" if before is None else "setup.unit.changed",
            user,
            {"before": before, "after": after},
        )
    return unit


# --- accounts --------------------------------------------------------------------------------------


@dataclass
class NewAccount:
    full_name: str
    username: str
    email: str
    role: str
    units: list[Unit]


def split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order (Huỳnh Văn Tư): the given name is the last word (first_name), the rest last_name."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def account_problems(account: NewAccount) -> list[str]:
    """What keeps an account from being made, in words for the page (also used per row of an import)."""
    problems = []
    if account.role == Profile.Role.GROUP_LEADER:
        groups = [u for u in account.units if u.kind == Unit.Kind.RESIDENTIAL_GROUP]
        if len(account.units) != 1 or len(groups) != 1:
            problems.append(_("Tổ trưởng phụ trách đúng một tổ dân phố."))
    if account.role in {Profile.Role.OFFICIAL} and not account.units:
        problems.append(_("Cán bộ, công chức cần ít nhất một đơn vị phụ trách."))
    return problems


def create_accounts(*, user, accounts: list[NewAccount]) -> list[tuple]:
    """Make every account or none; returns (account user, first password) pairs.

    The first passwords are random, returned to be shown once on the result page, stored only hashed,
    never logged; each owner must change his at first login (Profile.must_change_password).
    """
    _require_office(user)
    User = get_user_model()
    made = []
    with transaction.atomic():
        for account in accounts:
            if User.objects.filter(username__iexact=account.username).exists():
                raise SetupError(_("Tên đăng nhập %(u)s đã có.") % {"u": account.username})
            if account.role not in dict(permissions.creatable_roles(user)):
                raise SetupError(
                    _("%(u)s: tài khoản vai trò này do quản trị hệ thống tạo.") % {"u": account.username}
                )
            problems = account_problems(account)
            if problems:
                raise SetupError(f"{account.username}: {' '.join(problems)}")
            first, last = split_name(account.full_name)
            person = User(username=account.username, first_name=first, last_name=last, email=account.email)
            password = temporary_password(person)
            person.set_password(password)
            person.save()
            profile = Profile.objects.create(user=person, role=account.role, must_change_password=True)
            profile.units.set(account.units)
            log_action(
                person,
                "setup.account.created",
                user,
                {
                    "username": person.username,
                    "role": account.role,
                    "units": [u.code for u in account.units],
                },
            )
            made.append((person, password))
    return made


def editable_accounts(user):
    """The accounts whose role and units this person may change: those of the roles he may create,
    never his own, an administrator's or a staff account."""
    roles = [value for value, _label in permissions.creatable_roles(user)]
    return (
        get_user_model()
        .objects.filter(profile__role__in=roles, is_superuser=False, is_staff=False)
        .exclude(pk=getattr(user, "pk", None))
        .select_related("profile")
    )


def account_state(person) -> dict:
    return {
        "role": person.profile.role,
        "units": sorted(person.profile.units.values_list("code", flat=True)),
        "is_active": person.is_active,
        "email": person.email,
    }


def change_account(*, user, person, role: str, units: list[Unit], email: str, active: bool, version: str):
    """Another role or other units (a group's new leader), or the account closed; audited before/after."""
    _require_office(user)
    with transaction.atomic():
        person = editable_accounts(user).select_for_update(of=("self",)).get(pk=person.pk)
        before = account_state(person)
        if fingerprint(before) != version:
            raise SetupConflict(CONFLICT)
        if role not in dict(permissions.creatable_roles(user)):
            raise SetupError(_("Tài khoản vai trò này do quản trị hệ thống tạo."))
        problems = account_problems(
            NewAccount(full_name="", username=person.username, email=email, role=role, units=units)
        )
        if problems:
            raise SetupError(" ".join(problems))
        person.email, person.is_active = email, active
        person.save(update_fields=["email", "is_active"])
        person.profile.role = role
        person.profile.save(update_fields=["role"])
        person.profile.units.set(units)
        after = account_state(person)
        if after != before:
            log_action(person, "setup.account.changed", user, {"before": before, "after": after})
    return person


# --- which unit reports which data element ----------------------------------------------------------


def assignment_pairs(plan: Plan, units: list[Unit]) -> set[tuple[int, int]]:
    return set(
        Assignment.objects.filter(element__plan=plan, unit__in=units).values_list("element_id", "unit_id")
    )


def assignments_version(plan: Plan, units: list[Unit]) -> str:
    return fingerprint(sorted(assignment_pairs(plan, units)))


def save_assignments(*, user, plan: Plan, units: list[Unit], wanted: set[tuple[int, int]], version: str):
    """Make the assignments of `units` to the plan's elements exactly `wanted`, in one transaction.

    Returns (added, removed) as lists of (element, unit). One audit row per saving, with the before and
    after of every pair that changed.
    """
    _require_office(user)
    elements = {e.pk: e for e in DataElement.objects.filter(plan=plan)}
    unit_by_id = {u.pk: u for u in units}
    wanted = {(e, u) for e, u in wanted if e in elements and u in unit_by_id}
    with transaction.atomic():
        # Lock the units' rows: two savings of the same columns run one after the other.
        list(Unit.objects.select_for_update().filter(pk__in=unit_by_id).values_list("pk", flat=True))
        current = assignment_pairs(plan, units)
        if fingerprint(sorted(current)) != version:
            raise SetupConflict(CONFLICT)
        added, removed = sorted(wanted - current), sorted(current - wanted)
        Assignment.objects.bulk_create([Assignment(element_id=e, unit_id=u) for e, u in added])
        for e, u in removed:
            Assignment.objects.filter(element_id=e, unit_id=u).delete()
        changes = [
            {"element": elements[e].code, "unit": unit_by_id[u].code, "before": False, "after": True}
            for e, u in added
        ] + [
            {"element": elements[e].code, "unit": unit_by_id[u].code, "before": True, "after": False}
            for e, u in removed
        ]
        if changes:
            log_action(plan, "setup.assignments.saved", user, {"changes": changes})
    return (
        [(elements[e], unit_by_id[u]) for e, u in added],
        [(elements[e], unit_by_id[u]) for e, u in removed],
    )


# --- quarters --------------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def periods_state(plan: Plan) -> list:
    return [
        [p.quarter, p.opens_on.isoformat(), p.deadline.isoformat()]
        for p in ReportingPeriod.objects.filter(plan=plan).order_by("quarter")
    ]


def save_periods(*, user, plan: Plan, dates: dict[int, tuple[date, date]], version: str) -> None:
    """The plan's four quarters with their opening dates and deadlines; missing quarters are created."""
    _require_office(user)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        before = periods_state(plan)
        if fingerprint(before) != version:
            raise SetupConflict(CONFLICT)
        existing = {p.quarter: p for p in ReportingPeriod.objects.filter(plan=plan)}
        for quarter in range(1, 5):
            opens_on, deadline = dates[quarter]
            period = existing.get(quarter)
            if period is None:
                starts_on, ends_on = quarter_bounds(plan.year, quarter)
                ReportingPeriod.objects.create(
                    plan=plan,
                    quarter=quarter,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    opens_on=opens_on,
                    deadline=deadline,
                )
            elif (period.opens_on, period.deadline) != (opens_on, deadline):
                period.opens_on, period.deadline = opens_on, deadline
                period.save(update_fields=["opens_on", "deadline"])
        after = periods_state(plan)
        if after != before:
            log_action(plan, "setup.periods.saved", user, {"before": before, "after": after})


# --- the pledge window -----------------------------------------------------------------------------


def window_state(plan: Plan) -> list:
    window = PledgeWindow.objects.filter(plan=plan).first()
    return [window.opens_on.isoformat(), window.closes_on.isoformat()] if window else []


def save_pledge_window(*, user, plan: Plan, opens_on: date, closes_on: date, version: str) -> None:
    _require_office(user)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        before = window_state(plan)
        if fingerprint(before) != version:
            raise SetupConflict(CONFLICT)
        PledgeWindow.objects.update_or_create(
            plan=plan, defaults={"opens_on": opens_on, "closes_on": closes_on}
        )
        after = window_state(plan)
        if after != before:
            log_action(plan, "setup.pledge_window.saved", user, {"before": before, "after": after})


# --- the council -----------------------------------------------------------------------------------


def active_council() -> Council | None:
    return Council.objects.filter(is_active=True).order_by("pk").first()


def council_for_setup() -> Council:
    """The active council, made with its defaults when a new ward has none yet."""
    council = active_council()
    if council is None:
        from campaigns.identity import ward_text

        name = ward_text("council_name")
        council = Council.objects.create(**({"name": name} if name else {}))
    return council


def add_council_member(*, user, person, role: str, position: str = "", order: int = 0) -> CouncilMember:
    _require_office(user)
    with transaction.atomic():
        council = council_for_setup()
        Council.objects.select_for_update().get(pk=council.pk)
        if role == CouncilMember.Role.CHAIRMAN and council.members.filter(role=role, is_active=True).exists():
            raise SetupError(_("Hội đồng đã có Chủ tịch Hội đồng."))
        member = CouncilMember.objects.filter(council=council, user=person).first()
        if member is not None and member.is_active:
            raise SetupError(_("Người này đã là thành viên Hội đồng."))
        if member is None:
            member = CouncilMember(council=council, user=person)
        member.role, member.position, member.order, member.is_active = role, position, order, True
        member.save()
        log_action(
            member,
            "setup.council_member.added",
            user,
            {"username": person.get_username(), "role": role, "position": position, "order": order},
        )
    return member


def remove_council_member(*, user, member: CouncilMember) -> None:
    """The member leaves the council; his row stays (the votes he cast keep it), marked inactive."""
    _require_office(user)
    with transaction.atomic():
        updated = CouncilMember.objects.filter(pk=member.pk, is_active=True).update(is_active=False)
        if not updated:
            raise SetupConflict(_("Người này không còn là thành viên Hội đồng."))
        log_action(member, "setup.council_member.removed", user, {"username": member.user.get_username()})
