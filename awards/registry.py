"""The register of awards (sổ khen thưởng) as the certificates read it: its numbers, its public
verification codes and revocation (issue 15, item 4).

- Each record gets a register number (số vào sổ) per year, in the order it is recorded:
  `next_register_number()` inside the transaction that writes the record; a unique constraint on
  (year, number) makes two writers racing for the same number fail rather than share it.
- Each record has a random code (`verify_token`) for the QR link on its certificate; the public page
  finds the record by that code only, never by its id.
- The office revokes a record (thu hồi) with a reason; the public page then says so. Audited.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.audit import log_action

from . import permissions
from .models import AwardRecord


class RegistryError(Exception):
    """A registry step refused, with the reason to show."""


def next_register_number(year: int) -> int:
    """The next number of `year`'s register; call inside the transaction that saves the record."""
    last = AwardRecord.objects.filter(year=year).aggregate(last=Max("register_number"))["last"]
    return (last or 0) + 1


def number_unnumbered(year: int) -> int:
    """Give the records of `year` that have no number yet (entered in the admin, or in bulk) theirs, in
    the order they were recorded. Returns how many were numbered."""
    with transaction.atomic():
        number = next_register_number(year)
        pks = list(
            AwardRecord.objects.filter(year=year, register_number__isnull=True)
            .order_by("recorded_at", "pk")
            .values_list("pk", flat=True)
        )
        for offset, pk in enumerate(pks):
            AwardRecord.objects.filter(pk=pk).update(register_number=number + offset)
        return len(pks)


def revoke_record(*, record: AwardRecord, user, reason: str) -> AwardRecord:
    if not permissions.can_revoke_records(user):
        raise RegistryError(_("Chỉ Văn phòng - Thống kê thu hồi khen thưởng."))
    reason = (reason or "").strip()
    if not reason:
        raise RegistryError(_("Phải ghi lý do thu hồi."))
    with transaction.atomic():
        record = AwardRecord.objects.select_for_update().get(pk=record.pk)
        if record.revoked:
            raise RegistryError(_("Khen thưởng này đã được thu hồi."))
        record.revoked, record.revoked_reason, record.revoked_at = True, reason[:300], timezone.now()
        record.save(update_fields=["revoked", "revoked_reason", "revoked_at"])
        log_action(record, "awards.record.revoked", user, {"reason": record.revoked_reason})
        return record


@dataclass(frozen=True)
class Verification:
    """What the public page may show of a record, and nothing more."""

    name: str
    title: str
    year: int
    decision_number: str
    decided_on: date
    revoked: bool


def verify(token: str) -> Verification | None:
    """The public facts of the record with this code, or None for an unknown code."""
    if not token or len(token) > 32:
        return None
    record = AwardRecord.objects.filter(verify_token=token).select_related("title", "unit").first()
    if record is None:
        return None
    return Verification(
        name=record.nominee,
        title=record.title.name,
        year=record.year,
        decision_number=record.decision_number,
        decided_on=record.decided_on,
        revoked=record.revoked,
    )
