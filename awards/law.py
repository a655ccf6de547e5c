"""The law as data, by date (DOMAIN.md §4, §4b): the legal texts the ward's award documents cite, and
for each title who decides it and on which basis, each with its period of validity.

Every generated document (decision, proposal letter, minutes, posting notice) cites what is in force
on its own date through `law_in_force(on=...)` and names its decider through
`authority_for(title, on=...)`: no decree number or level of government is written in a template.
The office edits, adds and confirms the rows on /khen-thuong/van-ban-phap-luat/; the sets shipped in
fixtures/titles.json (2024, and from 01/07/2025) mark what comes from secondary sources as
"cần Văn phòng xác nhận" until the office confirms it.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalText(models.Model):
    """A legal text (văn bản quy phạm pháp luật) cited by the award documents while it is in force."""

    class Kind(models.TextChoices):
        LAW = "law", _("Luật")
        DECREE = "decree", _("Nghị định")
        CIRCULAR = "circular", _("Thông tư")
        DECISION = "decision", _("Quyết định")

    class Role(models.TextChoices):
        MANDATE = "mandate", _("Căn cứ thẩm quyền (tổ chức chính quyền)")
        EMULATION = "emulation", _("Căn cứ thi đua, khen thưởng")

    kind = models.CharField(_("loại văn bản"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("dùng làm"), max_length=10, choices=Role.choices, default=Role.EMULATION)
    number = models.CharField(_("số, ký hiệu"), max_length=40, help_text=_("Ví dụ: 98/2023/NĐ-CP"))
    name = models.CharField(
        _("tên gọi"),
        max_length=160,
        blank=True,
        help_text=_("Với luật: tên của luật, ví dụ “Luật Thi đua, khen thưởng”. Để trống với văn bản khác."),
    )
    signed_on = models.DateField(_("ngày ký, ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=120, help_text=_("Ví dụ: Chính phủ"))
    title = models.CharField(_("trích yếu"), max_length=400, blank=True)
    in_force_from = models.DateField(_("có hiệu lực từ"))
    in_force_until = models.DateField(
        _("hết hiệu lực sau ngày"), null=True, blank=True, help_text=_("Để trống: còn hiệu lực.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự trích dẫn"), default=0)
    confirmed = models.BooleanField(
        _("Văn phòng đã xác nhận"),
        default=False,
        help_text=_("Chưa xác nhận: số liệu lấy từ nguồn thứ cấp, cần Văn phòng đối chiếu văn bản gốc."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)

    class Meta:
        verbose_name = _("văn bản pháp luật")
        verbose_name_plural = _("văn bản pháp luật")
        ordering = ["in_force_from", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="legaltext_has_number"),
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True) | Q(in_force_until__gte=models.F("in_force_from")),
                name="legaltext_period_in_order",
            ),
            models.UniqueConstraint(fields=["number"], name="legaltext_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def in_force_on(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_until is None or on <= self.in_force_until)

    @property
    def citation(self) -> str:
        """As a document cites it: "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ
        quy định …", "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"."""
        from indicators.templatetags.vn import ngay_van_ban

        day = ngay_van_ban(self.signed_on)
        if self.kind == self.Kind.LAW:
            return f"{self.name or self.get_kind_display()} số {self.number} {day}"
        text = f"{self.get_kind_display()} số {self.number} {day} của {self.issuer}"
        return f"{text} {self.title}" if self.title else text


class TitleAuthority(models.Model):
    """Who decides a title in a period, and on which basis (Article 80 of the Law, as the period's
    decrees apply it): the ward chairman himself, or a higher level on the ward's proposal."""

    title = models.ForeignKey(
        "awards.Title", on_delete=models.PROTECT, related_name="authorities", verbose_name=_("danh hiệu")
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_until = models.DateField(
        _("áp dụng đến hết"), null=True, blank=True, help_text=_("Để trống: đang áp dụng.")
    )
    decider = models.CharField(
        _("người có thẩm quyền quyết định"),
        max_length=160,
        help_text=_("Ví dụ: Chủ tịch UBND phường"),
    )
    ward_decides = models.BooleanField(
        _("phường tự quyết định"), default=True, help_text=_("Tắt: phường lập tờ trình đề nghị cấp trên.")
    )
    basis = models.ManyToManyField(
        LegalText, blank=True, related_name="authorities", verbose_name=_("căn cứ")
    )
    basis_text = models.CharField(
        _("điều, khoản"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: khoản 3 Điều 80 Luật Thi đua, khen thưởng"),
    )
    requires_council_vote = models.BooleanField(
        _("Hội đồng phải biểu quyết"),
        default=True,
        help_text=_("Tắt với danh hiệu mà thủ tục không có bước Hội đồng biểu quyết (Gia đình văn hóa)."),
    )
    confirmed = models.BooleanField(
        _("Văn phòng đã xác nhận"), default=False, help_text=_("Chưa xác nhận: cần Văn phòng xác nhận.")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)

    class Meta:
        verbose_name = _("thẩm quyền quyết định danh hiệu")
        verbose_name_plural = _("thẩm quyền quyết định danh hiệu")
        ordering = ["title__order", "title__name", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(decider=""), name="titleauthority_has_decider"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="titleauthority_period_in_order",
            ),
            models.UniqueConstraint(fields=["title", "valid_from"], name="titleauthority_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.decider} ({self.valid_from:%d/%m/%Y})"

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


def law_in_force(*, on: date, role: str | None = None) -> list[LegalText]:
    """The legal texts in force on `on`, in citing order (a role: only the mandate or only the emulation
    texts)."""
    texts = LegalText.objects.filter(
        Q(in_force_until__isnull=True) | Q(in_force_until__gte=on), in_force_from__lte=on
    )
    if role:
        texts = texts.filter(role=role)
    return list(texts.order_by("role", "order", "in_force_from", "pk"))


@dataclass(frozen=True)
class Authority:
    """Who decides a title on a date, as the documents print it; `row` is None when no row covers the
    date (the documents then say so instead of guessing)."""

    decider: str
    ward_decides: bool
    requires_council_vote: bool
    basis_text: str
    confirmed: bool
    row: TitleAuthority | None


def authority_for(title, *, on: date) -> Authority | None:
    """The deciding rule of `title` valid on `on`, or None when the office has recorded none."""
    for row in title.authorities.filter(valid_from__lte=on).order_by("-valid_from"):
        if row.valid_on(on):
            return Authority(
                decider=row.decider,
                ward_decides=row.ward_decides,
                requires_council_vote=row.requires_council_vote,
                basis_text=row.basis_text,
                confirmed=row.confirmed,
                row=row,
            )
    return None


def council_vote_required(title, *, on: date) -> bool:
    """Whether the procedure of `title` on `on` has the council's vote (the law data's rule for the
    date). With no rule recorded for the date the vote is required: a gap in the data never lets the
    ward decide without the council."""
    found = authority_for(title, on=on)
    return True if found is None else found.requires_council_vote


def ward_decides(title, *, on: date) -> bool:
    """Whether the ward chairman decides `title` himself on `on` (else the ward proposes it upward).

    With no rule recorded for the date, the title's own setting stands in, so that a gap in the data
    sends a proposal up rather than letting the ward decide what it may not."""
    found = authority_for(title, on=on)
    return found.ward_decides if found else title.decided_by_ward


def unconfirmed_count() -> int:
    """Rows the office has still to confirm (shown on the law page and the titles page)."""
    return (
        LegalText.objects.filter(confirmed=False).count()
        + TitleAuthority.objects.filter(confirmed=False).count()
    )


# --- The office's edits (one function per step, each atomic, version-checked and logged) ------------

LEGAL_TEXT_FIELDS = [
    "kind",
    "role",
    "number",
    "name",
    "signed_on",
    "issuer",
    "title",
    "in_force_from",
    "in_force_until",
    "order",
]
AUTHORITY_FIELDS = [
    "title",
    "valid_from",
    "valid_until",
    "decider",
    "ward_decides",
    "basis_text",
    "requires_council_vote",
]


def _plain(value) -> str | None:
    return None if value is None else str(value)


def _require_office(user) -> None:
    from . import permissions
    from .services import AwardError

    if not permissions.can_edit_law(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê sửa văn bản pháp luật và thẩm quyền quyết định."))


def _save(obj, *, fields, data: dict, user, version: int | None, action: str, extra: dict | None = None):
    """Apply `data` to `obj` (locked), check it, save it, log before and after; None version = new."""
    from django.core.exceptions import ValidationError

    from indicators.audit import log_action

    from .services import AwardError, ConflictError

    creating = obj.pk is None
    if not creating:
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        if version is not None and version != obj.version:
            raise ConflictError(_("Người khác vừa sửa dòng này; hãy tải lại trang."))
    changes = {}
    for name in fields:
        if name in data and (creating or getattr(obj, name) != data[name]):
            changes[name] = {
                "old": None if creating else _plain(getattr(obj, name)),
                "new": _plain(data[name]),
            }
            setattr(obj, name, data[name])
    if "confirmed" in data and bool(data["confirmed"]) != obj.confirmed:
        changes["confirmed"] = {"old": obj.confirmed, "new": bool(data["confirmed"])}
        obj.confirmed = bool(data["confirmed"])
        obj.confirmed_by = user if obj.confirmed else None
        obj.confirmed_at = timezone.now() if obj.confirmed else None
    if not changes and not extra:
        return obj
    try:
        obj.full_clean(exclude=["basis"] if isinstance(obj, TitleAuthority) else None)
    except ValidationError as error:
        raise AwardError(" ".join(error.messages)) from error
    obj.version += 1
    obj.save()
    log_action(obj, action, user, {"created": creating, "changes": changes, **(extra or {})})
    return obj


def save_legal_text(*, text: LegalText | None, user, data: dict, version: int | None = None) -> LegalText:
    """The office adds or corrects a legal text (number, dates, issuer, period in force)."""
    _require_office(user)
    with transaction.atomic():
        return _save(
            text or LegalText(),
            fields=LEGAL_TEXT_FIELDS,
            data=data,
            user=user,
            version=version,
            action="awards.law.text_saved",
        )


def save_authority(
    *, authority: TitleAuthority | None, user, data: dict, version: int | None = None
) -> TitleAuthority:
    """The office records who decides a title in a period; two periods of one title may not overlap."""
    from .services import AwardError

    _require_office(user)
    with transaction.atomic():
        title = data.get("title") or authority.title
        start = data.get("valid_from") or authority.valid_from
        end = data["valid_until"] if "valid_until" in data else authority.valid_until
        others = TitleAuthority.objects.select_for_update().filter(title=title)
        if authority is not None and authority.pk:
            others = others.exclude(pk=authority.pk)
        for other in others:
            if other.valid_from <= (end or date.max) and start <= (other.valid_until or date.max):
                raise AwardError(
                    _("Thời kỳ này trùng với thời kỳ khác của “%(title)s” (từ %(start)s).")
                    % {"title": title.name, "start": f"{other.valid_from:%d/%m/%Y}"}
                )
        basis = data.get("basis")
        old_basis = (
            sorted(authority.basis.values_list("number", flat=True)) if authority and authority.pk else []
        )
        new_basis = sorted(t.number for t in basis) if basis is not None else old_basis
        extra = {"basis": {"old": old_basis, "new": new_basis}} if new_basis != old_basis else None
        saved = _save(
            authority or TitleAuthority(),
            fields=AUTHORITY_FIELDS,
            data=data,
            user=user,
            version=version,
            action="awards.law.authority_saved",
            extra=extra,
        )
        if basis is not None:
            saved.basis.set(basis)
        return saved


def confirm(*, obj: LegalText | TitleAuthority, user) -> LegalText | TitleAuthority:
    """The office confirms a row it has checked against the gazette ("cần Văn phòng xác nhận" no more)."""
    _require_office(user)
    with transaction.atomic():
        return _save(
            obj, fields=[], data={"confirmed": True}, user=user, version=None, action="awards.law.confirmed"
        )
