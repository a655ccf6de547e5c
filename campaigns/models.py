"""The yearly emulation plan (kế hoạch phát động thi đua) as data.

A plan is one year. Its text is kept paragraph by paragraph so that the portal can show and print it
as it was issued; next year's plan is made by copying one, never by editing history.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
