"""Units, people, data elements, targets and the values units report.

Units report *data values* (raw counts and amounts) per quarter; *targets* are computed from them
through their terms (DOMAIN.md §2). A unit never types a percentage it could compute from counts.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Figures: up to 16 digits before the decimal point (budget in đồng) and 4 after.
FIGURE = {"max_digits": 20, "decimal_places": 4}


class Unit(models.Model):
    """A reporting unit of the ward: an office, a mass organisation, a school, a residential group."""

    class Kind(models.TextChoices):
        WARD = "ward", _("Phường")
        OFFICE = "office", _("Ban, ngành, bộ phận")
        MASS_ORG = "mass_org", _("Mặt trận, đoàn thể")
        SCHOOL = "school", _("Trường học")
        HEALTH = "health", _("Y tế")
        SECURITY = "security", _("Công an, quân sự")
        RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=160)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A person's role in the portal and the units he works for."""

    class Role(models.TextChoices):
        LEADERSHIP = "leadership", _("Lãnh đạo UBND phường")
        OFFICE = "office", _("Văn phòng - Thống kê")
        OFFICIAL = "official", _("Cán bộ, công chức phường")
        GROUP_LEADER = "group_leader", _("Tổ trưởng tổ dân phố")
        COUNCIL = "council", _("Thành viên Hội đồng Thi đua - Khen thưởng")
        ADMIN = "admin", _("Quản trị hệ thống")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="people",
        verbose_name=_("đơn vị phụ trách"),
        help_text=_("Tổ trưởng: đúng một tổ dân phố. Cán bộ: các đơn vị mà người đó nhập số liệu."),
    )
    language = models.CharField(
        _("ngôn ngữ giao diện"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_("Mật khẩu tạm do văn phòng đặt lại: người dùng phải đổi khi đăng nhập."),
    )

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"


class ReportingPeriod(models.Model):
    """A quarter of a plan's year, with its opening date, deadline and lock."""

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.PROTECT, related_name="periods")
    quarter = models.PositiveSmallIntegerField(_("quý"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    opens_on = models.DateField(_("mở nhập liệu từ"))
    deadline = models.DateField(_("hạn nộp"))
    is_locked = models.BooleanField(_("đã khóa"), default=False)
    reopened_until = models.DateField(
        _("gia hạn nhập liệu đến"),
        null=True,
        blank=True,
        help_text=_("Văn phòng mở lại kỳ đã quá hạn cho đến ngày này."),
    )

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="period_unique_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"),
            models.CheckConstraint(condition=Q(starts_on__lt=F("ends_on")), name="period_dates_ordered"),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")), name="period_deadline_after_open"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Quý %(q)s/%(year)s") % {"q": self.roman_quarter, "year": self.plan.year}

    @property
    def roman_quarter(self) -> str:
        return ["I", "II", "III", "IV"][self.quarter - 1]

    @property
    def effective_deadline(self) -> date:
        """The deadline, or the office's extension when it is later."""
        if self.reopened_until and self.reopened_until > self.deadline:
            return self.reopened_until
        return self.deadline

    def is_open_on(self, day: date) -> bool:
        """Entry is open from the opening date to the (extended) deadline, unless the period is locked."""
        return not self.is_locked and self.opens_on <= day <= self.effective_deadline


class DataElement(models.Model):
    """A raw figure that units report each quarter (a count or an amount, never a computed rate)."""

    class Aggregation(models.TextChoices):
        FLOW = "flow", _("Cộng dồn các quý (lưu lượng)")
        STOCK = "stock", _("Số tại thời điểm, lấy quý gần nhất")

    class ValueType(models.TextChoices):
        COUNT = "count", _("Số nguyên")
        AMOUNT = "amount", _("Số thập phân")
        YES_NO = "yes_no", _("Đạt / không đạt")
        LEVEL = "level", _("Mức độ")

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.CASCADE, related_name="data_elements")
    code = models.CharField(_("mã"), max_length=30)
    name = models.CharField(_("tên số liệu"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=10, choices=Aggregation.choices)
    value_type = models.CharField(_("kiểu số liệu"), max_length=10, choices=ValueType.choices)
    max_value = models.DecimalField(_("giá trị tối đa"), null=True, blank=True, **FIGURE)
    description = models.TextField(_("hướng dẫn"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    units = models.ManyToManyField(
        Unit,
        through="Assignment",
        related_name="data_elements",
        verbose_name=_("đơn vị báo cáo"),
    )

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="element_unique_code_per_plan"),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(max_value__gt=0), name="element_max_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Assignment(models.Model):
    """Which unit reports which data element."""

    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        verbose_name = _("phân công báo cáo")
        verbose_name_plural = _("phân công báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["element", "unit"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.element.code}"


class Target(models.Model):
    """A target of the plan (chỉ tiêu thi đua), computed from data elements through its terms."""

    class Group(models.TextChoices):
        ECONOMIC = "economic", _("Lĩnh vực kinh tế")
        SOCIAL = "social", _("Lĩnh vực xã hội")
        ADMIN_REFORM = "admin_reform", _("Cải cách hành chính")
        DEFENCE = "defence", _("Quốc phòng, an ninh")

    class Kind(models.TextChoices):
        HEADING = "heading", _("Tiêu đề nhóm (không có số)")
        FLOW = "flow", _("Lưu lượng: cộng các đơn vị và các quý")
        STOCK = "stock", _("Số tại thời điểm: cộng các đơn vị ở quý gần nhất")
        RATIO = "ratio", _("Tỷ lệ: tổng tử số ÷ tổng mẫu số")
        DERIVED = "derived", _("Tính từ các chỉ tiêu khác")
        STANDARD = "standard", _("Chuẩn, mức độ: báo cáo gần nhất")
        WARD_VALUE = "ward_value", _("Giá trị chung của phường")

    class Comparator(models.TextChoices):
        GTE = "gte", _("≥ (đạt từ trở lên)")
        GT = "gt", _("> (trên)")
        LTE = "lte", _("≤ (giảm còn, không vượt)")
        APPROX = "approx", _("≈ (tham khảo)")
        MAINTAIN = "maintain", _("Duy trì")

    class Relation(models.TextChoices):
        COMPONENT = "component", _("Thành phần, cộng vào chỉ tiêu trên")
        SUBSET = "subset", _("Trong đó, không cộng thêm")
        DETAIL = "detail", _("Chi tiết, căn cứ của chỉ tiêu trên")

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    description = models.TextField(_("nội dung trong kế hoạch"), blank=True)
    group = models.CharField(_("lĩnh vực"), max_length=20, choices=Group.choices)
    content = models.ForeignKey(
        "campaigns.CampaignContent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("nội dung thi đua"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("chỉ tiêu cấp trên"),
    )
    relation = models.CharField(
        _("quan hệ với chỉ tiêu trên"), max_length=10, choices=Relation.choices, blank=True
    )
    kind = models.CharField(_("cách tính"), max_length=12, choices=Kind.choices)
    comparator = models.CharField(_("so sánh"), max_length=10, choices=Comparator.choices)
    target_value = models.DecimalField(_("chỉ tiêu kế hoạch"), null=True, blank=True, **FIGURE)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    scale = models.DecimalField(
        _("hệ số"),
        max_digits=10,
        decimal_places=4,
        default=Decimal(1),
        help_text=_("Tỷ lệ phần trăm: 100; năng suất tạ/ha từ tấn và ha: 10."),
    )
    is_share = models.BooleanField(
        _("tử số là một phần của mẫu số"),
        default=True,
        help_text=_(
            "Với chỉ tiêu tỷ lệ: tử số không thể vượt mẫu số (hộ nghèo trong tổng số hộ). "
            "Bỏ chọn khi có thể vượt (tuyển quân vượt chỉ tiêu)."
        ),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    # Pace profile (DOMAIN §2): the percent of a flow's yearly figure expected by the end of quarters
    # I-III (quarter IV is always 100 %). Empty: 25/50/75 %. The office sets it where the year is not
    # even (rice has two harvests) through `services.set_pace`, which also stamps `revised_at` so that
    # cached roll-ups are recomputed at once.
    pace_q1 = models.DecimalField(
        _("tiến độ cần đạt hết quý I (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pace_q2 = models.DecimalField(
        _("tiến độ cần đạt hết quý II (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pace_q3 = models.DecimalField(
        _("tiến độ cần đạt hết quý III (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    revised_at = models.DateTimeField(_("lần điều chỉnh gần nhất"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("chỉ tiêu thi đua")
        verbose_name_plural = _("chỉ tiêu thi đua")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code_per_plan"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="target_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["heading", "standard"]) | Q(target_value__isnull=False),
                name="target_value_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind="heading") | Q(target_value__isnull=True), name="target_heading_no_value"
            ),
            models.CheckConstraint(condition=Q(scale__gt=0), name="target_scale_positive"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, relation="") | Q(parent__isnull=False, relation__gt=""),
                name="target_relation_iff_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="target_not_own_parent"),
            models.CheckConstraint(
                condition=Q(pace_q1__isnull=True, pace_q2__isnull=True, pace_q3__isnull=True)
                | Q(
                    kind="flow",
                    # NULL compares to unknown, which a CHECK lets through: say "set" explicitly.
                    pace_q1__isnull=False,
                    pace_q2__isnull=False,
                    pace_q3__isnull=False,
                    pace_q1__gte=0,
                    pace_q2__gte=F("pace_q1"),
                    pace_q3__gte=F("pace_q2"),
                    pace_q3__lte=100,
                ),
                name="target_pace_profile_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.display_name}"

    # The catalogue shortens the plan's "đạt từ 93% trở lên" to "(từ … trở lên)": the name keeps the
    # plan's wording as data, and pages show it with the figure in place of the ellipsis.
    FROM_PLACEHOLDER = "(từ … trở lên)"

    @property
    def display_name(self) -> str:
        """The name as pages show it: "Sản lượng thủy sản (từ 180 tấn trở lên)", never "(từ … trở lên)"."""
        if self.FROM_PLACEHOLDER not in self.name:
            return self.name
        # A copy judged against a unit's own goal keeps the plan's figure in its name.
        value = getattr(self, "plan_target_value", self.target_value)
        if value is None:
            return self.name.replace(f" {self.FROM_PLACEHOLDER}", "").replace(self.FROM_PLACEHOLDER, "")
        from .templatetags.vn import format_number

        unit = self.unit_of_measure
        figure = format_number(value)
        figure = f"{figure}%" if unit == "%" else f"{figure} {unit}".strip()
        return self.name.replace(self.FROM_PLACEHOLDER, f"(từ {figure} trở lên)")

    @property
    def is_heading(self) -> bool:
        return self.kind == self.Kind.HEADING

    @property
    def pace_profile(self) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
        """The office's profile as percents after quarters I-IV, or None for the even 25/50/75/100 %."""
        if self.pace_q1 is None:
            return None
        return (self.pace_q1, self.pace_q2, self.pace_q3, Decimal(100))

    @property
    def comparator_symbol(self) -> str:
        return {"gte": "≥", "gt": ">", "lte": "≤", "approx": "≈", "maintain": "="}[self.comparator]


class TargetTerm(models.Model):
    """One term of a target's formula: a data element or another target, on one side of the fraction.

    value = Σ coefficient × numerator terms [÷ Σ coefficient × denominator terms] × scale.
    """

    class Role(models.TextChoices):
        NUMERATOR = "numerator", _("Tử số")
        DENOMINATOR = "denominator", _("Mẫu số")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="terms")
    role = models.CharField(_("vị trí"), max_length=12, choices=Role.choices, default=Role.NUMERATOR)
    element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    source_target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, blank=True, related_name="used_in_terms"
    )
    coefficient = models.DecimalField(_("hệ số"), max_digits=10, decimal_places=4, default=Decimal(1))

    class Meta:
        verbose_name = _("thành phần công thức")
        verbose_name_plural = _("thành phần công thức")
        constraints = [
            models.CheckConstraint(
                condition=Q(element__isnull=False, source_target__isnull=True)
                | Q(element__isnull=True, source_target__isnull=False),
                name="term_element_xor_target",
            ),
            models.CheckConstraint(condition=~Q(coefficient=0), name="term_coefficient_nonzero"),
        ]

    def __str__(self) -> str:
        source = self.element.code if self.element_id else self.source_target.code
        return f"{self.target.code}: {self.get_role_display()} {self.coefficient:+} × {source}"


class Baseline(models.Model):
    """The previous year's result of a target, entered by the office (needed for "giảm còn")."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="baseline")
    value = models.DecimalField(_("kết quả năm trước"), **FIGURE)
    note = models.CharField(_("nguồn, ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kết quả năm trước")
        verbose_name_plural = _("kết quả năm trước")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="baseline_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target.code}: {self.value}"


class Report(models.Model):
    """A unit's report for one quarter: the container of its data values and its workflow state."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Bị trả lại")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        _("phiên bản"), default=1, help_text=_("Tăng sau mỗi lần lưu, để phát hiện hai người sửa cùng lúc.")
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    reviewed_at = models.DateTimeField(_("duyệt/trả lại lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt/trả lại"),
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    reopened_until = models.DateField(
        _("mở lại đến ngày"),
        null=True,
        blank=True,
        help_text=_("Văn phòng mở lại riêng báo cáo này (kể cả khi kỳ đã khóa) cho đến ngày này."),
    )

    class Meta:
        verbose_name = _("báo cáo quý")
        verbose_name_plural = _("báo cáo quý")
        ordering = ["period", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="report_unique_unit_period"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="report_returned_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    def is_late(self, today: date) -> bool:
        """Submitted after the period's (extended) deadline, or still not submitted past it."""
        deadline = self.period.effective_deadline
        if self.submitted_at:
            return timezone.localdate(self.submitted_at) > deadline
        return today > deadline


class ReportedValue(models.Model):
    """One data value of a unit for one quarter (one row per unit × element × period)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("giá trị"), **FIGURE)
    comment = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("số liệu đã báo cáo")
        verbose_name_plural = _("số liệu đã báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["report", "element"], name="value_unique_per_report"),
            models.CheckConstraint(condition=Q(value__gte=0), name="value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.element.code} = {self.value}"


class ValueChange(models.Model):
    """The audit trail of a reported figure: who changed it, when, from what to what, and why."""

    class Source(models.TextChoices):
        FORM = "form", _("Nhập trên biểu mẫu")
        IMPORT = "import", _("Nhập từ tệp Excel")
        REOPEN = "reopen", _("Sửa sau khi mở lại")
        ADMIN = "admin", _("Quản trị")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="changes")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="changes")
    old_value = models.DecimalField(_("giá trị cũ"), null=True, blank=True, **FIGURE)
    new_value = models.DecimalField(_("giá trị mới"), null=True, blank=True, **FIGURE)
    old_comment = models.TextField(_("ghi chú cũ"), blank=True)
    new_comment = models.TextField(_("ghi chú mới"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người sửa")
    )
    changed_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    reason = models.TextField(_("lý do, ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử thay đổi số liệu")
        verbose_name_plural = _("lịch sử thay đổi số liệu")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.element.code}: {self.old_value} → {self.new_value}"


class ActionLog(models.Model):
    """One row per workflow step (submitted, approved, returned, reopened, locked, reminded).

    Written only through `indicators.audit.log_action`, never from signals or save().
    """

    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.Model):
    """An in-app reminder for one person (a period opening, a deadline, a returned report, ...)."""

    class Kind(models.TextChoices):
        PERIOD_OPEN = "period_open", _("Mở kỳ báo cáo")
        DEADLINE = "deadline", _("Sắp hết hạn nộp")
        REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
        REPORT_APPROVED = "report_approved", _("Báo cáo đã được duyệt")
        REMINDER = "reminder", _("Nhắc nộp báo cáo")
        PLEDGE_TO_ACKNOWLEDGE = "pledge_submitted", _("Bản đăng ký chờ tiếp nhận")
        COUNCIL_SESSION = "council_session", _("Phiên họp Hội đồng")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("nội dung"), max_length=400)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    key = models.CharField(
        _("khóa chống trùng"), max_length=120, help_text=_("Cùng một sự việc chỉ nhắc một người một lần.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    mail_failed_at = models.DateTimeField(_("gửi thư lỗi lúc"), null=True, blank=True)
    mail_error = models.CharField(_("lỗi gửi thư"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_and_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
