"""What the portal knows about a proposal's eligibility, criterion by criterion (DOMAIN.md §4).

Each criterion is met, not met or to be checked, with the reason in words. The data come from the
unit's pledge (registration), the pledge's fulfilment as `campaigns.fulfilment` judges it from the
reported figures, the registry of earlier awards and this year's proposals; the title's own rules
(requires a pledge? a prerequisite title this year? the same title in earlier years? a quota?) are
data on the Title. The office page, the council's reading and the decision all call `assess()`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.fulfilment import VERDICT_NOT_KEPT, CommitmentResult, pledge_fulfilment, pledge_kept
from campaigns.models import Pledge

from .models import AwardRecord, Household, Proposal, Title, normalise_name

MET, NOT_MET, TO_CHECK = "met", "not_met", "to_check"
STATE_LABELS = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Không đạt"),
    TO_CHECK: gettext_lazy("Cần xem xét"),
}
REGISTERED = (Pledge.Status.SUBMITTED, Pledge.Status.ACKNOWLEDGED)
# A proposal that has come through the council (or further) counts as holding the title this year.
FIRM = (Proposal.Status.PASSED, Proposal.Status.PROPOSED_UP, Proposal.Status.AWARDED)
# Sent in and not yet voted on.
IN_PIPELINE = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.RETURNED,
    Proposal.Status.CHECKED,
    Proposal.Status.FORWARDED,
)
PENDING = (Proposal.Status.DRAFT,) + IN_PIPELINE


@dataclass
class Criterion:
    code: str
    label: str
    state: str
    reason: str
    blocking: bool = True

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class Quota:
    title: Title
    base_title: Title
    percent: Decimal
    base: int
    used: int

    @property
    def allowed(self) -> int:
        """Never above the share: 15 % of 6 is 0,9, so none (the rule says "không quá")."""
        return int(self.base * self.percent // 100)

    @property
    def exceeded(self) -> bool:
        return self.used > self.allowed

    def describe(self) -> str:
        return _(
            "%(used)s đề nghị %(title)s; tối đa %(allowed)s (%(percent)s%% của %(base)s %(base_title)s của đơn vị)"
        ) % {
            "used": self.used,
            "title": self.title.name,
            "allowed": self.allowed,
            "percent": f"{self.percent.normalize():f}".replace(".", ","),
            "base": self.base,
            "base_title": self.base_title.name,
        }


@dataclass
class Assessment:
    proposal: Proposal
    criteria: list[Criterion]
    pledge: Pledge | None = None
    fulfilment: list[CommitmentResult] = field(default_factory=list)
    history: list[AwardRecord] = field(default_factory=list)
    quota: Quota | None = None

    @property
    def unmet(self) -> list[Criterion]:
        return [c for c in self.criteria if c.state == NOT_MET and c.blocking]

    @property
    def to_check(self) -> list[Criterion]:
        return [c for c in self.criteria if c.state == TO_CHECK]


def _household_key(text: str) -> str:
    key = normalise_name(text)
    for prefix in ("hộ ông ", "hộ bà ", "hộ gia đình ", "hộ "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _same_nominee(name: str, key: str) -> bool:
    return normalise_name(name) == key


def unit_pledge(proposal: Proposal) -> Pledge | None:
    return (
        Pledge.objects.filter(plan=proposal.plan, unit=proposal.unit)
        .select_related("collective_title")
        .prefetch_related("people__title__prerequisite")
        .first()
    )


def _prerequisites_of(title: Title) -> list[Title]:
    """A higher title's chain of prerequisites: registering for it is registering for them too."""
    chain, seen = [], {title.pk}
    while title.prerequisite_id and title.prerequisite_id not in seen:
        title = title.prerequisite
        seen.add(title.pk)
        chain.append(title)
    return chain


def registration(proposal: Proposal, pledge: Pledge | None) -> Criterion:
    """Did the unit (or this person, this household) register for this title at the start of the year?"""
    title, year = proposal.title, proposal.plan.year
    label = _("Đăng ký thi đua năm %(year)s") % {"year": year}
    blocking = title.requires_pledge

    def result(state, reason):
        if not blocking and state == NOT_MET:
            reason += " " + _("(danh hiệu này không bắt buộc đăng ký)")
            return Criterion("registered", label, TO_CHECK, reason, blocking=False)
        return Criterion("registered", label, state, reason, blocking=blocking)

    if pledge is None:
        return result(
            NOT_MET,
            _("%(unit)s không có bản đăng ký thi đua năm %(year)s.") % {"unit": proposal.unit, "year": year},
        )
    if pledge.status not in REGISTERED:
        return result(
            NOT_MET,
            _("Bản đăng ký thi đua của %(unit)s chưa được gửi (%(status)s).")
            % {"unit": proposal.unit, "status": pledge.get_status_display()},
        )
    registered_on = _("bản đăng ký %(status)s") % {"status": pledge.get_status_display().lower()}
    if title.for_whom in (Title.ForWhom.COLLECTIVE, Title.ForWhom.RESIDENTIAL_GROUP):
        if pledge.collective_title_id == title.pk:
            return result(
                MET, _("Đơn vị đăng ký danh hiệu %(title)s (%(on)s).") % {"title": title, "on": registered_on}
            )
        other = (
            pledge.collective_title.name if pledge.collective_title else _("không đăng ký danh hiệu tập thể")
        )
        return result(
            NOT_MET, _("Đơn vị đăng ký: %(other)s, không phải %(title)s.") % {"other": other, "title": title}
        )
    key = proposal.nominee_key
    if title.for_whom == Title.ForWhom.INDIVIDUAL:
        people = [p for p in pledge.people.all() if _same_nominee(p.full_name, key)]
        higher = [p for p in people if p.title_id != title.pk and title in _prerequisites_of(p.title)]
        if higher:
            return result(
                MET,
                _("%(name)s đăng ký %(other)s, bao gồm %(title)s (%(on)s).")
                % {
                    "name": proposal.nominee_name,
                    "other": higher[0].title,
                    "title": title,
                    "on": registered_on,
                },
            )
        if any(p.title_id == title.pk for p in people):
            return result(
                MET,
                _("%(name)s có tên trong danh sách cá nhân đăng ký %(title)s (%(on)s).")
                % {"name": proposal.nominee_name, "title": title, "on": registered_on},
            )
        if people:
            return result(
                NOT_MET,
                _("%(name)s đăng ký %(other)s, không phải %(title)s.")
                % {"name": proposal.nominee_name, "other": people[0].title, "title": title},
            )
        return result(
            NOT_MET,
            _("%(name)s không có tên trong danh sách cá nhân đăng ký của đơn vị.")
            % {"name": proposal.nominee_name},
        )
    lines = [_household_key(line) for line in pledge.household_lines()]
    if _household_key(proposal.nominee_name) in lines:
        return result(
            MET, _("Hộ có tên trong danh sách hộ đăng ký Gia đình văn hóa (%(on)s).") % {"on": registered_on}
        )
    if lines:
        return result(NOT_MET, _("Hộ không có tên trong danh sách hộ đăng ký của tổ."))
    if pledge.household_count:
        return result(
            TO_CHECK,
            _("Tổ đăng ký %(n)s hộ nhưng không kèm danh sách: cần đối chiếu sổ đăng ký của tổ.")
            % {"n": pledge.household_count},
        )
    return result(NOT_MET, _("Tổ không đăng ký hộ nào phấn đấu Gia đình văn hóa."))


def commitments(proposal: Proposal, pledge: Pledge | None) -> Criterion | None:
    """For a unit's own title: were the figures it pledged reached? Read, never recomputed."""
    title = proposal.title
    if pledge is None or not title.requires_pledge_kept:
        return None
    if title.for_whom not in (Title.ForWhom.COLLECTIVE, Title.ForWhom.RESIDENTIAL_GROUP):
        return None
    label = _("Hoàn thành chỉ tiêu đã đăng ký")
    kept = pledge_kept(pledge=pledge)
    if kept is True:
        return Criterion(
            "pledge_kept", label, MET, _("Đạt tất cả các chỉ tiêu đăng ký, theo số liệu cả năm.")
        )
    if kept is None:
        return Criterion(
            "pledge_kept",
            label,
            TO_CHECK,
            _("Chưa có đủ số liệu quý IV để kết luận về các chỉ tiêu đã đăng ký."),
        )
    missed = [
        r.commitment.target.code
        for r in pledge_fulfilment(pledge=pledge, quarter=4)
        if r.verdict == VERDICT_NOT_KEPT
    ]
    return Criterion(
        "pledge_kept",
        label,
        NOT_MET,
        _("Không hoàn thành chỉ tiêu đã đăng ký: %(codes)s.") % {"codes": ", ".join(missed)},
    )


def _records(*, title: Title, unit_id: int, key: str, years) -> list[AwardRecord]:
    """Records of `title` in `years` for a unit's nominee known by name only (revoked ones do not count)."""
    rows = AwardRecord.objects.filter(
        title=title, unit_id=unit_id, year__in=list(years), revoked=False
    ).order_by("year")
    return [r for r in rows if normalise_name(r.nominee_name) == key]


def identity_records(proposal: Proposal, *, title: Title, years) -> tuple[list[AwardRecord], bool]:
    """The registry's rows of `title` in `years` that are the proposal's own nominee, matched by the
    registry's identity where it has one: the household's id for a household of the group's register
    (its years are the household's, `household_decisions.household_years`), the unit's id for the unit
    itself; by name within the unit only where there is no id (a person). The flag is True when a name
    alone matched a household's rows while the group's register holds several households of that
    head's name, which a name cannot tell apart."""
    rows = AwardRecord.objects.filter(title=title, year__in=list(years), revoked=False).order_by("year")
    if proposal.household_id:
        return list(rows.filter(household_id=proposal.household_id)), False
    rows = rows.filter(unit_id=proposal.unit_id)
    if not proposal.nominee_name:
        return list(rows.filter(nominee_name="", household__isnull=True)), False
    found = [r for r in rows if normalise_name(r.nominee_name) == proposal.nominee_key]
    if not any(r.household_id for r in found):
        return found, False
    namesakes = [
        h for h in Household.objects.filter(unit_id=proposal.unit_id) if h.key[0] == proposal.nominee_key
    ]
    return found, len(namesakes) > 1


def prerequisite(proposal: Proposal) -> Criterion | None:
    """A title that must be held the same year (Chiến sĩ thi đua cơ sở needs Lao động tiên tiến)."""
    needed = proposal.title.prerequisite
    if needed is None:
        return None
    year, key = proposal.plan.year, proposal.nominee_key
    label = _("Đạt %(title)s năm %(year)s") % {"title": needed, "year": year}
    records = _records(title=needed, unit_id=proposal.unit_id, key=key, years=[year])
    if records:
        r = records[0]
        return Criterion(
            "prerequisite",
            label,
            MET,
            _("Sổ khen thưởng: quyết định số %(n)s ngày %(d)s.")
            % {"n": r.decision_number, "d": f"{r.decided_on:%d/%m/%Y}"},
        )
    others = [
        p
        for p in Proposal.objects.filter(plan=proposal.plan, unit=proposal.unit, title=needed)
        if _same_nominee(p.nominee_name, key)
    ]
    if any(p.status in FIRM for p in others):
        return Criterion(
            "prerequisite",
            label,
            MET,
            _("Hội đồng đã thông qua đề nghị %(title)s năm %(year)s.") % {"title": needed, "year": year},
        )
    if any(p.status in PENDING for p in others):
        return Criterion(
            "prerequisite",
            label,
            TO_CHECK,
            _("Đề nghị %(title)s cùng đợt đang được xét: chỉ đạt khi đề nghị đó được thông qua.")
            % {"title": needed},
        )
    return Criterion(
        "prerequisite",
        label,
        NOT_MET,
        _("Chưa đạt %(title)s năm %(year)s: không có trong sổ khen thưởng, không có đề nghị được thông qua.")
        % {"title": needed, "year": year},
    )


def earlier_years(proposal: Proposal) -> tuple[Criterion | None, list[AwardRecord]]:
    """A title that must have been held in each of the years just before (from the registry)."""
    title = proposal.title
    if title.earlier_title is None or not title.earlier_years:
        return None, []
    year = proposal.plan.year
    years = list(range(year - title.earlier_years, year))
    records, ambiguous = identity_records(proposal, title=title.earlier_title, years=years)
    label = _("Đạt %(title)s %(n)s năm liền trước (%(years)s)") % {
        "title": title.earlier_title,
        "n": title.earlier_years,
        "years": ", ".join(map(str, years)),
    }
    if ambiguous:
        return (
            Criterion(
                "earlier",
                label,
                TO_CHECK,
                _(
                    "Sổ khen thưởng có nhiều hộ cùng tên chủ hộ “%(name)s”: ghi địa chỉ của hộ để đọc đúng "
                    "các năm của hộ này."
                )
                % {"name": proposal.nominee_name},
            ),
            records,
        )
    held = {r.year for r in records}
    if proposal.household_id:
        from .household_decisions import consecutive_years  # it builds on services, which read this

        run = consecutive_years(household=proposal.household, title=title.earlier_title, until=year - 1)
        held = set(range(year - run, year))
    missing = [y for y in years if y not in held]
    if not missing:
        found = "; ".join(f"{r.year}: QĐ số {r.decision_number}" for r in records)
        return Criterion("earlier", label, MET, _("Sổ khen thưởng: %(found)s.") % {"found": found}), records
    return (
        Criterion(
            "earlier",
            label,
            NOT_MET,
            _("Sổ khen thưởng không ghi năm: %(years)s.") % {"years": ", ".join(map(str, missing))},
        ),
        records,
    )


def quota_for(*, plan, unit, title: Title, firm: bool) -> Quota | None:
    """How many of the unit's proposals for `title` count against its quota, and how many are allowed.

    firm=True counts only what the council has passed (the decision); firm=False also counts the
    proposals still in the pipeline (the warning while checking).
    """
    if title.quota_percent is None or title.quota_base is None:
        return None
    statuses = FIRM if firm else FIRM + IN_PIPELINE
    # Awarded proposals are in the registry already; the others that count are not yet.
    pending_base = (Proposal.Status.PASSED, Proposal.Status.PROPOSED_UP) + (() if firm else IN_PIPELINE)
    base = (
        AwardRecord.objects.filter(year=plan.year, unit=unit, title=title.quota_base).count()
        + Proposal.objects.filter(
            plan=plan, unit=unit, title=title.quota_base, status__in=pending_base
        ).count()
    )
    used = (
        Proposal.objects.filter(plan=plan, unit=unit, title=title, status__in=statuses).count()
        + AwardRecord.objects.filter(year=plan.year, unit=unit, title=title, proposal__isnull=True).count()
    )
    return Quota(title=title, base_title=title.quota_base, percent=title.quota_percent, base=base, used=used)


def quota_criterion(proposal: Proposal) -> tuple[Criterion | None, Quota | None]:
    quota = quota_for(plan=proposal.plan, unit=proposal.unit, title=proposal.title, firm=False)
    if quota is None:
        return None, None
    if proposal.status == Proposal.Status.DRAFT:
        quota.used += 1  # this proposal, once sent, counts too
    label = _("Tỷ lệ tối đa %(title)s của đơn vị") % {"title": proposal.title}
    state = NOT_MET if quota.exceeded else MET
    reason = quota.describe() + "."
    if quota.exceeded:
        reason += " " + _("Vượt tỷ lệ: không thể quyết định khen thưởng cho đến khi đơn vị rút bớt đề nghị.")
    # A warning while checking; the decision itself is blocked (services.check_quotas).
    return Criterion("quota", label, state, reason, blocking=False), quota


def assess(proposal: Proposal, *, with_figures: bool = True) -> Assessment:
    """Every criterion of the proposal's title, as the data stand now."""
    pledge = unit_pledge(proposal)
    criteria = [registration(proposal, pledge)]
    fulfilment = []
    if with_figures and pledge is not None:
        fulfilment = pledge_fulfilment(pledge=pledge)
    for found in (commitments(proposal, pledge), prerequisite(proposal)):
        if found:
            criteria.append(found)
    earlier, history = earlier_years(proposal)
    if earlier:
        criteria.append(earlier)
    quota_row, quota = quota_criterion(proposal)
    if quota_row:
        criteria.append(quota_row)
    files = proposal.evidence.count() if proposal.pk else 0
    criteria.append(
        Criterion(
            "evidence",
            _("Hồ sơ, minh chứng kèm theo"),
            MET if files else TO_CHECK,
            _("%(n)s tệp minh chứng.") % {"n": files}
            if files
            else _("Chưa có tệp minh chứng: Văn phòng xem xét hồ sơ giấy."),
            blocking=False,
        )
    )
    for line in proposal.title.criteria_lines():
        criteria.append(
            Criterion(
                "checklist",
                line,
                TO_CHECK,
                _("Đánh giá theo thành tích và minh chứng kèm theo."),
                blocking=False,
            )
        )
    return Assessment(
        proposal=proposal,
        criteria=criteria,
        pledge=pledge,
        fulfilment=fulfilment,
        history=history,
        quota=quota,
    )


def nominee_history(*, unit, nominee_name: str, household=None) -> list[AwardRecord]:
    """Every title the registry holds for this person, household or unit (newest first); a household of
    the group's register by its id (two households may share the head's name)."""
    key = normalise_name(nominee_name)
    rows = AwardRecord.objects.filter(unit=unit).select_related("title").order_by("-year", "title__order")
    if household is not None:
        return list(rows.filter(household=household))
    return [r for r in rows if normalise_name(r.nominee_name) == key]
