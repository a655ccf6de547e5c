"""Form fields shared by the apps."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A primary key beyond a 64-bit integer is refused before the database sees it (SQLite overflows).
MAX_PK = 2**63 - 1
# ASCII digits only: str.isdigit() and int() also read "١٢" or "１２" as 12.
_ASCII_DIGITS = re.compile(r"[0-9]+")


def _pk_in_range(value) -> bool:
    return ascii_int(value) is not None


def ascii_int(value, *, max_value: int = MAX_PK) -> int | None:
    """A whole number written with the digits 0-9 only (an id or a year from GET or POST), else None.
    Unlike int(), it refuses "١٢", "１２", " 12", "+12" and "1_2"."""
    text = str(value)
    if _ASCII_DIGITS.fullmatch(text) is None:
        return None
    number = int(text)
    return number if number <= max_value else None


class AsciiIntegerField(forms.IntegerField):
    """forms.IntegerField reads with int(), which takes other scripts' digits: only 0-9 here."""

    def to_python(self, value):
        if value not in self.empty_values and not _ASCII_DIGITS.fullmatch(str(value).strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # A disabled field cleans its initial value, often an instance rather than a posted id: Django
        # looks that one up in the queryset by its key, so it needs no range check (it is not input).
        if isinstance(value, self.queryset.model):
            return super().to_python(value)
        if value not in self.empty_values and not _pk_in_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _pk_in_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


# Dates are typed as the ward writes them, whatever the browser's language: a bare <input type=date>
# shows mm/dd/yyyy on an English browser (issue 16). The text box reads the project's
# DATE_INPUT_FORMATS (phominh/formats: d/m/Y first, ISO still accepted) and shows d/m/Y.
DATE_PATTERN = r"\s*(\d{1,2}[/\-]\d{1,2}[/\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"


class DayMonthYearInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "pattern": DATE_PATTERN,
            "title": _("Ngày/tháng/năm, ví dụ 04/01/2024"),
            "autocomplete": "off",
            "maxlength": "10",
            "class": "date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DayMonthYearField(forms.DateField):
    """A date typed dd/mm/yyyy (4/1/2024 and 2024-01-04 are read too); the error says how to write it."""

    widget = DayMonthYearInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ. Ghi theo dạng ngày/tháng/năm, ví dụ 04/01/2024."),
    }


class HourMinuteInput(forms.TimeInput):
    """A time typed as 19:30: <input type=time> shows "07:30 PM" on an English browser."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": "hh:mm",
            "pattern": r"\s*\d{1,2}:\d{2}(:\d{2})?\s*",
            "title": _("Giờ:phút, ví dụ 19:30"),
            "autocomplete": "off",
            "maxlength": "8",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")
