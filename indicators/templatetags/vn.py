"""Vietnamese presentation of figures and dates, shared by pages, PDFs and exports.

Numbers use the project's format module (4.176; 2,57; 6.599.100.000); dates in documents follow
Decree 30/2020/NĐ-CP: "ngày 04 tháng 01 năm 2024" (days below 10 and months 1–2 with a leading zero).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def format_number(value, max_decimals: int | None = None) -> str:
    """A figure with exactly the decimals it has (705,6; 4.176), rounded only for display."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if max_decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-max_decimals))
    number = number.normalize()
    decimals = max(0, -number.as_tuple().exponent)
    number = number.quantize(Decimal(1).scaleb(-decimals))
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter(name="so")
def so(value, max_decimals=None):
    """{{ value|so }} or {{ value|so:2 }}: a Vietnamese-formatted figure."""
    return format_number(value, None if max_decimals in (None, "") else int(max_decimals))


@register.filter(name="chi_tieu")
def target_figure(target) -> str:
    """The planned figure of a target as the plan states it ("705,6", "Đạt chuẩn", "Mức độ 3")."""
    if target.kind == "heading":
        return ""
    if target.target_value is None:
        return _("Đạt chuẩn")
    if target.unit_of_measure == "mức độ":
        return _("Mức độ %(level)s") % {"level": format_number(target.target_value)}
    return format_number(target.target_value)


def document_date(value: date) -> str:
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": day, "month": month, "year": value.year}


@register.filter(name="ngay_van_ban")
def ngay_van_ban(value) -> str:
    return document_date(value) if value else ""


def person_name(user) -> str:
    """Vietnamese order: family and middle names first (Huỳnh Văn Tư), unlike get_full_name()."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


@register.filter(name="ho_ten")
def ho_ten(user) -> str:
    return person_name(user) if user else ""
