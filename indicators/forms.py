"""The quarterly entry form: one field per data element assigned to the unit, grouped as in the plan."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phominh.fields import AsciiIntegerField, DayMonthYearField

from .models import DataElement, Target
from .rollup import pace_share
from .templatetags.vn import format_number
from .validation import check_report, check_value, parse_number

COMMENT_MAX = 1000


@dataclass
class EntryRow:
    element: DataElement
    value_field: forms.BoundField
    comment_field: forms.BoundField
    targets: list[Target]
    previous: Decimal | None
    saved: Decimal | None
    reading: str = ""
    warnings: list[str] = field(default_factory=list)
    # A posted form shown again (a conflict, a refused save): the saved figure beside the typed one.
    show_saved: bool = False
    # The conflict page (someone saved the report after this user opened it): beside every typed
    # figure the one now saved, marked where they differ, so that he sees what he would overwrite.
    conflict: bool = False
    differs: bool = False
    saved_comment: str = ""


@dataclass
class EntryGroup:
    label: str
    rows: list[EntryRow]


def element_targets(element: DataElement) -> list[Target]:
    return sorted({t.target for t in element.terms.all()}, key=lambda t: t.order)


class ReportEntryForm(forms.Form):
    """Figures typed in Vietnamese format, read strictly; errors and warnings stay next to their field."""

    version = AsciiIntegerField(widget=forms.HiddenInput, min_value=0)
    # Set by the view when the save was refused as stale: rows then show the figures saved meanwhile.
    conflict = False

    def __init__(self, *args, elements, saved, previous, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = elements
        self.saved = saved  # element_id -> ReportedValue
        self.previous = previous  # element_id -> Decimal
        self.warnings: dict[int, list[str]] = {}
        for element in elements:
            current = saved.get(element.pk)
            label = f"{element.name} ({element.unit_of_measure})"
            if element.value_type == DataElement.ValueType.YES_NO:
                value_field = forms.TypedChoiceField(
                    label=label,
                    choices=[("", "—"), ("1", _("Đạt")), ("0", _("Chưa đạt"))],
                    required=False,
                )
            elif element.value_type == DataElement.ValueType.LEVEL:
                top = int(element.max_value or 3)
                value_field = forms.TypedChoiceField(
                    label=label,
                    choices=[("", "—")] + [(str(i), _("Mức độ %(i)s") % {"i": i}) for i in range(1, top + 1)],
                    required=False,
                )
            else:
                value_field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "autocomplete": "off", "class": "figure"}
                    ),
                )
            self.fields[f"v_{element.pk}"] = value_field
            self.fields[f"c_{element.pk}"] = forms.CharField(
                label=gettext_lazy("Ghi chú"),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.TextInput(attrs={"placeholder": _("Ghi chú, lý do nếu bất thường")}),
            )
            if current is not None and not self.is_bound:
                if element.value_type in (DataElement.ValueType.YES_NO, DataElement.ValueType.LEVEL):
                    self.initial[f"v_{element.pk}"] = str(int(current.value))
                else:
                    self.initial[f"v_{element.pk}"] = format_number(current.value)
                self.initial[f"c_{element.pk}"] = current.comment
        if not self.is_bound:
            saved_values = {pk: v.value for pk, v in saved.items()}
            self.warnings = check_report(elements=elements, values=saved_values, previous=previous).warnings

    def clean(self):
        cleaned = super().clean()
        values: dict[int, Decimal | None] = {}
        for element in self.elements:
            name = f"v_{element.pk}"
            raw = self.data.get(self.add_prefix(name), "")
            try:
                value = parse_number(raw)
                if value is not None:
                    check_value(element, value)
            except ValidationError as error:
                self.add_error(name, error)
                continue
            values[element.pk] = value
            cleaned[name] = value
        issues = check_report(elements=self.elements, values=values, previous=self.previous)
        for element_id, messages in issues.errors.items():
            for message in messages:
                self.add_error(f"v_{element_id}", message)
        self.warnings = issues.warnings
        self.values = values
        return cleaned

    def entries(self):
        """element → Entry for the service; only call after is_valid()."""
        from .services import Entry

        return {
            element: Entry(
                self.values.get(element.pk), (self.cleaned_data.get(f"c_{element.pk}") or "").strip()
            )
            for element in self.elements
        }

    def groups(self) -> list[EntryGroup]:
        """Rows grouped by the plan's fields (economic, social, ...) in the order of the targets they feed."""
        groups: dict[str, EntryGroup] = {}
        keyed = []
        for element in self.elements:
            targets = element_targets(element)
            first = targets[0] if targets else None
            keyed.append(((first.order if first else 9999, element.order), element, targets, first))
        for _key, element, targets, first in sorted(keyed, key=lambda k: k[0]):
            label = first.get_group_display() if first else _("Khác")
            saved = self.saved.get(element.pk)
            reading = ""
            if self.is_bound and hasattr(self, "values") and self.values.get(element.pk) is not None:
                if element.value_type in ("count", "amount"):
                    reading = f"{format_number(self.values[element.pk])} {element.unit_of_measure}"
            typed = getattr(self, "values", {}).get(element.pk)
            saved_value = saved.value if saved else None
            typed_comment = (self.data.get(self.add_prefix(f"c_{element.pk}")) or "").strip()
            conflict = self.is_bound and self.conflict
            if (
                conflict
                and reading
                and self.data.get(self.add_prefix(f"v_{element.pk}"), "").strip()
                == (format_number(typed) if typed is not None else "")
            ):
                reading = ""  # the box shows the figure as it was read: once is enough beside the other's
            row = EntryRow(
                element=element,
                value_field=self[f"v_{element.pk}"],
                comment_field=self[f"c_{element.pk}"],
                targets=targets,
                previous=self.previous.get(element.pk),
                saved=saved_value,
                reading=reading,
                warnings=self.warnings.get(element.pk, []),
                show_saved=self.is_bound and saved is not None and typed != saved_value,
                conflict=conflict,
                differs=conflict and typed != saved_value,
                saved_comment=saved.comment if conflict and saved and saved.comment != typed_comment else "",
            )
            groups.setdefault(label, EntryGroup(label=label, rows=[])).rows.append(row)
        return list(groups.values())


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(ReasonForm):
    until = DayMonthYearField(
        label=gettext_lazy("Mở đến hết ngày"),
    )


class VersionForm(forms.Form):
    """The version of the report a review or reopen was decided on, posted with it from the entry page
    (a hidden input), so that figures changed after the page was opened are never approved unseen."""

    version = AsciiIntegerField(min_value=0)

    def version_or_none(self) -> int | None:
        return self.cleaned_data["version"] if self.is_valid() else None


class PaceForm(forms.Form):
    """The percent of a flow's yearly figure expected by the end of quarters I-III (IV is 100 %).

    Figures are typed in Vietnamese notation ("37,5") and read by the same parser as the entry form.
    With `even` (its own button on the page, never a box ticked in advance) the profile is cleared
    and only the reason is read.
    """

    q1 = forms.CharField(label=gettext_lazy("Hết quý I (%)"), required=False, max_length=20)
    q2 = forms.CharField(label=gettext_lazy("Hết quý II (%)"), required=False, max_length=20)
    q3 = forms.CharField(label=gettext_lazy("Hết quý III (%)"), required=False, max_length=20)
    reason = forms.CharField(
        label=gettext_lazy("Lý do điều chỉnh"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Ví dụ: lúa thu hoạch hai vụ, vụ Đông Xuân trong quý II và vụ Hè Thu trong quý III."
        ),
    )
    QUARTERS = ("q1", "q2", "q3")

    def __init__(self, *args, target: Target, even: bool = False, **kwargs):
        # The boxes always show the shares in force (25/50/75 without a profile of the target's own),
        # so the office edits figures it can see; "even" is never ticked in advance, or figures typed
        # without unticking it would be thrown away.
        initial = {
            name: format_number(pace_share(target, quarter) * 100)
            for quarter, name in enumerate(self.QUARTERS, start=1)
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.even = even
        for name in self.QUARTERS:
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def _clean_percent(self, name: str) -> Decimal | None:
        try:
            value = parse_number(self.cleaned_data.get(name, ""))
        except ValidationError as error:
            self.add_error(name, error)
            return None
        if value is not None and value > 100:
            self.add_error(name, _("Không quá 100 %."))
        return value

    def clean(self):
        cleaned = super().clean()
        if self.even:
            cleaned["percents"] = None
            return cleaned
        values = [self._clean_percent(name) for name in self.QUARTERS]
        if self.errors:
            return cleaned
        missing = [name for name, value in zip(self.QUARTERS, values, strict=True) if value is None]
        for name in missing:
            self.add_error(name, _("Ghi mức cần đạt đến hết quý này."))
        if missing:
            return cleaned
        if not values[0] <= values[1] <= values[2]:
            raise ValidationError(_("Tiến độ cộng dồn không thể giảm từ quý trước sang quý sau."))
        cleaned["percents"] = tuple(values)
        return cleaned
