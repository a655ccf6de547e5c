"""Forms of the awards pages; they only read input, the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from indicators.models import Unit
from phominh.fields import (
    AsciiIntegerField,
    DayMonthYearField,
    HourMinuteInput,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)

from .law import AUTHORITY_FIELDS, LEGAL_TEXT_FIELDS, LegalText, TitleAuthority
from .models import CouncilSession, Household, Proposal, Title
from .services import TITLE_FIELDS
from .voting import CHOICES


class ProposalForm(forms.Form):
    unit = SafeModelChoiceField(label=_("Đơn vị đề nghị"), queryset=Unit.objects.none(), empty_label=None)
    title = SafeModelChoiceField(label=_("Danh hiệu, hình thức khen thưởng"), queryset=Title.objects.all())
    nominee_name = forms.CharField(
        label=_("Họ và tên / chủ hộ"),
        max_length=160,
        required=False,
        help_text=_("Cá nhân: họ và tên như trong bản đăng ký; hộ gia đình: tên chủ hộ. Tập thể: để trống."),
    )
    nominee_position = forms.CharField(label=_("Chức vụ, địa chỉ"), max_length=160, required=False)
    achievements = forms.CharField(
        label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    version = AsciiIntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units, lock_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if lock_unit:
            self.fields["unit"].disabled = True


class AchievementReportForm(forms.Form):
    """The parts of the achievement report the unit writes; the figures come from the data."""

    situation = forms.CharField(
        label=_("I. Đặc điểm tình hình"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
        help_text=_("Đặc điểm, tình hình của đơn vị; thuận lợi, khó khăn."),
    )
    achievements = forms.CharField(
        label=_("II. Thành tích đạt được"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=_(
            "Bảng số liệu chỉ tiêu, đăng ký và giao ước thi đua được điền sẵn; ở đây viết phần thuyết minh."
        ),
    )
    measures = forms.CharField(
        label=_("Biện pháp, giải pháp đã thực hiện"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    direction = forms.CharField(
        label=_("Phương hướng, nhiệm vụ thời gian tới"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    head_name = forms.CharField(
        label=_("Họ và tên thủ trưởng đơn vị (người ký)"), max_length=120, required=False
    )
    head_position = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=120,
        required=False,
        help_text=_("Ví dụ: Tổ trưởng tổ dân phố, Chủ tịch Hội, Hiệu trưởng."),
    )
    reported_on = DayMonthYearField(
        label=_("Ngày báo cáo"),
        required=False,
        help_text=_("Để trống: ngày in báo cáo."),
    )
    version = AsciiIntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp minh chứng"),
        help_text=_("PDF, JPEG hoặc PNG, tối đa %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // 1048576},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    description = forms.CharField(label=_("Mô tả"), max_length=300, required=False)


class CheckForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Kết quả kiểm tra"),
        choices=[("1", _("Đủ hồ sơ, đủ điều kiện")), ("0", _("Không đủ điều kiện"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ý kiến của Văn phòng"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(forms.Form):
    session = SafeModelChoiceField(label=_("Phiên họp Hội đồng"), queryset=CouncilSession.objects.none())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = CouncilSession.objects.filter(
            plan=plan, status=CouncilSession.Status.PLANNED
        ).order_by("held_on")


class SessionForm(forms.Form):
    name = forms.CharField(label=_("Tên phiên họp"), max_length=200)
    held_on = DayMonthYearField(label=_("Ngày họp"))
    starts_at = forms.TimeField(
        label=_("Giờ bắt đầu"),
        required=False,
        widget=HourMinuteInput(attrs={"class": "form-control form-control-sm"}),
    )
    ends_at = forms.TimeField(
        label=_("Giờ kết thúc"),
        required=False,
        widget=HourMinuteInput(attrs={"class": "form-control form-control-sm"}),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    minutes_number = forms.CharField(label=_("Số biên bản"), max_length=40, required=False)
    secretary_name = forms.CharField(label=_("Thư ký phiên họp"), max_length=120, required=False)


class MeetingHoursForm(forms.Form):
    """The meeting's start and end as the minutes print them, entered by the office."""

    starts_at = SessionForm.base_fields["starts_at"]
    ends_at = SessionForm.base_fields["ends_at"]


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Thành viên có mặt"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(r.member_id), str(r.member)) for r in rows]
        self.initial.setdefault("present", [str(r.member_id) for r in rows if r.present])


class BallotForm(forms.Form):
    """One radio group per agenda item; nothing is pre-selected and nothing is echoed back."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=f"{item.order}. {item.proposal.title} — {item.proposal.nominee} ({item.proposal.unit})",
                choices=CHOICES,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=40)
    signed_on = DayMonthYearField(label=_("Ngày ký"))


class HigherDecisionForm(DecisionForm):
    issuer = forms.CharField(label=_("Cấp quyết định"), max_length=160, required=False)
    awarded = forms.MultipleChoiceField(
        label=_("Được cấp trên khen thưởng"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded"].choices = [
            (str(p.pk), f"{p.title} — {p.nominee} ({p.unit})") for p in proposals
        ]
        self.initial.setdefault("awarded", [str(p.pk) for p in proposals])


class TitleForm(forms.ModelForm):
    class Meta:
        model = Title
        fields = TITLE_FIELDS
        widgets = {"criteria": forms.Textarea(attrs={"rows": 5})}


class OverviewFilter(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    title = SafeModelChoiceField(label=_("Danh hiệu"), queryset=Title.objects.all(), required=False)
    unit = SafeModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả"))] + list(Proposal.Status.choices)
        self.fields["unit"].queryset = units


class PostingChoiceForm(forms.Form):
    """Which list to post: a title, for one residential group or the whole ward (read from the query)."""

    title = SafeModelChoiceField(label=_("Danh hiệu"), queryset=Title.objects.all())
    unit = SafeModelChoiceField(
        label=_("Tổ dân phố"),
        queryset=Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL_GROUP).order_by("order", "name"),
        required=False,
        empty_label=_("— Danh sách chung của phường —"),
    )


class NomineeChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nominee} — {obj.unit} ({obj.get_status_display()})"


class PostingForm(forms.Form):
    posted_on = DayMonthYearField(label=_("Ngày niêm yết"))
    days = AsciiIntegerField(label=_("Số ngày công khai"), min_value=1, max_value=60, initial=10)
    number = forms.CharField(
        label=_("Số thông báo"),
        max_length=40,
        required=False,
        help_text=_("Ví dụ 15/TB-UBND; để trống khi chưa vào sổ văn bản."),
    )
    place = forms.CharField(
        label=_("Nơi niêm yết"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: nhà văn hóa tổ dân phố, bảng tin UBND phường."),
    )
    proposals = NomineeChoiceField(
        label=_("Đề nghị đưa vào danh sách"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.initial.setdefault("proposals", [p.pk for p in proposals])


class NomineeField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nominee} — {obj.unit}"


class PostingCommentForm(forms.Form):
    received_on = DayMonthYearField(label=_("Ngày nhận"))
    from_name = forms.CharField(
        label=_("Người góp ý"),
        max_length=160,
        required=False,
        help_text=_("Họ tên, địa chỉ; để trống: ẩn danh."),
    )
    proposal = NomineeField(
        label=_("Về trường hợp"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("— Cả danh sách —"),
    )
    text = forms.CharField(
        label=_("Nội dung ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    household = SafeModelChoiceField(
        label=_("Về hộ"),
        queryset=Household.objects.none(),
        required=False,
        empty_label=_("— Cả danh sách —"),
    )

    def __init__(self, *args, posting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = posting.proposals.select_related("unit").order_by(
            "unit__order", "nominee_name", "pk"
        )
        # A residential group's review posting lists households, not proposals.
        if posting.review_id:
            del self.fields["proposal"]
            self.fields["household"].queryset = Household.objects.filter(
                assessments__review_id=posting.review_id, assessments__qualified=True
            ).order_by("head_name", "pk")
        else:
            del self.fields["household"]


class CommentResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Cách giải quyết"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=300)


class CertificateLayoutForm(forms.Form):
    offset_x_mm = forms.DecimalField(
        label=_("Dịch ngang (mm)"),
        min_value=-50,
        max_value=50,
        decimal_places=1,
        localize=True,
        help_text=_("Số dương: sang phải."),
    )
    offset_y_mm = forms.DecimalField(
        label=_("Dịch dọc (mm)"),
        min_value=-50,
        max_value=50,
        decimal_places=1,
        localize=True,
        help_text=_("Số dương: xuống dưới."),
    )
    blank_mode = forms.BooleanField(label=_("In trên phôi in sẵn (chỉ in phần chữ thay đổi)"), required=False)
    version = AsciiIntegerField(widget=forms.HiddenInput, required=False)


class LegalTextForm(forms.ModelForm):
    """A legal text the documents cite while it is in force (awards.law.LegalText)."""

    version = AsciiIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LegalText
        fields = [*LEGAL_TEXT_FIELDS, "confirmed"]
        field_classes = {
            "signed_on": DayMonthYearField,
            "in_force_from": DayMonthYearField,
            "in_force_until": DayMonthYearField,
        }
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}


class TitleAuthorityForm(forms.ModelForm):
    """Who decides a title in a period, and on which basis (awards.law.TitleAuthority)."""

    version = AsciiIntegerField(widget=forms.HiddenInput, required=False)
    title = SafeModelChoiceField(label=_("Danh hiệu"), queryset=Title.objects.all())
    basis = SafeModelMultipleChoiceField(
        label=_("Căn cứ"),
        queryset=LegalText.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TitleAuthority
        fields = [*AUTHORITY_FIELDS, "basis", "confirmed"]
        field_classes = {"valid_from": DayMonthYearField, "valid_until": DayMonthYearField}


class OneOffDecisionForm(forms.Form):
    """A decision without a council session: its own subject (khen thưởng đột xuất, chuyên đề) and the
    proposals the office found eligible; for titles with no council vote the subject may stay empty."""

    subject = forms.CharField(
        label=_("Trích yếu"),
        max_length=400,
        required=False,
        help_text=_(
            "Ví dụ: Về việc khen thưởng đột xuất … Để trống với danh hiệu không qua Hội đồng biểu quyết."
        ),
    )
    proposals = SafeModelMultipleChoiceField(
        label=_("Trường hợp được khen thưởng"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.fields["proposals"].label_from_instance = lambda p: f"{p.title} — {p.nominee} ({p.unit})"


class DraftDecisionForm(forms.Form):
    """The number, date, subject and recipients of a draft, correctable until it is signed."""

    version = AsciiIntegerField(widget=forms.HiddenInput)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=40, required=False)
    signed_on = DayMonthYearField(label=_("Ngày ký"), required=False)
    subject = forms.CharField(label=_("Trích yếu"), max_length=400, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )


class CorrectionForm(forms.Form):
    """A correcting decision for a signed one: its own number and date, and what it corrects."""

    number = forms.CharField(label=_("Số, ký hiệu của quyết định đính chính"), max_length=40, required=False)
    signed_on = DayMonthYearField(label=_("Ngày ký quyết định đính chính"), required=False)
    new_number = forms.CharField(label=_("Số, ký hiệu đúng"), max_length=40, required=False)
    new_signed_on = DayMonthYearField(label=_("Ngày ký đúng"), required=False)
    new_subject = forms.CharField(label=_("Trích yếu đúng"), max_length=400, required=False)
