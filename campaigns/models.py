"""The yearly emulation plan (kế hoạch phát động thi đua) as data.

A plan is one year. Its text is kept paragraph by paragraph so that the portal can show and print it
as it was issued; next year's plan is made by copying one, never by editing history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .identity import WardIdentity  # noqa: F401  (the ward's identity row: campaigns/identity.py)


class Plan(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    number = models.CharField(_("số, ký hiệu"), max_length=40)
    place = models.CharField(_("địa danh"), max_length=80)
    issued_on = models.DateField(_("ngày ban hành"))
    document_type = models.CharField(_("loại văn bản"), max_length=40, default="KẾ HOẠCH")
    title = models.CharField(_("trích yếu"), max_length=400)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=120)
    preamble = models.TextField(_("phần mở đầu"), help_text=_("Các đoạn cách nhau bởi một dòng trống."))
    closing = models.TextField(_("lời kêu gọi"), blank=True)
    recipients = models.TextField(_("nơi nhận"), help_text=_("Mỗi dòng một nơi nhận."))
    signer_mandate = models.CharField(_("thẩm quyền ký"), max_length=80, default="TM. ỦY BAN NHÂN DÂN")
    signer_title = models.CharField(_("chức vụ người ký"), max_length=80, default="CHỦ TỊCH")
    signer_name = models.CharField(_("người ký"), max_length=120)
    # The ward's numbering of the documents the awards issue (Decree 30: "125/QĐ-UBND"), as data.
    decision_number_pattern = models.CharField(
        _("mẫu số quyết định"),
        max_length=120,
        default=r"^\d{1,4}/QĐ-UBND$",
        help_text=_("Biểu thức chính quy (regex) mà số, ký hiệu quyết định khen thưởng phải khớp."),
    )
    letter_number_pattern = models.CharField(
        _("mẫu số tờ trình"),
        max_length=120,
        default=r"^\d{1,4}/TTr-UBND$",
        help_text=_("Biểu thức chính quy (regex) mà số, ký hiệu tờ trình phải khớp."),
    )

    class Meta:
        verbose_name = _("kế hoạch thi đua")
        verbose_name_plural = _("kế hoạch thi đua")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="plan_year_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.year})"

    def preamble_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.preamble.split("\n\n") if p.strip()]

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class PlanSection(models.Model):
    """A numbered heading of the plan ("I. MỤC TIÊU, CHỈ TIÊU", "1. Mục đích:")."""

    class Role(models.TextChoices):
        TEXT = "text", _("Văn bản")
        CONTENTS = "contents", _("Nội dung phát động thi đua")
        TARGETS = "targets", _("Chỉ tiêu thi đua")
        TARGET_GROUP = "target_group", _("Nhóm chỉ tiêu")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(_("số mục"), max_length=10)
    heading = models.CharField(_("tiêu đề"), max_length=300)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.TEXT)
    target_group = models.CharField(
        _("nhóm chỉ tiêu"),
        max_length=20,
        blank=True,
        help_text=_("Với mục là nhóm chỉ tiêu: nhóm nào được liệt kê ở đây."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))

    class Meta:
        verbose_name = _("mục của kế hoạch")
        verbose_name_plural = _("mục của kế hoạch")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="plansection_unique_order"),
            models.CheckConstraint(
                condition=Q(role="target_group", target_group__gt="")
                | (~Q(role="target_group") & Q(target_group="")),
                name="plansection_group_only_for_group_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"


class PlanParagraph(models.Model):
    """One paragraph, bullet ("-", "+") or numbered item of a plan section."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="paragraphs")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    number = models.CharField(_("số thứ tự"), max_length=10, blank=True)
    bullet = models.CharField(_("gạch đầu dòng"), max_length=2, blank=True)
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("đoạn văn của kế hoạch")
        verbose_name_plural = _("đoạn văn của kế hoạch")
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="planparagraph_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class CampaignContent(models.Model):
    """One of the numbered campaign contents (II. Nội dung phát động thi đua, items 1–8)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contents")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    short_title = models.CharField(_("tên ngắn"), max_length=160)
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="content_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="content_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"


class PledgeWindow(models.Model):
    """When units may register their pledges for a plan year (set by the office)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="pledge_window")
    opens_on = models.DateField(_("mở đăng ký từ"))
    closes_on = models.DateField(_("hạn đăng ký"))

    class Meta:
        verbose_name = _("thời hạn đăng ký thi đua")
        verbose_name_plural = _("thời hạn đăng ký thi đua")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="pledgewindow_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}: {self.opens_on:%d/%m/%Y} – {self.closes_on:%d/%m/%Y}"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Pledge(models.Model):
    """A unit's registration for the year (đăng ký thi đua): titles aimed for and commitments."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        ACKNOWLEDGED = "acknowledged", _("Văn phòng đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="pledges")
    unit = models.ForeignKey("indicators.Unit", on_delete=models.PROTECT, related_name="pledges")
    collective_title = models.ForeignKey(
        "awards.Title",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("danh hiệu tập thể đăng ký"),
    )
    household_count = models.PositiveIntegerField(_("số hộ đăng ký Gia đình văn hóa"), null=True, blank=True)
    households = models.TextField(_("danh sách hộ đăng ký"), blank=True, help_text=_("Mỗi dòng một hộ."))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    reopened_until = models.DateField(_("mở lại đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["plan", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="pledge_one_per_unit_and_year"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="pledge_returned_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.plan.year}"

    def household_lines(self) -> list[str]:
        return [line.strip() for line in self.households.splitlines() if line.strip()]


class PledgedPerson(models.Model):
    """A person of the unit who registers for an individual title."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="people")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    title = models.ForeignKey(
        "awards.Title", on_delete=models.PROTECT, related_name="+", verbose_name=_("danh hiệu")
    )

    class Meta:
        verbose_name = _("cá nhân đăng ký")
        verbose_name_plural = _("cá nhân đăng ký")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.title}"


class Commitment(models.Model):
    """One commitment of a pledge or a covenant: a catalogue target with the unit's own figure, or text.

    Exactly one of `pledge` and `covenant` is set; a figure commitment names a target, a free-text one
    only has text.
    """

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, null=True, blank=True, related_name="commitments"
    )
    covenant = models.ForeignKey(
        "Covenant", on_delete=models.CASCADE, null=True, blank=True, related_name="commitments"
    )
    target = models.ForeignKey(
        "indicators.Target", on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    committed_value = models.DecimalField(
        _("chỉ tiêu đăng ký"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline = models.DecimalField(
        _("kết quả năm trước của đơn vị"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Cần cho chỉ tiêu “giảm còn”."),
    )
    text = models.TextField(_("nội dung cam kết"), blank=True)

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        ordering = ["target__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pledge__isnull=False, covenant__isnull=True)
                | Q(pledge__isnull=True, covenant__isnull=False),
                name="commitment_pledge_xor_covenant",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False, committed_value__isnull=False)
                | (Q(target__isnull=True) & ~Q(text="")),
                name="commitment_figure_or_text",
            ),
            models.CheckConstraint(
                condition=Q(committed_value__isnull=True) | Q(committed_value__gte=0),
                name="commitment_value_not_negative",
            ),
            models.UniqueConstraint(
                fields=["pledge", "target"],
                condition=Q(target__isnull=False),
                name="commitment_target_once_per_pledge",
            ),
            models.UniqueConstraint(
                fields=["covenant", "target"],
                condition=Q(target__isnull=False),
                name="commitment_target_once_per_covenant",
            ),
        ]

    def __str__(self) -> str:
        return self.text or f"{self.target.code}: {self.committed_value}"


class Covenant(models.Model):
    """A covenant (giao ước thi đua) signed by a cluster of units around shared commitments."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        OPEN = "open", _("Đang lấy xác nhận")
        SIGNED = "signed", _("Đã ký kết")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="covenants")
    title = models.CharField(_("tên giao ước"), max_length=300)
    text = models.TextField(_("nội dung giao ước"))
    lead_unit = models.ForeignKey(
        "indicators.Unit",
        on_delete=models.PROTECT,
        related_name="led_covenants",
        verbose_name=_("đơn vị chủ trì"),
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")
        ordering = ["plan", "title"]

    def __str__(self) -> str:
        return self.title


class CovenantMember(models.Model):
    """A unit that takes part in a covenant, and its confirmation."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey("indicators.Unit", on_delete=models.PROTECT, related_name="covenant_memberships")
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("đơn vị tham gia giao ước")
        verbose_name_plural = _("đơn vị tham gia giao ước")
        ordering = ["unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "unit"], name="covenant_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.covenant} — {self.unit}"


class ApiClient(models.Model):
    """A system of the higher level that reads the portal's JSON API (issue 10), one token per client.

    Only a SHA-256 hash of the token is stored: the raw token is shown once, by the
    `create_api_client` command, and cannot be read back. A client reads the plan years granted to it
    and nothing else; revoking it (``is_active``) refuses its token at once.
    """

    name = models.CharField(_("tên đơn vị, hệ thống"), max_length=120, unique=True)
    token_hash = models.CharField(_("mã băm của khóa truy cập"), max_length=64, unique=True, editable=False)
    plans = models.ManyToManyField(
        Plan, blank=True, related_name="api_clients", verbose_name=_("kế hoạch (năm) được đọc")
    )
    is_active = models.BooleanField(_("đang được dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ứng dụng đọc dữ liệu (API)")
        verbose_name_plural = _("ứng dụng đọc dữ liệu (API)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
