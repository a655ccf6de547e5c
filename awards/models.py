"""Year-end awards: the titles the ward handles (as data, editable by the office), proposals, the
council's sessions with secret ballot, and decisions (DOMAIN.md §4).
"""

import os
import re
import secrets
import unicodedata
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Title(models.Model):
    """An emulation title or award form (danh hiệu, hình thức khen thưởng), with its rules as data.

    Quotas and vote thresholds follow the law as the ward applies it, so they are rows the office
    edits, not constants in code.
    """

    class ForWhom(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        COLLECTIVE = "collective", _("Tập thể")
        HOUSEHOLD = "household", _("Hộ gia đình")
        RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")

    class DecidedBy(models.TextChoices):
        """A fallback only: who decides on a date is the law's data (awards.law.authority_for)."""

        WARD_CHAIRMAN = "ward", _("Chủ tịch UBND phường")
        DISTRICT_CHAIRMAN = "district", _("Cấp trên (phường đề nghị)")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên danh hiệu"), max_length=160)
    for_whom = models.CharField(_("đối tượng"), max_length=20, choices=ForWhom.choices)
    decided_by = models.CharField(
        _("thẩm quyền quyết định (dự phòng)"),
        max_length=10,
        choices=DecidedBy.choices,
        help_text=_("Chỉ dùng khi chưa có thẩm quyền theo thời kỳ trong trang Văn bản pháp luật."),
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    criteria = models.TextField(_("tiêu chuẩn"), blank=True, help_text=_("Mỗi dòng một tiêu chí."))
    requires_pledge = models.BooleanField(_("phải đăng ký thi đua"), default=True)
    requires_posting = models.BooleanField(
        _("phải niêm yết công khai trước khi quyết định"),
        default=False,
        help_text=_(
            "Danh sách đề nghị phải được niêm yết công khai (thường 10 ngày, Nghị định 86/2023/NĐ-CP) và "
            "ý kiến nhận được phải có cách giải quyết trước khi quyết định hoặc trình cấp trên."
        ),
    )
    requires_pledge_kept = models.BooleanField(
        _("phải hoàn thành chỉ tiêu đã đăng ký"),
        default=True,
        help_text=_(
            "Với danh hiệu tập thể và tổ dân phố: đơn vị phải hoàn thành các chỉ tiêu trong bản đăng ký "
            "thi đua, đọc từ số liệu báo cáo."
        ),
    )
    prerequisite = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phải đạt danh hiệu trong năm"),
    )
    earlier_title = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phải đạt danh hiệu các năm trước"),
        help_text=_("Ví dụ: đạt danh hiệu này liên tục trong số năm liền trước ghi ở dưới (sổ khen thưởng)."),
    )
    earlier_years = models.PositiveSmallIntegerField(
        _("số năm liền trước"), default=0, help_text=_("0: không xét các năm trước.")
    )
    quota_percent = models.DecimalField(
        _("tỷ lệ tối đa (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Ví dụ Chiến sĩ thi đua cơ sở: không quá 15% số Lao động tiên tiến của đơn vị."),
    )
    quota_base = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tính tỷ lệ trên số"),
    )
    vote_threshold_percent = models.DecimalField(
        _("ngưỡng biểu quyết (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        help_text=_("Tính trên tổng số thành viên Hội đồng, không phải số có mặt."),
    )
    vote_threshold_strict = models.BooleanField(
        _("phải vượt ngưỡng"), default=True, help_text=_("Bật: trên 50%. Tắt: từ 50% trở lên.")
    )
    requires_achievement_report = models.BooleanField(
        _("phải có báo cáo thành tích"),
        default=False,
        help_text=_(
            "Hồ sơ đề nghị kèm báo cáo thành tích của đơn vị (danh hiệu tập thể, tổ dân phố văn hóa, "
            "Chiến sĩ thi đua cơ sở); cổng thông tin điền sẵn số liệu, đơn vị viết phần thuyết minh."
        ),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("danh hiệu thi đua")
        verbose_name_plural = _("danh hiệu thi đua")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True) | Q(quota_percent__gt=0, quota_percent__lte=100),
                name="title_quota_in_range",
            ),
            models.CheckConstraint(
                condition=Q(vote_threshold_percent__gt=0, vote_threshold_percent__lte=100),
                name="title_threshold_in_range",
            ),
            models.CheckConstraint(
                condition=Q(earlier_title__isnull=True, earlier_years=0)
                | Q(earlier_title__isnull=False, earlier_years__gte=1, earlier_years__lte=10),
                name="title_earlier_years_with_title",
            ),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True) | Q(quota_base__isnull=False),
                name="title_quota_has_base",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def criteria_lines(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]

    @property
    def names_a_person(self) -> bool:
        """Individual and household titles name someone; collective ones go to the unit itself."""
        return self.for_whom in (self.ForWhom.INDIVIDUAL, self.ForWhom.HOUSEHOLD)

    @property
    def decided_by_ward(self) -> bool:
        return self.decided_by == self.DecidedBy.WARD_CHAIRMAN


def normalise_name(text: str) -> str:
    """A name as people match it: Unicode NFC, case and spacing ignored ("Phạm  thị Lan" = "Phạm Thị Lan")."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


class Council(models.Model):
    """The ward's emulation and commendation council (Hội đồng Thi đua - Khen thưởng phường).

    Its quorum is a fraction of the total membership, kept as data (design default two thirds).
    """

    name = models.CharField(_("tên Hội đồng"), max_length=160, default="Hội đồng Thi đua - Khen thưởng")
    issuer = models.CharField(
        _("tên trên văn bản"),
        max_length=120,
        default="Hội đồng Thi đua - Khen thưởng",
        help_text=_("Dòng cơ quan ban hành của biên bản, dưới dòng UBND phường."),
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("tử số của tỷ lệ tối thiểu dự họp"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("mẫu số của tỷ lệ tối thiểu dự họp"), default=3)
    higher_authority = models.CharField(
        _("cấp trên nhận tờ trình"), max_length=160, default="Chủ tịch Ủy ban nhân dân thị xã Đức Phổ"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("Hội đồng Thi đua - Khen thưởng")
        verbose_name_plural = _("Hội đồng Thi đua - Khen thưởng")
        ordering = ["-is_active", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_numerator__gte=1, quorum_numerator__lte=F("quorum_denominator")),
                name="council_quorum_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A person of the council (a portal user) and his role in it."""

    class Role(models.TextChoices):
        CHAIRMAN = "chairman", _("Chủ tịch Hội đồng")
        VICE_CHAIRMAN = "vice_chairman", _("Phó Chủ tịch Hội đồng")
        MEMBER = "member", _("Ủy viên")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_memberships"
    )
    role = models.CharField(_("chức danh trong Hội đồng"), max_length=16, choices=Role.choices)
    position = models.CharField(_("chức vụ"), max_length=160, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang là thành viên"), default=True)

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        ordering = ["council", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="councilmember_once"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(role="chairman", is_active=True), name="council_one_chairman"
            ),
        ]

    def __str__(self) -> str:
        from indicators.templatetags.vn import person_name

        return f"{person_name(self.user)} — {self.get_role_display()}"


class Decision(models.Model):
    """A document that awards titles: the ward chairman's decision (quyết định), the proposal letter to
    the higher level (tờ trình), or the higher level's decision once it arrives.

    A decision of the ward is a draft until it is signed: its number, date and summary line (trích yếu)
    may be corrected while it is a draft, and are locked once it is signed. The registry is written at
    signing. A signed decision is corrected only by another decision that names it in `corrects`.
    Most decisions settle a council session's outcome; one for titles whose procedure has no council
    vote (Gia đình văn hóa, Nghị định 86/2023) or a one-off award (khen thưởng đột xuất, chuyên đề) has
    no session and lists its own proposals.
    """

    class Kind(models.TextChoices):
        WARD = "ward", _("Quyết định khen thưởng của Chủ tịch UBND phường")
        LETTER = "letter", _("Tờ trình đề nghị cấp trên khen thưởng")
        HIGHER = "higher", _("Quyết định khen thưởng của cấp trên")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SIGNED = "signed", _("Đã ký")

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.PROTECT, related_name="award_decisions")
    session = models.ForeignKey(
        "CouncilSession", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("số, ký hiệu"), max_length=40, blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    subject = models.CharField(
        _("trích yếu"),
        max_length=400,
        blank=True,
        help_text=_("Ví dụ: Về việc khen thưởng đột xuất … Để trống: khen thưởng tổng kết năm."),
    )
    issuer = models.CharField(_("người có thẩm quyền"), max_length=160)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    proposals = models.ManyToManyField(
        "Proposal", blank=True, related_name="decisions", verbose_name=_("danh sách khen thưởng")
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correcting_decisions",
        verbose_name=_("đính chính quyết định"),
    )
    changes = models.JSONField(
        _("nội dung đính chính"),
        default=dict,
        blank=True,
        help_text=_("Số, ngày, trích yếu mới của quyết định được đính chính."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyết định, tờ trình")
        verbose_name_plural = _("quyết định, tờ trình")
        ordering = ["plan", "signed_on", "pk"]
        constraints = [
            # A session has one decision of each kind; decisions without a session are many per plan.
            models.UniqueConstraint(fields=["session", "kind"], name="decision_one_per_kind_and_session"),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(number="") & Q(signed_on__isnull=False)),
                name="decision_signed_has_number_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number or '…'}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class Proposal(models.Model):
    """A unit's proposal of itself, one of its people or one of its households for a title (đề nghị)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi, chờ kiểm tra")
        RETURNED = "returned", _("Bị trả lại")
        CHECKED = "checked", _("Văn phòng đã kiểm tra")
        FORWARDED = "forwarded", _("Đã chuyển Hội đồng")
        PASSED = "passed", _("Hội đồng thông qua")
        REJECTED = "rejected", _("Hội đồng không thông qua")
        PROPOSED_UP = "proposed_up", _("Đã trình cấp trên")
        AWARDED = "awarded", _("Đã khen thưởng")
        NOT_AWARDED = "not_awarded", _("Cấp trên không khen thưởng")

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.PROTECT, related_name="award_proposals")
    unit = models.ForeignKey("indicators.Unit", on_delete=models.PROTECT, related_name="award_proposals")
    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("danh hiệu")
    )
    nominee_name = models.CharField(
        _("họ và tên / chủ hộ"),
        max_length=160,
        blank=True,
        help_text=_("Cá nhân: họ và tên; hộ gia đình: tên chủ hộ. Để trống khi đề nghị cho chính đơn vị."),
    )
    nominee_position = models.CharField(_("chức vụ, địa chỉ"), max_length=160, blank=True)
    household = models.ForeignKey(
        "Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("hộ gia đình"),
        help_text=_(
            "Hộ trong sổ hộ gia đình của tổ, nhận ra từ tên chủ hộ và địa chỉ: sổ khen thưởng các năm "
            "trước được đọc theo hộ, không theo tên (hai hộ có thể cùng tên chủ hộ)."
        ),
    )
    achievements = models.TextField(_("tóm tắt thành tích"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    office_eligible = models.BooleanField(_("đủ điều kiện (Văn phòng)"), null=True, blank=True)
    office_note = models.TextField(_("ý kiến của Văn phòng"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    letter = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_proposals",
        verbose_name=_("tờ trình"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["plan", "title__order", "unit__order", "nominee_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="proposal_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["checked", "forwarded"]) | Q(office_eligible__isnull=False),
                name="proposal_checked_has_verdict",
            ),
            models.UniqueConstraint(
                fields=["plan", "unit", "title", "nominee_name"], name="proposal_once_per_nominee_and_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.nominee}"

    @property
    def nominee(self) -> str:
        """Who would receive the title: the person or household named, or the unit itself."""
        return self.nominee_name or self.unit.name

    @property
    def nominee_key(self) -> str:
        return normalise_name(self.nominee_name)


class AchievementReport(models.Model):
    """What the unit writes in its achievement report (báo cáo thành tích) for one proposal.

    The figures (targets, pledge and covenant fulfilment, earlier awards, evidence) are never stored
    here: they are read from the data each time the report is shown or printed (awards.achievements).
    """

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="achievement_report")
    situation = models.TextField(_("đặc điểm tình hình"), blank=True)
    achievements = models.TextField(_("thành tích đạt được"), blank=True)
    measures = models.TextField(_("biện pháp, giải pháp đã thực hiện"), blank=True)
    direction = models.TextField(_("phương hướng, nhiệm vụ thời gian tới"), blank=True)
    head_name = models.CharField(_("họ và tên thủ trưởng đơn vị"), max_length=120, blank=True)
    head_position = models.CharField(
        _("chức vụ người ký"), max_length=120, blank=True, help_text=_("Ví dụ: Tổ trưởng tổ dân phố.")
    )
    reported_on = models.DateField(
        _("ngày báo cáo"), null=True, blank=True, help_text=_("Để trống: ngày in báo cáo.")
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo thành tích")
        verbose_name_plural = _("báo cáo thành tích")

    def __str__(self) -> str:
        return str(self.proposal)


class Posting(models.Model):
    """A public posting (đợt công khai) of the proposals for one title: a residential group's list,
    posted at the group, or a ward-wide list (DOMAIN.md §4, Nghị định 86/2023/NĐ-CP).

    The period is counted as the Civil Code counts days (Bộ luật Dân sự 2015, Điều 147–148): the day
    of posting is not counted, and the period ends at the end of its last day, `posted_on + days`.
    Comments received from the day of posting to that last day belong to it; a decision may be signed
    from the next day on.
    """

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.PROTECT, related_name="award_postings")
    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, related_name="postings", verbose_name=_("danh hiệu")
    )
    unit = models.ForeignKey(
        "indicators.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_postings",
        verbose_name=_("tổ dân phố"),
        help_text=_("Tổ dân phố niêm yết danh sách; để trống: danh sách chung của phường."),
    )
    number = models.CharField(_("số thông báo"), max_length=40, blank=True)
    place = models.CharField(_("nơi niêm yết"), max_length=200, blank=True)
    posted_on = models.DateField(_("ngày niêm yết"))
    days = models.PositiveSmallIntegerField(_("số ngày công khai"), default=10)
    proposals = models.ManyToManyField(
        Proposal, related_name="postings", verbose_name=_("đề nghị được công khai")
    )
    review = models.ForeignKey(
        "HouseholdReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("cuộc họp bình xét"),
        help_text=_("Danh sách hộ đạt trong cuộc họp bình xét của tổ dân phố (Gia đình văn hóa)."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đợt công khai")
        verbose_name_plural = _("đợt công khai")
        ordering = ["-posted_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=60), name="posting_days_in_range"),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else _("toàn phường")
        return f"{self.title} — {where} ({self.posted_on:%d/%m/%Y})"

    @property
    def ends_on(self) -> date:
        """The last day of the posting (comments are received up to the end of this day)."""
        return self.posted_on + timedelta(days=self.days)

    @property
    def decidable_on(self) -> date:
        """The first day a decision may be signed on the posted proposals."""
        return self.ends_on + timedelta(days=1)

    def is_over(self, on: date) -> bool:
        return on > self.ends_on

    def days_left(self, on: date) -> int:
        """Whole days of the period still to run after `on` (0 on its last day and once it is over)."""
        return max(0, min(self.days, (self.ends_on - on).days))

    def accepts(self, received_on: date) -> bool:
        return self.posted_on <= received_on <= self.ends_on


class PostingComment(models.Model):
    """A comment received while a list was posted (ý kiến nhận được), and how it was settled."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="comments")
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posting_comments",
        verbose_name=_("về trường hợp"),
        help_text=_("Để trống khi ý kiến nói về cả danh sách."),
    )
    household = models.ForeignKey(
        "Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posting_comments",
        verbose_name=_("về hộ gia đình"),
    )
    received_on = models.DateField(_("ngày nhận"))
    from_name = models.CharField(
        _("người góp ý"), max_length=160, help_text=_("Họ tên, địa chỉ; hoặc “ẩn danh”.")
    )
    text = models.TextField(_("nội dung ý kiến"))
    response = models.TextField(_("cách giải quyết"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến trong thời gian công khai")
        verbose_name_plural = _("ý kiến trong thời gian công khai")
        ordering = ["posting", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="postingcomment_has_text"),
            models.CheckConstraint(condition=~Q(from_name=""), name="postingcomment_has_sender"),
            models.CheckConstraint(
                condition=Q(response="", responded_at__isnull=True, responded_by__isnull=True)
                | (~Q(response="") & Q(responded_at__isnull=False, responded_by__isnull=False)),
                name="postingcomment_response_with_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_name} ({self.received_on:%d/%m/%Y})"

    @property
    def answered(self) -> bool:
        return bool(self.response)


class CouncilSession(models.Model):
    """A meeting of the council (phiên họp) with its agenda of forwarded proposals.

    Planned → open for voting (only with a quorum present) → closed. Closing freezes the tally: the
    services refuse every change to a closed session, and a closed session has `closed_at`.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đang chuẩn bị")
        OPEN = "open", _("Đang biểu quyết")
        CLOSED = "closed", _("Đã kết thúc")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    plan = models.ForeignKey("campaigns.Plan", on_delete=models.PROTECT, related_name="council_sessions")
    name = models.CharField(_("tên phiên họp"), max_length=200)
    held_on = models.DateField(_("ngày họp"))
    # The meeting's hours as the office records them for the minutes (not the moment a button was clicked).
    starts_at = models.TimeField(_("giờ bắt đầu họp"), null=True, blank=True)
    ends_at = models.TimeField(_("giờ kết thúc họp"), null=True, blank=True)
    # No default: awards.voting.create_session takes the hall of the ward's identity.
    place = models.CharField(_("địa điểm"), max_length=200)
    minutes_number = models.CharField(_("số biên bản"), max_length=40, blank=True)
    secretary_name = models.CharField(_("thư ký phiên họp"), max_length=120, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    quorum_numerator = models.PositiveSmallIntegerField(_("tử số tỷ lệ tối thiểu dự họp"))
    quorum_denominator = models.PositiveSmallIntegerField(_("mẫu số tỷ lệ tối thiểu dự họp"))
    member_count = models.PositiveSmallIntegerField(
        _("tổng số thành viên"), null=True, blank=True, help_text=_("Chốt khi bắt đầu biểu quyết.")
    )
    present_count = models.PositiveSmallIntegerField(_("số thành viên có mặt"), null=True, blank=True)
    opened_at = models.DateTimeField(_("bắt đầu biểu quyết lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="session_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(member_count__isnull=False, present_count__isnull=False),
                name="session_counts_frozen_when_voting",
            ),
            models.CheckConstraint(
                condition=Q(quorum_numerator__gte=1, quorum_numerator__lte=F("quorum_denominator")),
                name="session_quorum_fraction",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on:%d/%m/%Y})"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class SessionMember(models.Model):
    """A council member as listed for one session, and whether he is present at the meeting."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"), default=False)

    class Meta:
        verbose_name = _("thành viên dự họp")
        verbose_name_plural = _("thành viên dự họp")
        ordering = ["session", "member__order", "member__pk"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="sessionmember_once")]

    def __str__(self) -> str:
        return str(self.member)


class AgendaItem(models.Model):
    """A proposal on a session's agenda, with its anonymous tally.

    The tally is three counters, incremented inside the transaction that records the member's
    BallotCast: no row, timestamp or ordering connects a choice to the member who made it. At close
    the threshold in force is copied here and the result frozen.
    """

    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="agenda")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="agenda_item")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    agree = models.PositiveSmallIntegerField(_("đồng ý"), default=0)
    disagree = models.PositiveSmallIntegerField(_("không đồng ý"), default=0)
    abstain = models.PositiveSmallIntegerField(_("không có ý kiến"), default=0)
    threshold_percent = models.DecimalField(
        _("ngưỡng biểu quyết áp dụng (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    threshold_strict = models.BooleanField(_("phải vượt ngưỡng"), null=True, blank=True)
    passed = models.BooleanField(_("thông qua"), null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung biểu quyết")
        verbose_name_plural = _("nội dung biểu quyết")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.session} — {self.proposal}"

    @property
    def ballots(self) -> int:
        return self.agree + self.disagree + self.abstain


class BallotCast(models.Model):
    """THAT a member voted on an agenda item — never HOW: there is deliberately no choice field here,
    and no timestamp (the choice went into the item's counters in the same transaction)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="casts")
    member = models.ForeignKey(SessionMember, on_delete=models.PROTECT, related_name="casts")
    written = models.BooleanField(
        _("ý kiến bằng văn bản"),
        default=False,
        help_text=_("Thành viên vắng mặt gửi ý kiến trước khi kết thúc."),
    )

    class Meta:
        verbose_name = _("phiếu đã bỏ")
        verbose_name_plural = _("phiếu đã bỏ")
        ordering = ["item", "member__member__order", "member__member__pk"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="ballot_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} — {self.item.proposal}"


def new_verify_token() -> str:
    """The code in a certificate's QR link: random (not the pk, not guessable), URL-safe, 24 characters."""
    return secrets.token_urlsafe(18)


class CertificateLayout(models.Model):
    """How the office prints certificates (one row): shifted by x/y millimetres to meet the ward's
    pre-printed blanks, and in "blank" mode only the variable text, the blank carrying the rest."""

    offset_x_mm = models.DecimalField(
        _("dịch ngang (mm)"), max_digits=4, decimal_places=1, default=Decimal(0)
    )
    offset_y_mm = models.DecimalField(_("dịch dọc (mm)"), max_digits=4, decimal_places=1, default=Decimal(0))
    blank_mode = models.BooleanField(
        _("in trên phôi in sẵn"),
        default=False,
        help_text=_("Chỉ in phần chữ thay đổi (tên, số quyết định...)."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)

    class Meta:
        verbose_name = _("cách in giấy khen")
        verbose_name_plural = _("cách in giấy khen")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    offset_x_mm__gte=-50, offset_x_mm__lte=50, offset_y_mm__gte=-50, offset_y_mm__lte=50
                ),
                name="certificate_offsets_within_50mm",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "CertificateLayout":
        return cls.objects.order_by("pk").first() or cls()


class AwardRecord(models.Model):
    """The registry (sổ khen thưởng): a title awarded, read by later years' criteria.

    Written by the decision services for the portal's own proposals; earlier years are entered by the
    office in the admin from the paper decisions.
    """

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, related_name="records", verbose_name=_("danh hiệu")
    )
    unit = models.ForeignKey(
        "indicators.Unit", on_delete=models.PROTECT, related_name="award_records", verbose_name=_("đơn vị")
    )
    nominee_name = models.CharField(
        _("họ và tên / chủ hộ"), max_length=160, blank=True, help_text=_("Để trống khi khen chính đơn vị.")
    )
    nominee_position = models.CharField(_("chức vụ, địa chỉ"), max_length=160, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40)
    decided_on = models.DateField(_("ngày quyết định"))
    decided_by = models.CharField(_("cấp quyết định"), max_length=160)
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="award_record"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    household = models.ForeignKey(
        "Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_records",
        verbose_name=_("hộ gia đình"),
        help_text=_("Hộ trong sổ hộ gia đình của tổ dân phố (danh hiệu Gia đình văn hóa)."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("vào sổ lúc"), default=timezone.now)
    # Issue 15 item 4: the certificate's number in the register and its public verification code.
    register_number = models.PositiveIntegerField(
        _("số vào sổ"), null=True, blank=True, editable=False, help_text=_("Theo thứ tự vào sổ trong năm.")
    )
    verify_token = models.CharField(
        _("mã xác minh"), max_length=32, unique=True, default=new_verify_token, editable=False
    )
    revoked = models.BooleanField(_("đã thu hồi"), default=False)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("sổ khen thưởng")
        verbose_name_plural = _("sổ khen thưởng")
        ordering = ["-year", "title__order", "unit__order", "nominee_name"]
        constraints = [
            # Two households of a group may share the head's name: they are told apart by the register.
            models.UniqueConstraint(
                fields=["year", "title", "unit", "nominee_name"],
                condition=Q(household__isnull=True),
                name="award_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "title", "household"],
                condition=Q(household__isnull=False),
                name="award_once_per_year_and_household",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="award_year_in_range"),
            models.UniqueConstraint(
                fields=["year", "register_number"], name="award_register_number_per_year"
            ),
            models.CheckConstraint(
                condition=Q(revoked=False) | ~Q(revoked_reason=""), name="award_revoked_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title} — {self.nominee}"

    @property
    def nominee(self) -> str:
        return self.nominee_name or self.unit.name


class EvidenceStorage(FileSystemStorage):
    """Evidence files under settings.EVIDENCE_ROOT (outside the web root, never given a URL).

    The location is read from the settings at each use, so that tests can point it elsewhere.
    """

    @property
    def base_location(self):
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Evidence files are served only through the permission-checked view.")


def evidence_storage():
    return EvidenceStorage()


EVIDENCE_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """A random name: the uploader's file name is kept only as data, never as a path."""
    return f"{timezone.now():%Y}/{uuid.uuid4().hex}{EVIDENCE_EXTENSIONS[instance.content_type]}"


class EvidenceFile(models.Model):
    """A file that supports a proposal (minh chứng): PDF, JPEG or PNG, checked by its content."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), storage=evidence_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=40)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["proposal", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=list(EVIDENCE_EXTENSIONS)), name="evidence_allowed_type"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


# --- Households (Gia đình văn hóa, Nghị định 86/2023/NĐ-CP) ------------------------------------------


class HouseholdQuerySet(models.QuerySet):
    def for_user(self, user) -> "HouseholdQuerySet":
        """The households a user may see: every group's for those who see every unit (the office,
        leadership, the council), his own groups' for a group leader or an official; none without a role."""
        from indicators.permissions import has_role, own_unit_ids, sees_all_units

        if not has_role(user):
            return self.none()
        if sees_all_units(user):
            return self
        return self.filter(unit_id__in=own_unit_ids(user))


class Household(models.Model):
    """A household of a residential group's register (sổ hộ gia đình), kept by the group's leader.

    A household that moves away is deactivated, not deleted: its assessments and awards stay readable.
    """

    unit = models.ForeignKey(
        "indicators.Unit", on_delete=models.PROTECT, related_name="households", verbose_name=_("tổ dân phố")
    )
    head_name = models.CharField(_("họ và tên chủ hộ"), max_length=160)
    address = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("số nhân khẩu"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang cư trú"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["unit__order", "head_name", "pk"]
        indexes = [models.Index(fields=["unit", "is_active", "head_name"], name="household_unit_active_name")]
        constraints = [
            models.CheckConstraint(condition=~Q(head_name=""), name="household_has_head"),
            models.CheckConstraint(
                condition=Q(members__isnull=True) | Q(members__gte=1, members__lte=99),
                name="household_members_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head_name} ({self.address})" if self.address else self.head_name

    # The names the posting notice and the decision's annex print, as for a proposal.
    @property
    def nominee(self) -> str:
        return self.head_name

    @property
    def nominee_position(self) -> str:
        return self.address

    @property
    def key(self) -> tuple[str, str]:
        """How the register recognises the same household in a file: head's name and address."""
        return normalise_name(self.head_name), normalise_name(self.address)


class HouseholdReview(models.Model):
    """A residential group's review meeting (họp bình xét) of its households for one year.

    The group leader chairs it with the head of the group's Ban công tác Mặt trận, before 25/11
    (Nghị định 86/2023/NĐ-CP); its minutes follow Mẫu số 03. Draft while results are entered;
    finished, it is locked and its qualifying households may be posted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang ghi kết quả")
        FINISHED = "finished", _("Đã chốt biên bản")

    plan = models.ForeignKey("campaigns.Plan", on_delete=models.PROTECT, related_name="household_reviews")
    unit = models.ForeignKey(
        "indicators.Unit",
        on_delete=models.PROTECT,
        related_name="household_reviews",
        verbose_name=_("tổ dân phố"),
    )
    title = models.ForeignKey(
        Title, on_delete=models.PROTECT, related_name="household_reviews", verbose_name=_("danh hiệu")
    )
    held_on = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("bắt đầu lúc"), null=True, blank=True)
    ends_at = models.TimeField(_("kết thúc lúc"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chaired_by = models.CharField(_("người chủ trì"), max_length=120)
    front_head_name = models.CharField(_("Trưởng Ban công tác Mặt trận"), max_length=120, blank=True)
    secretary_name = models.CharField(_("thư ký"), max_length=120, blank=True)
    attendance = models.PositiveSmallIntegerField(_("số người dự họp"), null=True, blank=True)
    notes = models.TextField(_("ý kiến tại cuộc họp"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    finished_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="household_reviews",
        verbose_name=_("quyết định công nhận"),
        help_text=_("Quyết định của Chủ tịch UBND phường có danh sách hộ của tổ kèm theo."),
    )

    class Meta:
        verbose_name = _("cuộc họp bình xét hộ gia đình")
        verbose_name_plural = _("cuộc họp bình xét hộ gia đình")
        ordering = ["-plan__year", "unit__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "title"], name="householdreview_once_per_year"),
            models.CheckConstraint(condition=~Q(chaired_by=""), name="householdreview_has_chair"),
            models.CheckConstraint(
                condition=Q(status="finished", finished_at__isnull=False)
                | (~Q(status="finished") & Q(finished_at__isnull=True)),
                name="householdreview_finished_iff_finished_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.title} {self.plan.year}"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def deadline(self) -> date:
        """The meeting is held by 25/11 of the year (Nghị định 86/2023/NĐ-CP)."""
        return date(self.plan.year, 11, 25)

    @property
    def late(self) -> bool:
        return self.held_on > self.deadline


class HouseholdAssessment(models.Model):
    """One household's result at its group's review meeting: qualified (đạt) or not, and why not."""

    review = models.ForeignKey(HouseholdReview, on_delete=models.CASCADE, related_name="assessments")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="assessments")
    qualified = models.BooleanField(_("đạt"))
    reason = models.CharField(_("lý do"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kết quả bình xét hộ gia đình")
        verbose_name_plural = _("kết quả bình xét hộ gia đình")
        ordering = ["review", "household__head_name", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "household"], name="householdassessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.household} — {_('đạt') if self.qualified else _('không đạt')}"


# The law by date (legal texts, who decides each title when) lives in its own module, read by every
# generated document; imported here so that Django registers its models with the app.
from .law import LegalText, TitleAuthority  # noqa: E402, F401
