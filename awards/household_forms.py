"""Forms of the household register and the group's review meeting; they only read input, the services
in awards.households decide."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from phominh.fields import DayMonthYearField, HourMinuteInput

ASCII_COUNT = RegexValidator(r"^[0-9]{1,4}$", _("Ghi số nguyên, bằng chữ số 0-9."))


class CountField(forms.CharField):
    """A whole number typed with the ASCII digits only (int() would take other scripts' digits too)."""

    def __init__(self, *, max_value: int, **kwargs):
        self.max_value = max_value
        super().__init__(max_length=4, validators=[ASCII_COUNT], **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]*"})

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip() if value else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        number = int(value)
        if not 1 <= number <= self.max_value:
            raise forms.ValidationError(_("Ghi số từ 1 đến %(n)s.") % {"n": self.max_value})
        return number


class HouseholdForm(forms.Form):
    head_name = forms.CharField(label=_("Họ và tên chủ hộ"), max_length=160)
    address = forms.CharField(label=_("Địa chỉ"), max_length=200, required=False)
    members = CountField(label=_("Số nhân khẩu"), max_value=99, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReviewForm(forms.Form):
    held_on = DayMonthYearField(label=_("Ngày họp"))
    starts_at = forms.TimeField(label=_("Bắt đầu lúc"), required=False, widget=HourMinuteInput())
    ends_at = forms.TimeField(label=_("Kết thúc lúc"), required=False, widget=HourMinuteInput())
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    chaired_by = forms.CharField(label=_("Người chủ trì (Tổ trưởng)"), max_length=120)
    front_head_name = forms.CharField(label=_("Trưởng Ban công tác Mặt trận"), max_length=120, required=False)
    secretary_name = forms.CharField(label=_("Thư ký"), max_length=120, required=False)
    attendance = CountField(label=_("Số người dự họp"), max_value=9999, required=False)
    notes = forms.CharField(
        label=_("Ý kiến tại cuộc họp"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewPostingForm(forms.Form):
    posted_on = DayMonthYearField(label=_("Ngày niêm yết"))
    days = forms.IntegerField(label=_("Số ngày công khai"), min_value=1, max_value=60, initial=10)
    number = forms.CharField(label=_("Số thông báo"), max_length=40, required=False)
    place = forms.CharField(label=_("Nơi niêm yết"), max_length=200, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


def posted_ids(values) -> list[int]:
    """Ids posted by the results list, read with the ASCII digits only; others are dropped."""
    seen, ids = set(), []
    for value in values:
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
            number = int(value)
            if number not in seen:
                seen.add(number)
                ids.append(number)
    return ids


class HouseholdDecisionForm(forms.Form):
    """The office's draft: the groups whose lists go into the decision, number and date optional."""

    reviews = forms.MultipleChoiceField(
        label=_("Tổ dân phố"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một tổ dân phố.")},
    )
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=40,
        required=False,
        help_text=_("Ví dụ 125/QĐ-UBND; có thể ghi sau."),
    )
    signed_on = DayMonthYearField(label=_("Ngày ký"), required=False)

    def __init__(self, *args, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].choices = [
            (str(r.pk), f"{r.unit.name} — {r.qualified} hộ đạt") for r in reviews
        ]


class DraftNumberForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=40, required=False)
    signed_on = DayMonthYearField(label=_("Ngày ký"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
