"""Reading and checking figures the way the web form and the Excel import both need.

Vietnamese writes 4.176 for four thousand one hundred seventy-six and 2,57 for two point five seven.
A figure that could be read two ways (2.5, 1,234,567) is refused with a message, never guessed.
Only the ASCII digits 0-9 are digits here: Python's `\\d` and `Decimal()` also take Arabic-Indic or
full-width digits ("١٢", "１２" would become 12), which nobody in the ward types on purpose.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import DataElement
from .templatetags.vn import format_number

_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$")
_PLAIN = re.compile(r"^[0-9]+(,[0-9]+)?$")

# A stock moving more than this share from last quarter, or a flow at ten times last quarter's, is
# unusual enough to need a comment before it is submitted.
STOCK_JUMP = Decimal("0.25")
STOCK_JUMP_MIN = Decimal(5)
FLOW_FACTOR = Decimal(10)


def parse_number(text: str) -> Decimal | None:
    """Read a figure typed in Vietnamese format; '' is no value. Raises ValidationError otherwise."""
    raw = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if raw == "":
        return None
    negative = raw.startswith("-")
    body = raw.lstrip("-+")
    if _GROUPED.match(body):
        body = body.replace(".", "")
    elif not _PLAIN.match(body):
        if re.match(r"^[0-9]+\.[0-9]{1,2}$", body) or re.match(r"^[0-9]+\.[0-9]{4,}$", body):
            raise ValidationError(
                _(
                    "“%(text)s”: dấu chấm dùng để phân cách hàng nghìn; số thập phân viết bằng dấu phẩy (ví dụ 2,57)."
                )
                % {"text": text.strip()},
                code="ambiguous",
            )
        if re.match(r"^[0-9]{1,3}(,[0-9]{3}){2,}$", body):
            raise ValidationError(
                _("“%(text)s”: hàng nghìn phân cách bằng dấu chấm (ví dụ 6.599.100.000).")
                % {"text": text.strip()},
                code="ambiguous",
            )
        raise ValidationError(
            _("“%(text)s” không phải là một số. Ví dụ hợp lệ: 4.176 hoặc 2,57.") % {"text": text.strip()},
            code="invalid",
        )
    try:
        value = Decimal(body.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only digits
        raise ValidationError(_("Không đọc được số “%(text)s”.") % {"text": text.strip()}) from exc
    if negative:
        raise ValidationError(_("Số liệu không được âm."), code="negative")
    if value.as_tuple().exponent < -4:
        raise ValidationError(_("Chỉ ghi tối đa 4 chữ số sau dấu phẩy."), code="precision")
    if value >= Decimal(10) ** 16:
        raise ValidationError(_("Số quá lớn."), code="too_large")
    return value


def check_value(element: DataElement, value: Decimal) -> None:
    """The rules of one figure on its own: whole counts, yes/no, levels, the element's maximum."""
    if element.value_type in (
        DataElement.ValueType.COUNT,
        DataElement.ValueType.LEVEL,
        DataElement.ValueType.YES_NO,
    ):
        if value != value.to_integral_value():
            raise ValidationError(
                _("Phải là số nguyên (đang là %(v)s).") % {"v": format_number(value)}, code="whole"
            )
    if element.max_value is not None and value > element.max_value:
        raise ValidationError(
            _("Không được lớn hơn %(max)s.") % {"max": format_number(element.max_value)}, code="max"
        )


@dataclass
class Issues:
    """Errors block saving; warnings need a comment before the report can be submitted."""

    errors: dict[int, list[str]] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)

    def error(self, element_id: int, message: str) -> None:
        self.errors.setdefault(element_id, []).append(message)

    def warn(self, element_id: int, message: str) -> None:
        self.warnings.setdefault(element_id, []).append(message)


def share_pairs(elements: list[DataElement]) -> list[tuple[DataElement, DataElement]]:
    """(numerator, denominator) element pairs that belong together in a share-type ratio target.

    Needs `elements` with `terms__target` and the targets' terms prefetched (see forms).
    """
    by_id = {e.pk: e for e in elements}
    pairs = []
    seen = set()
    for element in elements:
        for term in element.terms.all():
            target = term.target
            if target.kind != "ratio" or not target.is_share or term.role != "numerator":
                continue
            nums = [t for t in target.terms.all() if t.role == "numerator"]
            dens = [t for t in target.terms.all() if t.role == "denominator"]
            if len(nums) == 1 and len(dens) == 1 and dens[0].element_id in by_id:
                key = (element.pk, dens[0].element_id)
                if key not in seen:
                    seen.add(key)
                    pairs.append((element, by_id[dens[0].element_id]))
    return pairs


def check_report(
    *,
    elements: list[DataElement],
    values: dict[int, Decimal | None],
    previous: dict[int, Decimal],
) -> Issues:
    """Cross-figure rules for one unit's quarter: shares within their whole, unusual jumps."""
    issues = Issues()
    for numerator, denominator in share_pairs(elements):
        num, den = values.get(numerator.pk), values.get(denominator.pk)
        if num is not None and den is not None and num > den:
            issues.error(
                numerator.pk,
                _("“%(num)s” (%(n)s) không thể lớn hơn “%(den)s” (%(d)s).")
                % {
                    "num": numerator.name,
                    "n": format_number(num),
                    "den": denominator.name,
                    "d": format_number(den),
                },
            )
    for element in elements:
        value, before = values.get(element.pk), previous.get(element.pk)
        if value is None or before is None or element.value_type in ("yes_no", "level"):
            continue
        if element.aggregation == DataElement.Aggregation.STOCK:
            change = abs(value - before)
            if before > 0 and change > STOCK_JUMP_MIN and change / before > STOCK_JUMP:
                issues.warn(
                    element.pk,
                    _("Thay đổi %(pct)s%% so với quý trước (%(before)s). Vui lòng ghi rõ lý do.")
                    % {"pct": format_number(change / before * 100, 0), "before": format_number(before)},
                )
        elif before > 0 and value >= before * FLOW_FACTOR:
            issues.warn(
                element.pk,
                _("Gấp %(times)s lần quý trước (%(before)s). Vui lòng ghi rõ lý do.")
                % {"times": format_number(value / before, 0), "before": format_number(before)},
            )
    return issues
