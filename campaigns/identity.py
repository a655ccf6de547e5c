"""The ward's identity as data (issue 17, item 1): who the portal belongs to.

One row for the single-ward install. Templates (through `campaigns.context_processors.ward`), e-mails,
model defaults and PDFs read it through `current_identity()`, the one place to change when the portal
serves several wards (issue 20). An empty database has no row: pages still render with a neutral brand
and the office is asked to fill it in.

What stays elsewhere, on purpose:
- A plan is a document as it was issued: its issuer, place and signer (`campaigns.Plan`) are that
  year's text and never follow a later change of chairman. A new year's plan (`copying.copy_plan`)
  takes them from this row.
- The document number patterns stay per plan, so per year (`Plan.decision_number_pattern`,
  `letter_number_pattern`, migration 0004): the numbering may change with a year, and a copied plan
  carries last year's.
- A decision keeps the name of whoever signed it (`awards.Decision.signer_name`).
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SINGLETON_PK = 1

# Fields the office must fill in before the ward's documents can be printed (missing_identity_fields).
REQUIRED_FIELDS = [
    "ward_name",
    "committee_name",
    "committee_short_name",
    "place_name",
    "chairman_name",
    "council_name",
    "office_name",
]
EDITABLE_FIELDS = [
    "ward_name",
    "committee_name",
    "committee_short_name",
    "higher_level_name",
    "place_name",
    "chairman_name",
    "chairman_title",
    "deputies",
    "council_name",
    "office_name",
]


class WardIdentity(models.Model):
    ward_name = models.CharField(
        _("tên phường"), max_length=120, blank=True, help_text=_("Ví dụ: phường An Phú")
    )
    committee_name = models.CharField(
        _("tên Ủy ban nhân dân"),
        max_length=160,
        blank=True,
        help_text=_("Tên đầy đủ, ví dụ: Ủy ban nhân dân phường An Phú"),
    )
    committee_short_name = models.CharField(
        _("tên viết tắt của Ủy ban"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: UBND phường An Phú. Dùng ở đầu văn bản, tiêu đề trang và thư điện tử."),
    )
    higher_level_name = models.CharField(
        _("cơ quan cấp trên"),
        max_length=160,
        blank=True,
        help_text=_(
            "Ví dụ: Ủy ban nhân dân tỉnh Quảng Ngãi. In phía trên tên Ủy ban ở đầu văn bản khi mẫu yêu cầu; "
            "có thể để trống."
        ),
    )
    place_name = models.CharField(
        _("địa danh ghi ngày văn bản"),
        max_length=80,
        blank=True,
        help_text=_("Như “An Phú” trong “An Phú, ngày … tháng … năm …”."),
    )
    chairman_name = models.CharField(_("họ tên Chủ tịch"), max_length=120, blank=True)
    chairman_title = models.CharField(_("chức vụ người ký"), max_length=80, default="CHỦ TỊCH")
    deputies = models.TextField(
        _("các Phó Chủ tịch"),
        blank=True,
        help_text=_("Mỗi dòng một người: họ tên, dấu phẩy, chức vụ (ví dụ: Trần Văn Nam, Phó Chủ tịch)."),
    )
    council_name = models.CharField(
        _("tên Hội đồng Thi đua - Khen thưởng"),
        max_length=160,
        blank=True,
        help_text=_("Ví dụ: Hội đồng Thi đua - Khen thưởng phường An Phú"),
    )
    office_name = models.CharField(
        _("tên Văn phòng"),
        max_length=120,
        blank=True,
        help_text=_("Bộ phận giúp việc về thi đua, ví dụ: Văn phòng - Thống kê"),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "campaigns"
        verbose_name = _("thông tin phường")
        verbose_name_plural = _("thông tin phường")
        constraints = [
            models.CheckConstraint(condition=Q(id=SINGLETON_PK), name="wardidentity_single_row"),
        ]

    def __str__(self) -> str:
        return self.committee_short_name or str(_("Thông tin phường"))

    @property
    def brand(self) -> str:
        """The portal's name in the navbar ("Phổ Minh Thi đua")."""
        from django.utils.translation import gettext

        return gettext("%(place)s Thi đua") % {"place": self.place_name} if self.place_name else ""

    @property
    def office_full_name(self) -> str:
        """ "Văn phòng - Thống kê UBND phường Phổ Minh", as an e-mail or a document signs off."""
        return " ".join(part for part in (self.office_name, self.committee_short_name) if part)

    def deputy_list(self) -> list[tuple[str, str]]:
        """(name, title) per line of `deputies`; a line without a comma is a name, title "Phó Chủ tịch"."""
        rows = []
        for line in self.deputies.splitlines():
            name, _comma, title = line.partition(",")
            if name.strip():
                rows.append((name.strip(), title.strip() or "Phó Chủ tịch"))
        return rows


def current_identity() -> WardIdentity | None:
    """The ward's identity row, or None in a database where the office has not filled it in yet.

    One primary-key query; the context processor calls it once per page."""
    return WardIdentity.objects.filter(pk=SINGLETON_PK).first()


def missing_identity_fields(identity: WardIdentity | None = None) -> list[str]:
    """Verbose names of the required fields still empty (all of them without a row)."""
    if identity is None:
        identity = current_identity()
    return [
        str(WardIdentity._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if identity is None or not (getattr(identity, name) or "").strip()
    ]


def ward_text(attribute: str, fallback: str = "") -> str:
    """One attribute of the identity for code that writes text (e-mails, decisions), `fallback` without."""
    identity = current_identity()
    value = getattr(identity, attribute, "") if identity else ""
    return value or fallback


class IdentityConflict(Exception):
    pass


def save_identity(*, user, data: dict, version: int | None) -> WardIdentity:
    """The office saves the ward's identity: atomic, version-checked, logged with before and after."""
    from indicators.audit import log_action

    with transaction.atomic():
        identity = WardIdentity.objects.select_for_update().filter(pk=SINGLETON_PK).first()
        creating = identity is None
        if creating:
            identity = WardIdentity(pk=SINGLETON_PK)
        elif version is not None and version != identity.version:
            raise IdentityConflict(
                _("Người khác vừa sửa thông tin phường; hãy xem bản vừa lưu rồi nhập lại thay đổi của bạn.")
            )
        changes = {}
        for name in EDITABLE_FIELDS:
            if name not in data:
                continue
            new = (data[name] or "").strip()
            old = getattr(identity, name)
            if creating or old != new:
                changes[name] = {"old": None if creating else old, "new": new}
                setattr(identity, name, new)
        if not changes:
            return identity
        identity.version += 1
        identity.updated_by = user
        identity.save()
        log_action(identity, "campaigns.identity.saved", user, {"created": creating, "changes": changes})
        return identity


# --- What a document the ward issues now prints (the plan's own text when the identity is empty) ------


def issuer_for(plan) -> str:
    """The issuing body of a document the ward issues now ("UBND phường Phổ Minh"). The plan's issuer
    is the plan's own, as issued; a decision or notice of today is issued under today's name."""
    return ward_text("committee_short_name", plan.issuer if plan else "")


def place_for(plan) -> str:
    """The place name of a document's date ("Phổ Minh, ngày …")."""
    return ward_text("place_name", plan.place if plan else "")


def chairman_for(plan) -> str:
    """Who signs for the People's Committee when nobody is named yet: the chairman now."""
    return ward_text("chairman_name", plan.signer_name if plan else "")


def header_for(plan) -> dict:
    """issuer, place and signer_name of a document issued now, read with one query."""
    identity = current_identity()

    def pick(attribute: str, fallback: str) -> str:
        return (getattr(identity, attribute, "") if identity else "") or fallback

    return {
        "issuer": pick("committee_short_name", plan.issuer),
        "place": pick("place_name", plan.place),
        "signer_name": pick("chairman_name", plan.signer_name),
    }
