"""The setup pages' forms: errors next to their fields, dates dd/mm/yyyy."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from awards.models import CouncilMember
from indicators.models import Profile, Unit
from phominh.fields import DayMonthYearField

from .permissions import creatable_roles
from .services import NewAccount, account_problems


class UnitForm(forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(is_active=True).order_by("order", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["code"].help_text = _("Ví dụ TDP-01, VP-TK. Dùng trong địa chỉ trang và tệp Excel.")
        self.fields["order"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not code.isascii() or not all(c.isalnum() or c in "-_" for c in code):
            raise forms.ValidationError(_("Mã chỉ gồm chữ không dấu, số, dấu - và _."))
        return code


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ không dấu, số và . _ - (ví dụ totruong1)."),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=[])
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phụ trách"),
        queryset=Unit.objects.filter(is_active=True).order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tổ trưởng: đúng một tổ dân phố. Cán bộ: các đơn vị mà người đó nhập số liệu."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = creatable_roles(user)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username.isascii():
            raise forms.ValidationError(_("Tên đăng nhập chỉ gồm chữ không dấu, số và . _ -."))
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có."))
        return username

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned and "units" in cleaned:
            for problem in account_problems(self.account()):
                self.add_error("units", problem)
        return cleaned

    def account(self) -> NewAccount:
        c = self.cleaned_data
        return NewAccount(
            full_name=" ".join(c.get("full_name", "").split()),
            username=c.get("username", ""),
            email=c.get("email", ""),
            role=c["role"],
            units=list(c.get("units") or []),
        )


class AccountEditForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=[])
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phụ trách"),
        queryset=Unit.objects.filter(is_active=True).order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tổ trưởng: đúng một tổ dân phố. Cán bộ: các đơn vị mà người đó nhập số liệu."),
    )
    is_active = forms.BooleanField(
        label=_("Đang sử dụng"),
        required=False,
        help_text=_("Bỏ chọn để khóa tài khoản (người đã nghỉ, chuyển công tác): không đăng nhập được nữa."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = creatable_roles(user)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PeriodsForm(forms.Form):
    """The four quarters of a plan: opening date and deadline of each, dd/mm/yyyy."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for q, roman in enumerate(["I", "II", "III", "IV"], start=1):
            self.fields[f"q{q}_opens_on"] = DayMonthYearField(
                label=_("Quý %(q)s: mở nhập liệu từ") % {"q": roman}
            )
            self.fields[f"q{q}_deadline"] = DayMonthYearField(label=_("Quý %(q)s: hạn nộp") % {"q": roman})

    def clean(self):
        cleaned = super().clean()
        for q in range(1, 5):
            opens_on, deadline = cleaned.get(f"q{q}_opens_on"), cleaned.get(f"q{q}_deadline")
            if opens_on and deadline and deadline < opens_on:
                self.add_error(f"q{q}_deadline", _("Hạn nộp phải từ ngày mở nhập liệu trở đi."))
        return cleaned

    def dates(self) -> dict:
        return {
            q: (self.cleaned_data[f"q{q}_opens_on"], self.cleaned_data[f"q{q}_deadline"]) for q in range(1, 5)
        }


class PledgeWindowForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    opens_on = DayMonthYearField(label=_("Mở đăng ký từ"))
    closes_on = DayMonthYearField(label=_("Hạn đăng ký"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("opens_on")
            and cleaned.get("closes_on")
            and cleaned["closes_on"] < cleaned["opens_on"]
        ):
            self.add_error("closes_on", _("Hạn đăng ký phải từ ngày mở đăng ký trở đi."))
        return cleaned


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from indicators.templatetags.vn import person_name

        return f"{person_name(obj)} ({obj.get_username()})"


class CouncilMemberForm(forms.Form):
    user = PersonChoiceField(label=_("Người"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Chức danh trong Hội đồng"), choices=CouncilMember.Role.choices)
    position = forms.CharField(label=_("Chức vụ"), max_length=160, required=False)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, profile__isnull=False)
            .exclude(pk__in=members)
            .exclude(profile__role=Profile.Role.ADMIN)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["order"].widget.attrs["inputmode"] = "numeric"
