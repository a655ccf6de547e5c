"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

# A primary key beyond a 64-bit integer is refused before the database sees it (SQLite overflows).
MAX_PK = 2**63 - 1


def _pk_in_range(value) -> bool:
    return str(value).isdigit() and int(value) <= MAX_PK


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
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
