"""Year-end awards: the titles the ward handles (as data, editable by the office), proposals, the
council's sessions with secret ballot, and decisions (DOMAIN.md §4).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
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
        WARD_CHAIRMAN = "ward", _("Chủ tịch UBND phường")
        DISTRICT_CHAIRMAN = "district", _("Chủ tịch UBND cấp huyện (phường đề nghị)")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên danh hiệu"), max_length=160)
    for_whom = models.CharField(_("đối tượng"), max_length=20, choices=ForWhom.choices)
    decided_by = models.CharField(_("thẩm quyền quyết định"), max_length=10, choices=DecidedBy.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    criteria = models.TextField(_("tiêu chuẩn"), blank=True, help_text=_("Mỗi dòng một tiêu chí."))
    requires_pledge = models.BooleanField(_("phải đăng ký thi đua"), default=True)
    prerequisite = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phải đạt danh hiệu trong năm"),
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
        ]

    def __str__(self) -> str:
        return self.name

    def criteria_lines(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]
