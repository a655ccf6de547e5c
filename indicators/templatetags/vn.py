"""Vietnamese presentation of figures and dates, shared by pages, PDFs and exports.

Numbers use the project's format module (4.176; 2,57; 6.599.100.000); dates in documents follow
Decree 30/2020/NĐ-CP: "ngày 04 tháng 01 năm 2024" (days below 10 and months 1–2 with a leading zero).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


_SEPARATORS: dict[str, tuple[str, str]] = {}


def _separators() -> tuple[str, str]:
    """(decimal, thousands) separators of the active language's format module, looked up once.

    A dashboard formats thousands of figures; Django's number_format looks the formats up each time.
    """
    language = get_language() or settings.LANGUAGE_CODE
    found = _SEPARATORS.get(language)
    if found is None:
        found = (get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR"))
        _SEPARATORS[language] = found
    return found


def format_number(value, max_decimals: int | None = None) -> str:
    """A figure with exactly the decimals it has (705,6; 4.176), rounded only for display.

    Grouped by three (the project's NUMBER_GROUPING) with the active language's separators.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if max_decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-max_decimals))
    number = number.normalize()
    decimals = max(0, -number.as_tuple().exponent)
    text = f"{abs(number):,.{decimals}f}"
    integer, _dot, fraction = text.partition(".")
    decimal_separator, thousands_separator = _separators()
    result = integer.replace(",", thousands_separator)
    if fraction:
        result += decimal_separator + fraction
    return f"-{result}" if number < 0 and result.strip("0.,") else result


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
