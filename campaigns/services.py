"""Write-side of pledges and covenants: each step is one transaction with its audit row."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import notifications
from indicators.audit import log_action

from . import permissions
from .models import Commitment, Covenant, CovenantMember, Plan, Pledge, PledgedPerson


class PledgeError(Exception):
    """A step that is not allowed now; the message is shown to the user as it is."""


class PledgeConflict(PledgeError):
    pass


@dataclass
class PledgeData:
    collective_title: object | None
    household_count: int | None
    households: str
    people: list[tuple[str, str, object]]  # (full name, position, title)
    commitments: list[tuple[object, Decimal, Decimal | None]]  # (target, committed value, baseline)
    texts: list[str]


def _locked(plan: Plan, unit) -> Pledge:
    Pledge.objects.get_or_create(plan=plan, unit=unit)
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("plan__pledge_window", "unit")
        .get(plan=plan, unit=unit)
    )


def save_pledge(
    *, plan: Plan, unit, user, data: PledgeData, version: int, today: date | None = None
) -> Pledge:
    """Replace the pledge's content with what the form holds (people and commitments as a whole)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        pledge = _locked(plan, unit)
        if pledge.version != version:
            raise PledgeConflict(
                _("Bản đăng ký vừa được người khác cập nhật. Nội dung bạn nhập CHƯA được lưu: hãy xem lại.")
            )
        if not permissions.can_edit_pledge(user, pledge, today=today):
            raise PledgeError(edit_refusal(pledge, today))
        pledge.collective_title = data.collective_title
        pledge.household_count = data.household_count
        pledge.households = data.households
        if pledge.status == Pledge.Status.RETURNED:
            pledge.status = Pledge.Status.DRAFT
        pledge.version += 1
        pledge.save()
        pledge.people.all().delete()
        PledgedPerson.objects.bulk_create(
            PledgedPerson(pledge=pledge, full_name=name, position=position, title=title)
            for name, position, title in data.people
        )
        pledge.commitments.all().delete()
        Commitment.objects.bulk_create(
            [
                Commitment(pledge=pledge, target=target, committed_value=value, baseline=baseline)
                for target, value, baseline in data.commitments
            ]
            + [Commitment(pledge=pledge, text=text) for text in data.texts]
        )
        log_action(
            pledge,
            "campaigns.pledge.saved",
            user,
            {
                "title": str(data.collective_title or ""),
                "commitments": {t.code: str(v) for t, v, _b in data.commitments},
                "texts": data.texts,
                "people": len(data.people),
                "households": data.household_count,
            },
        )
        return pledge


def edit_refusal(pledge: Pledge, today: date) -> str:
    if pledge.status == Pledge.Status.SUBMITTED:
        return _("Bản đăng ký đã gửi, đang chờ Văn phòng tiếp nhận.")
    if pledge.status == Pledge.Status.ACKNOWLEDGED:
        return _("Văn phòng đã tiếp nhận bản đăng ký. Muốn sửa, đề nghị Văn phòng mở lại.")
    window = getattr(pledge.plan, "pledge_window", None)
    if window is None:
        return _("Văn phòng chưa mở đợt đăng ký thi đua.")
    if today < window.opens_on:
        return _("Đợt đăng ký chưa mở (từ %(d)s).") % {"d": window.opens_on.strftime("%d/%m/%Y")}
    return _("Đã hết hạn đăng ký (%(d)s). Chỉ Văn phòng mới mở lại được.") % {
        "d": window.closes_on.strftime("%d/%m/%Y")
    }


def submit_pledge(*, pledge: Pledge, user, today: date | None = None) -> Pledge:
    today = today or timezone.localdate()
    with transaction.atomic():
        pledge = (
            Pledge.objects.select_for_update(of=("self",))
            .select_related("plan__pledge_window")
            .get(pk=pledge.pk)
        )
        if not permissions.can_edit_pledge(user, pledge, today=today):
            raise PledgeError(edit_refusal(pledge, today))
        if (
            pledge.collective_title_id is None
            and not pledge.commitments.exists()
            and not pledge.people.exists()
        ):
            raise PledgeError(_("Bản đăng ký chưa có danh hiệu, cá nhân hay cam kết nào."))
        pledge.status = Pledge.Status.SUBMITTED
        pledge.submitted_at, pledge.submitted_by = timezone.now(), user
        pledge.reopened_until = None
        pledge.version += 1
        pledge.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_by",
                "reopened_until",
                "version",
                "updated_at",
            ]
        )
        log_action(pledge, "campaigns.pledge.submitted", user)
        notifications.pledge_submitted(pledge)
        return pledge


def _office_step(pledge: Pledge, user, expected: list[str]) -> Pledge:
    if not permissions.can_manage_pledges(user):
        raise PledgeError(_("Chỉ Văn phòng - Thống kê được thực hiện bước này."))
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status not in expected:
        raise PledgeError(
            _("Bản đăng ký không ở trạng thái phù hợp (%(s)s).") % {"s": pledge.get_status_display()}
        )
    return pledge


def acknowledge_pledge(*, pledge: Pledge, user) -> Pledge:
    with transaction.atomic():
        pledge = _office_step(pledge, user, [Pledge.Status.SUBMITTED])
        pledge.status = Pledge.Status.ACKNOWLEDGED
        pledge.acknowledged_at, pledge.acknowledged_by = timezone.now(), user
        pledge.version += 1
        pledge.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "version", "updated_at"])
        log_action(pledge, "campaigns.pledge.acknowledged", user)
        return pledge


def return_pledge(*, pledge: Pledge, user, reason: str) -> Pledge:
    reason = (reason or "").strip()
    if not reason:
        raise PledgeError(_("Phải ghi lý do trả lại."))
    with transaction.atomic():
        pledge = _office_step(pledge, user, [Pledge.Status.SUBMITTED])
        pledge.status = Pledge.Status.RETURNED
        pledge.return_reason = reason
        pledge.reopened_until = None
        pledge.version += 1
        pledge.save(update_fields=["status", "return_reason", "reopened_until", "version", "updated_at"])
        log_action(pledge, "campaigns.pledge.returned", user, {"reason": reason})
        return pledge


def reopen_pledge(*, plan: Plan, unit, user, reason: str, until: date) -> Pledge:
    """After the window only the office can reopen a pledge, until a date, with a reason."""
    reason = (reason or "").strip()
    if not permissions.can_manage_pledges(user):
        raise PledgeError(_("Chỉ Văn phòng - Thống kê được mở lại bản đăng ký."))
    if not reason:
        raise PledgeError(_("Phải ghi lý do mở lại."))
    if until < timezone.localdate():
        raise PledgeError(_("Ngày mở lại đến phải từ hôm nay trở đi."))
    with transaction.atomic():
        pledge = _locked(plan, unit)
        before = pledge.status
        pledge.status = Pledge.Status.DRAFT
        pledge.reopened_until = until
        pledge.version += 1
        pledge.save(update_fields=["status", "reopened_until", "version", "updated_at"])
        log_action(
            pledge,
            "campaigns.pledge.reopened",
            user,
            {"reason": reason, "until": until.isoformat(), "status_before": before},
        )
        return pledge


def create_covenant(
    *, plan: Plan, user, title: str, text: str, lead_unit, members, commitments, texts
) -> Covenant:
    if not permissions.can_create_covenant(user, lead_unit):
        raise PledgeError(_("Chỉ Văn phòng hoặc đơn vị chủ trì được lập giao ước."))
    units = {u.pk: u for u in members} | {lead_unit.pk: lead_unit}
    if len(units) < 2:
        raise PledgeError(_("Giao ước cần ít nhất hai đơn vị."))
    with transaction.atomic():
        covenant = Covenant.objects.create(
            plan=plan, title=title, text=text, lead_unit=lead_unit, created_by=user
        )
        CovenantMember.objects.bulk_create(CovenantMember(covenant=covenant, unit=u) for u in units.values())
        Commitment.objects.bulk_create(
            [Commitment(covenant=covenant, target=t, committed_value=v) for t, v in commitments]
            + [Commitment(covenant=covenant, text=x) for x in texts]
        )
        log_action(
            covenant, "campaigns.covenant.created", user, {"members": [u.code for u in units.values()]}
        )
        return covenant


def open_covenant(*, covenant: Covenant, user) -> Covenant:
    with transaction.atomic():
        covenant = Covenant.objects.select_for_update().get(pk=covenant.pk)
        if not permissions.can_manage_covenant(user, covenant):
            raise PledgeError(_("Chỉ Văn phòng hoặc đơn vị chủ trì được mở lấy xác nhận."))
        if covenant.status != Covenant.Status.DRAFT:
            raise PledgeError(_("Giao ước đã mở lấy xác nhận."))
        covenant.status = Covenant.Status.OPEN
        covenant.save(update_fields=["status"])
        log_action(covenant, "campaigns.covenant.opened", user)
        return covenant


def confirm_covenant(*, covenant: Covenant, unit, user) -> Covenant:
    """A member unit confirms; when every member has, the covenant is signed."""
    with transaction.atomic():
        covenant = Covenant.objects.select_for_update().get(pk=covenant.pk)
        member = CovenantMember.objects.select_for_update().filter(covenant=covenant, unit=unit).first()
        if member is None or member not in permissions.confirmable_units(user, covenant):
            raise PledgeError(_("Bạn không thể xác nhận giao ước này cho đơn vị đó."))
        member.confirmed_at, member.confirmed_by = timezone.now(), user
        member.save(update_fields=["confirmed_at", "confirmed_by"])
        if not covenant.members.filter(confirmed_at__isnull=True).exists():
            covenant.status = Covenant.Status.SIGNED
            covenant.save(update_fields=["status"])
        log_action(covenant, "campaigns.covenant.confirmed", user, {"unit": unit.code})
        return covenant
