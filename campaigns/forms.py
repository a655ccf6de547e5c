"""Pledge and covenant forms: figures typed in Vietnamese format and read like the entry form's."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Title
from indicators.models import Target, Unit
from indicators.templatetags.vn import format_number
from indicators.validation import parse_number
from phominh.fields import AsciiIntegerField, SafeModelChoiceField, SafeModelMultipleChoiceField

from .selectors import last_year_figures
from .services import PledgeData

MAX_PEOPLE = 40


def pledgeable_targets(plan, unit: Unit) -> list[Target]:
    """Catalogue targets the unit can measure itself: every data element behind them is assigned to it."""
    assigned = set(unit.assignments.filter(element__plan=plan).values_list("element_id", flat=True))
    targets = []
    for target in (
        plan.targets.exclude(kind__in=["heading", "derived"]).prefetch_related("terms").order_by("order")
    ):
        elements = {t.element_id for t in target.terms.all()}
        if elements and None not in elements and elements <= assigned:
            targets.append(target)
    return targets


@dataclass
class CommitmentRow:
    target: Target
    chosen: forms.BoundField
    value: forms.BoundField
    baseline: forms.BoundField | None
    # The unit's own figure of last year (`campaigns.selectors.last_year_figures`), a hint; None if none.
    last_year: Decimal | None = None


class PledgeForm(forms.Form):
    version = AsciiIntegerField(widget=forms.HiddenInput, min_value=0)
    collective_title = SafeModelChoiceField(
        label=gettext_lazy("Danh hiệu tập thể đăng ký"), queryset=Title.objects.none(), required=False
    )
    # Read as the entry form reads figures ("1.250" is one thousand two hundred and fifty), not by
    # Django's IntegerField, whose Vietnamese message ("Nhập một số tổng thể.") nobody understands.
    household_count = forms.CharField(
        label=gettext_lazy("Số hộ đăng ký “Gia đình văn hóa”"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    households = forms.CharField(
        label=gettext_lazy("Danh sách hộ đăng ký (không bắt buộc, mỗi dòng một hộ)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    people = forms.CharField(
        label=gettext_lazy(
            "Cá nhân đăng ký danh hiệu (mỗi dòng: Họ tên; chức vụ; mã danh hiệu LDTT hoặc CSTDCS)"
        ),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    other = forms.CharField(
        label=gettext_lazy("Cam kết khác, không có số liệu (mỗi dòng một cam kết)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, plan, unit: Unit, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.is_group = unit.kind == Unit.Kind.RESIDENTIAL_GROUP
        for_whom = Title.ForWhom.RESIDENTIAL_GROUP if self.is_group else Title.ForWhom.COLLECTIVE
        self.fields["collective_title"].queryset = Title.objects.filter(for_whom=for_whom)
        self.individual_titles = {t.code: t for t in Title.objects.filter(for_whom=Title.ForWhom.INDIVIDUAL)}
        if self.is_group:
            del self.fields["people"]
        else:
            del self.fields["household_count"]
            del self.fields["households"]
        self.targets = pledgeable_targets(plan, unit)
        existing = {c.target_id: c for c in pledge.commitments.all()} if pledge and pledge.pk else {}
        # The unit's own figure of last year is offered as a hint; a new commitment starts empty, never
        # with the ward's figure (the ward's 20.000 poultry is no commitment for one group).
        self.last_year = last_year_figures(plan=plan, unit=unit) if self.targets else {}
        for target in self.targets:
            chosen = existing.get(target.pk)
            self.fields[f"t_{target.pk}"] = forms.BooleanField(
                label=f"{target.code} {target.display_name}", required=False
            )
            self.fields[f"v_{target.pk}"] = forms.CharField(
                label=gettext_lazy("Chỉ tiêu đăng ký"),
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            if target.comparator == Target.Comparator.LTE:
                self.fields[f"b_{target.pk}"] = forms.CharField(
                    label=gettext_lazy("Kết quả năm trước của đơn vị"),
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            if not self.is_bound:
                self.initial[f"t_{target.pk}"] = chosen is not None
                if chosen and chosen.committed_value is not None:
                    self.initial[f"v_{target.pk}"] = format_number(chosen.committed_value)
                if chosen and chosen.baseline is not None:
                    self.initial[f"b_{target.pk}"] = format_number(chosen.baseline)
        if pledge and pledge.pk and not self.is_bound:
            self.initial.update(
                collective_title=pledge.collective_title_id,
                household_count=format_number(pledge.household_count),
                households=pledge.households,
                other="\n".join(c.text for c in pledge.commitments.all() if c.target_id is None),
            )
            if not self.is_group:
                self.initial["people"] = "\n".join(
                    f"{p.full_name}; {p.position}; {p.title.code}"
                    for p in pledge.people.select_related("title")
                )

    def commitment_rows(self) -> list[CommitmentRow]:
        return [
            CommitmentRow(
                target=t,
                chosen=self[f"t_{t.pk}"],
                value=self[f"v_{t.pk}"],
                baseline=self[f"b_{t.pk}"] if f"b_{t.pk}" in self.fields else None,
                last_year=self.last_year.get(t.code),
            )
            for t in self.targets
        ]

    def clean_household_count(self):
        text = self.cleaned_data["household_count"]
        value = parse_number(text)  # raises the entry form's Vietnamese messages
        if value is None:
            return None
        if value != value.to_integral_value():
            raise ValidationError(_("Số hộ phải là số nguyên (đang là %(v)s).") % {"v": format_number(value)})
        if value > 100_000:
            raise ValidationError(_("Không được lớn hơn %(max)s.") % {"max": format_number(100_000)})
        return int(value)

    def clean_households(self):
        return "\n".join(
            line.strip() for line in self.cleaned_data["households"].splitlines() if line.strip()
        )

    def clean_people(self):
        people = []
        for number, line in enumerate(self.cleaned_data["people"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3 or not parts[0]:
                raise ValidationError(
                    _("Dòng %(n)s: cần đúng 3 phần “Họ tên; chức vụ; mã danh hiệu”.") % {"n": number}
                )
            title = self.individual_titles.get(parts[2].upper())
            if title is None:
                raise ValidationError(
                    _("Dòng %(n)s: mã danh hiệu “%(code)s” không có. Dùng: %(codes)s.")
                    % {"n": number, "code": parts[2], "codes": ", ".join(self.individual_titles)}
                )
            people.append((parts[0][:120], parts[1][:120], title))
        if len(people) > MAX_PEOPLE:
            raise ValidationError(_("Tối đa %(n)s người trong một bản đăng ký.") % {"n": MAX_PEOPLE})
        return people

    def clean(self):
        cleaned = super().clean()
        commitments = []
        for target in self.targets:
            if not cleaned.get(f"t_{target.pk}"):
                continue
            try:
                value = parse_number(self.data.get(self.add_prefix(f"v_{target.pk}"), ""))
                if value is None:
                    raise ValidationError(_("Nhập chỉ tiêu đơn vị đăng ký."))
                if target.unit_of_measure == "%" and value > 100:
                    raise ValidationError(_("Tỷ lệ không được quá 100%."))
            except ValidationError as error:
                self.add_error(f"v_{target.pk}", error)
                continue
            baseline = None
            if f"b_{target.pk}" in self.fields:
                try:
                    baseline = parse_number(self.data.get(self.add_prefix(f"b_{target.pk}"), ""))
                except ValidationError as error:
                    self.add_error(f"b_{target.pk}", error)
                    continue
            commitments.append((target, value, baseline))
        self.commitments = commitments
        count, listed = cleaned.get("household_count"), cleaned.get("households", "")
        if self.is_group and count is not None and listed and count < len(listed.splitlines()):
            self.add_error("household_count", _("Số hộ ít hơn số dòng trong danh sách hộ."))
        return cleaned

    def data_for_service(self) -> PledgeData:
        cleaned = self.cleaned_data
        households = cleaned.get("households", "")
        count = cleaned.get("household_count")
        if self.is_group and count is None and households:
            count = len(households.splitlines())
        return PledgeData(
            collective_title=cleaned.get("collective_title"),
            household_count=count if self.is_group else None,
            households=households if self.is_group else "",
            people=cleaned.get("people", []) if not self.is_group else [],
            commitments=self.commitments,
            texts=[line.strip() for line in cleaned.get("other", "").splitlines() if line.strip()],
        )


class CovenantForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên giao ước"), max_length=300)
    text = forms.CharField(
        label=gettext_lazy("Nội dung giao ước"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    lead_unit = SafeModelChoiceField(label=gettext_lazy("Đơn vị chủ trì"), queryset=Unit.objects.none())
    members = SafeModelMultipleChoiceField(
        label=gettext_lazy("Các đơn vị tham gia"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    targets = SafeModelMultipleChoiceField(
        label=gettext_lazy("Chỉ tiêu cùng cam kết (theo chỉ tiêu kế hoạch của phường)"),
        queryset=Target.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other = forms.CharField(
        label=gettext_lazy("Cam kết khác (mỗi dòng một cam kết)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, plan, lead_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = lead_units
        self.fields["members"].queryset = Unit.objects.exclude(kind=Unit.Kind.WARD).order_by("order")
        self.fields["targets"].queryset = (
            plan.targets.exclude(kind__in=["heading", "derived"]).exclude(target_value=None).order_by("order")
        )


class WardIdentityForm(forms.ModelForm):
    """The ward's identity (campaigns.identity.WardIdentity), edited by the office."""

    version = AsciiIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        from .identity import EDITABLE_FIELDS, WardIdentity

        model = WardIdentity
        fields = EDITABLE_FIELDS
        widgets = {"deputies": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        from .identity import REQUIRED_FIELDS

        super().__init__(*args, **kwargs)
        for name in REQUIRED_FIELDS:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = gettext_lazy("Hãy nhập %(field)s.") % {
                "field": self.fields[name].label.lower()
            }
        self.fields["chairman_title"].required = True
