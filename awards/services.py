"""Write-side of awards: proposals, evidence, the office's check, the agenda, decisions, the registry.

Each step runs in one transaction, locks the row it changes, re-checks the current state, raises an
`AwardError` with a Vietnamese message when the step is not allowed, and writes one ActionLog row
through `log_action`. The council's sessions and ballot are in `awards.voting`. The public posting of
the lists (công khai) and the comments received are here too, because the decision reads them.
"""

import os
import re
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.identity import chairman_for, issuer_for, ward_text
from indicators.audit import log_action
from indicators.models import Unit

from . import evidence as evidence_files
from . import permissions
from .law import authority_for, council_vote_required, ward_decides
from .models import (
    AgendaItem,
    AwardRecord,
    CouncilSession,
    Decision,
    EvidenceFile,
    Household,
    Posting,
    PostingComment,
    Proposal,
    Title,
    evidence_path,
    normalise_name,
)
from .registry import next_register_number

EVIDENCE_MAX_FILES = 10
# What each accepted type starts with; the name's extension must agree with the content.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
# A list is posted once the unit has sent it in, and until the decision: for Tổ dân phố văn hóa the
# ward council reviews first and the list is posted after (Nghị định 86/2023/NĐ-CP).
POSTABLE = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.CHECKED,
    Proposal.Status.FORWARDED,
    Proposal.Status.PASSED,
)
POSTING_DAYS = (1, 60)
ANONYMOUS = "Ẩn danh"
TITLE_FIELDS = [
    "name",
    "decided_by",
    "legal_basis",
    "criteria",
    "requires_pledge",
    "requires_pledge_kept",
    "requires_posting",
    "requires_achievement_report",
    "prerequisite",
    "earlier_title",
    "earlier_years",
    "quota_percent",
    "quota_base",
    "vote_threshold_percent",
    "vote_threshold_strict",
    "order",
]


class AwardError(Exception):
    """A step that is not allowed now; the message is shown to the user as it is."""


class ConflictError(AwardError):
    """Somebody changed the proposal after this user loaded it."""


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("plan", "unit", "title")
        .get(pk=proposal.pk)
    )


def _clean_nominee(*, unit: Unit, title: Title, nominee_name: str) -> str:
    """The nominee as the title wants it: a name for people and households, none for the unit itself."""
    nominee_name = " ".join((nominee_name or "").split())
    if title.names_a_person and not nominee_name:
        if title.for_whom == Title.ForWhom.HOUSEHOLD:
            raise AwardError(_("Phải ghi tên chủ hộ được đề nghị."))
        raise AwardError(_("Phải ghi họ và tên người được đề nghị."))
    group = unit.kind == Unit.Kind.RESIDENTIAL_GROUP
    if title.for_whom in (Title.ForWhom.RESIDENTIAL_GROUP, Title.ForWhom.HOUSEHOLD) and not group:
        raise AwardError(_("Danh hiệu %(title)s chỉ do tổ dân phố đề nghị.") % {"title": title})
    return nominee_name if title.names_a_person else ""


def _check_duplicate(*, plan, unit, title, nominee_name: str, exclude: int | None = None) -> None:
    key = normalise_name(nominee_name)
    others = Proposal.objects.filter(plan=plan, unit=unit, title=title).exclude(pk=exclude)
    if any(normalise_name(p.nominee_name) == key for p in others):
        raise AwardError(
            _("Đơn vị đã có đề nghị %(title)s cho %(who)s năm nay.")
            % {"title": title, "who": nominee_name or unit}
        )


def register_household(*, unit: Unit, title: Title, nominee_name: str, nominee_position: str):
    """The household of the group's register a household proposal names: the one active household whose
    head (and address, when given) match, else None (no such household, or two of the same head's name
    with no address to tell them apart). The registry's earlier years are then read by household."""
    if title.for_whom != Title.ForWhom.HOUSEHOLD or not nominee_name:
        return None
    key, address = normalise_name(nominee_name), normalise_name(nominee_position)
    found = [h for h in Household.objects.filter(unit=unit, is_active=True) if h.key[0] == key]
    if address:
        found = [h for h in found if h.key[1] == address]
    return found[0] if len(found) == 1 else None


def create_proposal(
    *,
    plan,
    unit: Unit,
    title: Title,
    user,
    nominee_name: str = "",
    nominee_position: str = "",
    achievements: str,
) -> Proposal:
    if not permissions.can_propose_for(user, unit):
        raise AwardError(_("Bạn chỉ đề nghị khen thưởng cho đơn vị mình phụ trách."))
    nominee_name = _clean_nominee(unit=unit, title=title, nominee_name=nominee_name)
    if not (achievements or "").strip():
        raise AwardError(_("Phải tóm tắt thành tích."))
    with transaction.atomic():
        _check_duplicate(plan=plan, unit=unit, title=title, nominee_name=nominee_name)
        proposal = Proposal.objects.create(
            plan=plan,
            unit=unit,
            title=title,
            nominee_name=nominee_name,
            nominee_position=nominee_position.strip(),
            household=register_household(
                unit=unit, title=title, nominee_name=nominee_name, nominee_position=nominee_position
            ),
            achievements=achievements.strip(),
            created_by=user,
        )
        log_action(
            proposal, "awards.proposal.created", user, {"title": title.code, "nominee": proposal.nominee}
        )
        return proposal


def update_proposal(
    *,
    proposal: Proposal,
    user,
    version: int | None,
    title: Title,
    nominee_name: str,
    nominee_position: str,
    achievements: str,
) -> Proposal:
    with transaction.atomic():
        proposal = _locked(proposal)
        if version is not None and version != proposal.version:
            raise ConflictError(_("Đề nghị vừa được người khác cập nhật; hãy xem lại rồi sửa tiếp."))
        if not permissions.can_edit_proposal(user, proposal):
            raise AwardError(_("Đề nghị đã gửi: không sửa được nữa."))
        nominee_name = _clean_nominee(unit=proposal.unit, title=title, nominee_name=nominee_name)
        if not (achievements or "").strip():
            raise AwardError(_("Phải tóm tắt thành tích."))
        _check_duplicate(
            plan=proposal.plan,
            unit=proposal.unit,
            title=title,
            nominee_name=nominee_name,
            exclude=proposal.pk,
        )
        new = {
            "title": title.code,
            "nominee_name": nominee_name,
            "nominee_position": nominee_position.strip(),
            "achievements": achievements.strip(),
        }
        old = {
            "title": proposal.title.code,
            "nominee_name": proposal.nominee_name,
            "nominee_position": proposal.nominee_position,
            "achievements": proposal.achievements,
        }
        changed = {k: {"old": old[k], "new": new[k]} for k in new if old[k] != new[k]}
        proposal.title = title
        proposal.nominee_name, proposal.nominee_position = new["nominee_name"], new["nominee_position"]
        proposal.achievements = new["achievements"]
        proposal.household = register_household(
            unit=proposal.unit, title=title, nominee_name=nominee_name, nominee_position=nominee_position
        )
        proposal.version += 1
        proposal.save(
            update_fields=[
                "title",
                "nominee_name",
                "nominee_position",
                "household",
                "achievements",
                "version",
                "updated_at",
            ]
        )
        if changed:
            log_action(proposal, "awards.proposal.edited", user, {"changes": changed})
        return proposal


def submit_proposal(*, proposal: Proposal, user) -> Proposal:
    """Draft (or returned) → submitted to the office."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if not permissions.can_edit_proposal(user, proposal):
            raise AwardError(_("Chỉ gửi được đề nghị đang soạn hoặc bị trả lại, của đơn vị mình."))
        proposal.status = Proposal.Status.SUBMITTED
        proposal.submitted_by, proposal.submitted_at = user, timezone.now()
        proposal.office_eligible = None
        proposal.version += 1
        proposal.save(
            update_fields=[
                "status",
                "submitted_by",
                "submitted_at",
                "office_eligible",
                "version",
                "updated_at",
            ]
        )
        log_action(proposal, "awards.proposal.submitted", user, {"evidence": proposal.evidence.count()})
        return proposal


def sniff_type(head: bytes) -> str | None:
    for content_type, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return content_type
    return None


def add_evidence(*, proposal: Proposal, user, upload, description: str = "") -> EvidenceFile:
    """Keep a PDF, JPEG or PNG — judged by its first bytes, not by its name — under a random name."""
    name = os.path.basename(upload.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS:
        raise AwardError(_("Chỉ nhận tệp PDF, JPEG hoặc PNG."))
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise AwardError(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {
                "size": round(upload.size / 1048576, 1),
                "max": round(settings.EVIDENCE_MAX_BYTES / 1048576, 1),
            }
        )
    if upload.size == 0:
        raise AwardError(_("Tệp rỗng."))
    upload.seek(0)
    content_type = sniff_type(upload.read(16))
    upload.seek(0)
    if content_type is None or EXTENSIONS[extension] != content_type:
        raise AwardError(_("Nội dung tệp không phải PDF, JPEG hoặc PNG như tên tệp ghi."))
    stored = None
    try:
        with transaction.atomic():
            proposal = _locked(proposal)
            if not permissions.can_edit_proposal(user, proposal):
                raise AwardError(_("Chỉ bổ sung minh chứng khi đề nghị đang soạn hoặc bị trả lại."))
            if proposal.evidence.count() >= EVIDENCE_MAX_FILES:
                raise AwardError(_("Mỗi đề nghị tối đa %(n)s tệp minh chứng.") % {"n": EVIDENCE_MAX_FILES})
            evidence = EvidenceFile(
                proposal=proposal,
                original_name=name,
                content_type=content_type,
                size=upload.size,
                description=description.strip()[:300],
                uploaded_by=user,
            )
            # Staged and renamed into place (awards.evidence): a failure part-way leaves no file.
            evidence.file.name = evidence_path(evidence, name)
            evidence_files.write(upload, evidence.file.name)
            stored = evidence.file.name
            evidence.save()
            log_action(proposal, "awards.evidence.added", user, {"file": name, "size": upload.size})
    except BaseException:
        if stored:  # the row was not kept: neither is the file
            evidence_files.discard(stored)
        raise
    return evidence


def remove_evidence(*, evidence: EvidenceFile, user) -> None:
    with transaction.atomic():
        proposal = _locked(evidence.proposal)
        if not permissions.can_edit_proposal(user, proposal):
            raise AwardError(_("Chỉ xóa minh chứng khi đề nghị đang soạn hoặc bị trả lại."))
        storage, stored, name = evidence.file.storage, evidence.file.name, evidence.original_name
        evidence.delete()
        log_action(proposal, "awards.evidence.removed", user, {"file": name})
        transaction.on_commit(lambda: storage.delete(stored))


def check_proposal(*, proposal: Proposal, user, eligible: bool, note: str = "") -> Proposal:
    """The office's verdict after checking the file: eligible, or not (with the reason)."""
    from .eligibility import assess

    note = (note or "").strip()
    with transaction.atomic():
        proposal = _locked(proposal)
        if not permissions.can_check(user, proposal):
            raise AwardError(
                _("Chỉ Văn phòng - Thống kê kiểm tra đề nghị, và không tự kiểm tra đề nghị mình gửi.")
            )
        if proposal.status not in (Proposal.Status.SUBMITTED, Proposal.Status.CHECKED):
            raise AwardError(_("Chỉ kiểm tra đề nghị đã gửi và chưa chuyển Hội đồng."))
        assessment = assess(proposal, with_figures=False)
        if eligible and assessment.unmet:
            raise AwardError(
                _("Chưa thể kết luận đủ điều kiện: %(list)s")
                % {"list": "; ".join(f"{c.label} — {c.reason}" for c in assessment.unmet)}
            )
        if not eligible and not note:
            raise AwardError(_("Phải ghi lý do không đủ điều kiện."))
        proposal.status = Proposal.Status.CHECKED
        proposal.office_eligible, proposal.office_note = eligible, note
        proposal.checked_by, proposal.checked_at = user, timezone.now()
        proposal.version += 1
        proposal.save(
            update_fields=[
                "status",
                "office_eligible",
                "office_note",
                "checked_by",
                "checked_at",
                "version",
                "updated_at",
            ]
        )
        log_action(
            proposal,
            "awards.proposal.checked",
            user,
            {
                "eligible": eligible,
                "note": note,
                "criteria": {c.code: c.state for c in assessment.criteria if c.code != "checklist"},
            },
        )
        return proposal


def return_proposal(*, proposal: Proposal, user, reason: str) -> Proposal:
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("Phải ghi lý do trả lại."))
    with transaction.atomic():
        proposal = _locked(proposal)
        if not permissions.can_check(user, proposal):
            raise AwardError(_("Chỉ Văn phòng - Thống kê trả lại đề nghị."))
        if proposal.status not in (Proposal.Status.SUBMITTED, Proposal.Status.CHECKED):
            raise AwardError(_("Chỉ trả lại đề nghị đã gửi và chưa chuyển Hội đồng."))
        proposal.status = Proposal.Status.RETURNED
        proposal.return_reason = reason
        proposal.office_eligible = None
        proposal.version += 1
        proposal.save(update_fields=["status", "return_reason", "office_eligible", "version", "updated_at"])
        log_action(proposal, "awards.proposal.returned", user, {"reason": reason})
        return proposal


def forward_proposal(*, proposal: Proposal, session: CouncilSession, user) -> AgendaItem:
    """Put an eligible proposal on the agenda of a session being prepared."""
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        proposal = _locked(proposal)
        if not permissions.can_check(user, proposal):
            raise AwardError(_("Chỉ Văn phòng - Thống kê chuyển đề nghị lên Hội đồng."))
        if proposal.status != Proposal.Status.CHECKED or not proposal.office_eligible:
            raise AwardError(_("Chỉ chuyển Hội đồng đề nghị đã kiểm tra và đủ điều kiện."))
        if session.status != CouncilSession.Status.PLANNED:
            raise AwardError(
                _("Phiên họp đã bắt đầu hoặc đã kết thúc: không thêm vào chương trình được nữa.")
            )
        if session.plan_id != proposal.plan_id:
            raise AwardError(_("Phiên họp xét khen thưởng của năm khác."))
        order = (session.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
        item = AgendaItem.objects.create(session=session, proposal=proposal, order=order)
        proposal.status = Proposal.Status.FORWARDED
        proposal.version += 1
        proposal.save(update_fields=["status", "version", "updated_at"])
        log_action(proposal, "awards.proposal.forwarded", user, {"session": session.pk})
        return item


def withdraw_from_agenda(*, proposal: Proposal, user) -> Proposal:
    with transaction.atomic():
        proposal = _locked(proposal)
        item = AgendaItem.objects.select_related("session").filter(proposal=proposal).first()
        if not permissions.can_check(user, proposal) or item is None:
            raise AwardError(_("Chỉ Văn phòng - Thống kê rút đề nghị khỏi chương trình."))
        session = CouncilSession.objects.select_for_update().get(pk=item.session_id)
        if session.status != CouncilSession.Status.PLANNED:
            raise AwardError(_("Phiên họp đã bắt đầu biểu quyết: không rút được nữa."))
        item.delete()
        proposal.status = Proposal.Status.CHECKED
        proposal.version += 1
        proposal.save(update_fields=["status", "version", "updated_at"])
        log_action(proposal, "awards.proposal.withdrawn", user, {"session": session.pk})
        return proposal


def passed_proposals(session: CouncilSession, *, ward: bool, on: date | None = None) -> list[Proposal]:
    """The proposals the session passed, for the titles the ward decides (ward=True) or a higher level,
    as the law in force on `on` (the document's date; the meeting's by default) assigns them."""
    on = on or session.held_on
    decides: dict[int, bool] = {}  # one look-up of the law per title, not per proposal
    found = []
    for item in (
        session.agenda.filter(passed=True)
        .select_related("proposal__title", "proposal__unit", "proposal__plan")
        .order_by("proposal__title__order", "proposal__unit__order", "order")
    ):
        title = item.proposal.title
        if title.pk not in decides:
            decides[title.pk] = ward_decides(title, on=on)
        if decides[title.pk] == ward:
            found.append(item.proposal)
    return found


def ward_decider(*, plan, titles, on: date) -> str:
    """Who signs the ward's decision on `on`, from the law's data ("Chủ tịch UBND phường Phổ Minh");
    the plan's issuer when no rule is recorded for these titles."""
    ward = ward_text("committee_short_name")
    for title in titles:
        found = authority_for(title, on=on)
        if found and found.ward_decides:
            # The law names the ward's chairman; which ward is the identity's (titles.json is Phổ Minh's).
            return f"Chủ tịch {ward}" if ward else found.decider
    return f"Chủ tịch {issuer_for(plan)}"


def decision_blockers(proposals: list[Proposal], *, on: date | None = None) -> list[str]:
    """What stops a decision on these proposals: a quota exceeded, a prerequisite title not obtained,
    a list that had to be posted publicly and was not, or not for long enough by `on` (the signing
    date; today by default), and comments received while it was posted that nobody has answered."""
    from .eligibility import MET, prerequisite, quota_for

    problems = []
    seen = set()
    for p in proposals:
        key = (p.unit_id, p.title_id)
        if key not in seen:
            seen.add(key)
            quota = quota_for(plan=p.plan, unit=p.unit, title=p.title, firm=True)
            if quota and quota.exceeded:
                problems.append(
                    _("%(unit)s vượt tỷ lệ: %(detail)s.") % {"unit": p.unit, "detail": quota.describe()}
                )
        needed = prerequisite(p)
        if needed and needed.state != MET:
            problems.append(f"{p.nominee} — {needed.label}: {needed.reason}")
    return problems + posting_blockers(proposals, on=on or timezone.localdate())


def _who(proposal: Proposal) -> str:
    return f"{proposal.nominee} ({proposal.unit})" if proposal.nominee_name else proposal.nominee


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def posting_blockers(proposals: list[Proposal], *, on: date) -> list[str]:
    """For the titles that must be posted: each proposal needs a posting whose period is over on `on`,
    and every comment received about it (or about its whole list) needs an answer. Three queries."""
    needing = [p for p in proposals if p.title.requires_posting]
    if not needing:
        return []
    links = list(
        Posting.proposals.through.objects.filter(proposal_id__in=[p.pk for p in needing]).select_related(
            "posting__title", "posting__unit"
        )
    )
    postings_of = defaultdict(list)
    for link in links:
        postings_of[link.proposal_id].append(link.posting)
    open_comments = list(
        PostingComment.objects.filter(posting_id__in={link.posting_id for link in links}, response="")
        .select_related("posting__title", "posting__unit")
        .order_by("posting_id", "pk")
    )
    problems = []
    for p in needing:
        postings = postings_of.get(p.pk, [])
        if not postings:
            problems.append(
                _(
                    "%(who)s — %(title)s: chưa niêm yết công khai danh sách đề nghị; phải công khai trước khi quyết định, trình cấp trên."
                )
                % {"who": _who(p), "title": p.title}
            )
        elif not any(posting.is_over(on) for posting in postings):
            latest = max(postings, key=lambda posting: posting.ends_on)
            problems.append(
                _(
                    "%(who)s — %(title)s: danh sách đang niêm yết công khai từ ngày %(start)s đến hết ngày "
                    "%(end)s; chỉ quyết định, trình từ ngày %(next)s."
                )
                % {
                    "who": _who(p),
                    "title": p.title,
                    "start": _day(latest.posted_on),
                    "end": _day(latest.ends_on),
                    "next": _day(latest.decidable_on),
                }
            )
        about = sum(1 for c in open_comments if c.proposal_id == p.pk)
        if about:
            problems.append(
                _("%(who)s: %(n)s ý kiến nhận được trong thời gian công khai chưa có cách giải quyết.")
                % {"who": _who(p), "n": about}
            )
    general: dict[int, list[PostingComment]] = {}
    for c in open_comments:
        if c.proposal_id is None:
            general.setdefault(c.posting_id, []).append(c)
    for comments in general.values():
        problems.append(
            _("Đợt công khai %(posting)s: %(n)s ý kiến chung về danh sách chưa có cách giải quyết.")
            % {"posting": comments[0].posting, "n": len(comments)}
        )
    return problems


def postable_proposals(*, plan, title: Title, unit: Unit | None = None):
    """The proposals a posting of `title` (for `unit`, or ward-wide) may list: sent in, not decided."""
    rows = Proposal.objects.filter(plan=plan, title=title, status__in=POSTABLE)
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.select_related("unit", "title").order_by("unit__order", "nominee_name", "pk")


def start_posting(
    *,
    plan,
    title: Title,
    unit: Unit | None,
    user,
    posted_on: date,
    days: int = 10,
    proposals: list[Proposal] | None = None,
    number: str = "",
    place: str = "",
) -> Posting:
    """The office posts a list: the proposals given (by default all that may be posted) of one title,
    for one residential group or the whole ward, from `posted_on` for `days` days."""
    if not permissions.can_manage_postings(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê lập đợt công khai."))
    if not POSTING_DAYS[0] <= days <= POSTING_DAYS[1]:
        raise AwardError(
            _("Thời gian công khai từ %(min)s đến %(max)s ngày.")
            % {"min": POSTING_DAYS[0], "max": POSTING_DAYS[1]}
        )
    if posted_on > timezone.localdate():
        raise AwardError(_("Ngày niêm yết không được sau hôm nay: ghi nhận khi danh sách đã được niêm yết."))
    if unit is not None and unit.kind != Unit.Kind.RESIDENTIAL_GROUP:
        raise AwardError(_("Chỉ niêm yết danh sách tại tổ dân phố, hoặc danh sách chung của phường."))
    with transaction.atomic():
        eligible = {
            p.pk: p
            for p in postable_proposals(plan=plan, title=title, unit=unit).select_for_update(of=("self",))
        }
        if proposals is None:
            chosen = list(eligible.values())
        else:
            wrong = [p for p in proposals if p.pk not in eligible]
            if wrong:
                raise AwardError(
                    _(
                        "Chỉ công khai đề nghị %(title)s đã gửi, chưa quyết định, của đơn vị đang công khai: "
                        "%(list)s."
                    )
                    % {"title": title, "list": ", ".join(_who(p) for p in wrong)}
                )
            chosen = [eligible[p.pk] for p in proposals]
        if not chosen:
            raise AwardError(
                _("Không có đề nghị %(title)s nào đã gửi và chưa quyết định để công khai.") % {"title": title}
            )
        posting = Posting.objects.create(
            plan=plan,
            title=title,
            unit=unit,
            number=(number or "").strip(),
            place=(place or "").strip(),
            posted_on=posted_on,
            days=days,
            created_by=user,
        )
        posting.proposals.set(chosen)
        log_action(
            posting,
            "awards.posting.started",
            user,
            {
                "title": title.code,
                "unit": unit.code if unit else None,
                "posted_on": posted_on.isoformat(),
                "days": days,
                "proposals": sorted(p.pk for p in chosen),
            },
        )
        return posting


def record_posting_comment(
    *,
    posting: Posting,
    user,
    received_on: date,
    text: str,
    from_name: str = "",
    proposal: Proposal | None = None,
    household=None,
) -> PostingComment:
    """A comment received while the list was posted, about one nominee or the whole list."""
    if not permissions.can_manage_postings(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê ghi nhận ý kiến."))
    text = (text or "").strip()
    if not text:
        raise AwardError(_("Phải ghi nội dung ý kiến."))
    from_name = " ".join((from_name or "").split()) or ANONYMOUS
    if received_on > timezone.localdate():
        raise AwardError(_("Ngày nhận ý kiến không được sau hôm nay."))
    with transaction.atomic():
        posting = (
            Posting.objects.select_for_update(of=("self",)).select_related("title", "unit").get(pk=posting.pk)
        )
        if not posting.accepts(received_on):
            raise AwardError(
                _(
                    "Ý kiến nhận ngày %(day)s nằm ngoài thời gian công khai (từ ngày %(start)s đến hết ngày "
                    "%(end)s)."
                )
                % {"day": _day(received_on), "start": _day(posting.posted_on), "end": _day(posting.ends_on)}
            )
        if household is not None and not (
            posting.review_id
            and posting.review.assessments.filter(household=household, qualified=True).exists()
        ):
            raise AwardError(_("Ý kiến chỉ nói về một hộ có tên trong danh sách công khai này."))
        if proposal is not None and not posting.proposals.filter(pk=proposal.pk).exists():
            raise AwardError(_("Ý kiến chỉ nói về một trường hợp có tên trong danh sách công khai này."))
        comment = PostingComment.objects.create(
            posting=posting,
            proposal=proposal,
            household=household,
            received_on=received_on,
            from_name=from_name[:160],
            text=text,
            recorded_by=user,
        )
        log_action(
            posting,
            "awards.posting.comment_recorded",
            user,
            {
                "comment": comment.pk,
                "proposal": proposal.pk if proposal else None,
                "household": household.pk if household else None,
            },
        )
        return comment


def record_comment_response(*, comment: PostingComment, user, response: str) -> PostingComment:
    """How a comment was settled (checked, explained, the proposal withdrawn...); may be corrected later,
    the earlier wording stays in the log."""
    if not permissions.can_manage_postings(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê ghi cách giải quyết ý kiến."))
    response = (response or "").strip()
    if not response:
        raise AwardError(_("Phải ghi cách giải quyết ý kiến."))
    with transaction.atomic():
        comment = (
            PostingComment.objects.select_for_update(of=("self",))
            .select_related("posting")
            .get(pk=comment.pk)
        )
        old = comment.response
        comment.response, comment.responded_by, comment.responded_at = response, user, timezone.now()
        comment.save(update_fields=["response", "responded_by", "responded_at"])
        log_action(
            comment.posting,
            "awards.posting.comment_answered",
            user,
            {"comment": comment.pk, "old": old, "new": response},
        )
        return comment


WARD_RECIPIENTS = "- Như Điều 3;\n- TT. ĐU, HĐND phường;\n- CT, PCT UBND phường;\n- Lưu: VT, VP-TK."
LETTER_RECIPIENTS = "- Như trên;\n- Lưu: VT, VP-TK."


def _require_decision(session: CouncilSession, user) -> CouncilSession:
    if not permissions.can_decide(user):
        raise AwardError(_("Chỉ Chủ tịch UBND phường ký quyết định, tờ trình."))
    session = (
        CouncilSession.objects.select_for_update(of=("self",))
        .select_related("council", "plan")
        .get(pk=session.pk)
    )
    if session.status != CouncilSession.Status.CLOSED:
        raise AwardError(_("Phiên họp chưa kết thúc biểu quyết."))
    return session


def _clean_number(number: str) -> str:
    number = (number or "").strip()
    if not number:
        raise AwardError(_("Phải ghi số, ký hiệu văn bản."))
    return number


def number_pattern(*, plan, kind: str) -> str | None:
    """The ward's pattern for a document it issues (data on the plan); None for the higher level's."""
    if kind == Decision.Kind.WARD:
        return plan.decision_number_pattern
    if kind == Decision.Kind.LETTER:
        return plan.letter_number_pattern
    return None


def check_number(*, plan, kind: str, number: str) -> str:
    """The number as typed, stripped, refused unless it follows the ward's pattern ("125/QĐ-UBND")."""
    number = _clean_number(number)
    pattern = number_pattern(plan=plan, kind=kind)
    if pattern:
        try:
            matches = re.fullmatch(pattern, number, flags=re.ASCII)
        except re.error:
            matches = None
        if not matches:
            example = "125/QĐ-UBND" if kind == Decision.Kind.WARD else "21/TTr-UBND"
            raise AwardError(
                _("Số, ký hiệu “%(number)s” không đúng mẫu của phường (ví dụ %(example)s).")
                % {"number": number, "example": example}
            )
    return number


def _decision_day(signed_on: date) -> date:
    """The day the posting rules are judged on: the signing date, but never later than today (a
    decision dated ahead does not end a posting that is still running)."""
    return min(signed_on, timezone.localdate())


def _record(proposal: Proposal, decision: Decision) -> AwardRecord:
    return AwardRecord.objects.create(
        register_number=next_register_number(proposal.plan.year),
        year=proposal.plan.year,
        title=proposal.title,
        unit=proposal.unit,
        nominee_name=proposal.nominee_name,
        nominee_position=proposal.nominee_position,
        decision_number=decision.number,
        decided_on=decision.signed_on,
        decided_by=decision.issuer,
        proposal=proposal,
        decision=decision,
    )


def _lock_decision(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("plan", "session", "corrects")
        .get(pk=decision.pk)
    )


def _require_draft(decision: Decision, version: int | None) -> None:
    if decision.is_signed:
        raise AwardError(_("Quyết định đã ký không sửa được; muốn sửa phải ban hành quyết định đính chính."))
    if version is not None and version != decision.version:
        raise ConflictError(_("Người khác vừa sửa dự thảo này; hãy tải lại trang."))


def _decidable_without_session(proposals: list[Proposal], *, plan, one_off: bool, on: date) -> None:
    """Without a council session the ward decides only what the office found eligible, for titles it
    decides itself on `on`; and, unless it is a one-off award with its own subject, only titles whose
    procedure has no council vote (Gia đình văn hóa)."""
    for p in proposals:
        if not ward_decides(p.title, on=on):
            raise AwardError(
                _("“%(title)s” không thuộc thẩm quyền quyết định của phường.") % {"title": p.title.name}
            )
        if not one_off and council_vote_required(p.title, on=on):
            raise AwardError(
                _(
                    "“%(title)s” phải qua Hội đồng biểu quyết; quyết định không qua phiên họp phải có trích yếu riêng (khen thưởng đột xuất, chuyên đề)."
                )
                % {"title": p.title.name}
            )
        if p.plan_id != plan.pk:
            raise AwardError(
                _("%(who)s không thuộc kế hoạch năm %(year)d.") % {"who": _who(p), "year": plan.year}
            )
        if p.status != Proposal.Status.CHECKED or p.office_eligible is not True:
            raise AwardError(_("%(who)s chưa được Văn phòng kiểm tra là đủ điều kiện.") % {"who": _who(p)})
        if p.decisions.exists():
            raise AwardError(_("%(who)s đã có trong một quyết định khác.") % {"who": _who(p)})


def draft_decision(
    *,
    plan,
    user,
    session: CouncilSession | None = None,
    proposals: list[Proposal] | None = None,
    subject: str = "",
    number: str = "",
    signed_on: date | None = None,
    recipients: str | None = None,
) -> Decision:
    """A draft decision of the ward chairman: a session's outcome for the ward's titles, or (without a
    session) the office's list for titles with no council vote and one-off awards (with a subject).

    The number and date may be left for later; they are checked when given and required at signing.
    """
    if not (permissions.can_decide(user) or permissions.can_draft_decisions(user)):
        raise AwardError(_("Chỉ Văn phòng - Thống kê hoặc Chủ tịch UBND phường soạn quyết định."))
    subject = (subject or "").strip()
    number = check_number(plan=plan, kind=Decision.Kind.WARD, number=number) if (number or "").strip() else ""
    with transaction.atomic():
        if session is not None:
            session = (
                CouncilSession.objects.select_for_update(of=("self",))
                .select_related("plan")
                .get(pk=session.pk)
            )
            if session.status != CouncilSession.Status.CLOSED:
                raise AwardError(_("Phiên họp chưa kết thúc biểu quyết."))
            if session.decisions.filter(kind=Decision.Kind.WARD).exists():
                raise AwardError(_("Quyết định khen thưởng của phiên họp này đã được ghi nhận."))
            plan = session.plan
            proposals = [
                p
                for p in passed_proposals(session, ward=True, on=signed_on)
                if p.status == Proposal.Status.PASSED
            ]
            if not proposals:
                raise AwardError(_("Không có đề nghị nào thuộc thẩm quyền của phường được thông qua."))
        else:
            proposals = list(
                Proposal.objects.select_for_update(of=("self",))
                .filter(pk__in=[p.pk for p in proposals or []])
                .select_related("plan", "title", "unit")
            )
            if not proposals:
                raise AwardError(_("Quyết định phải có ít nhất một trường hợp được khen thưởng."))
            _decidable_without_session(
                proposals, plan=plan, one_off=bool(subject), on=signed_on or timezone.localdate()
            )
        decision = Decision.objects.create(
            plan=plan,
            session=session,
            kind=Decision.Kind.WARD,
            number=number,
            signed_on=signed_on,
            subject=subject,
            issuer=ward_decider(
                plan=plan,
                titles=[p.title for p in proposals],
                on=signed_on or (session.held_on if session else timezone.localdate()),
            ),
            signer_name=chairman_for(plan),
            recipients=WARD_RECIPIENTS if recipients is None else recipients.strip(),
            recorded_by=user,
        )
        decision.proposals.set(proposals)
        log_action(
            decision,
            "awards.decision.drafted",
            user,
            {
                "session": session.pk if session else None,
                "number": number,
                "subject": subject,
                "proposals": [p.pk for p in proposals],
            },
        )
        return decision


DRAFT_FIELDS = ("number", "signed_on", "subject", "recipients")


def update_draft(*, decision: Decision, user, version: int | None = None, **data) -> Decision:
    """The number, date, summary line or recipients of a draft corrected; refused once it is signed."""
    if not (permissions.can_decide(user) or permissions.can_draft_decisions(user)):
        raise AwardError(_("Chỉ Văn phòng - Thống kê hoặc Chủ tịch UBND phường sửa dự thảo quyết định."))
    with transaction.atomic():
        decision = _lock_decision(decision)
        _require_draft(decision, version)
        if (data.get("number") or "").strip():
            data["number"] = check_number(plan=decision.plan, kind=decision.kind, number=data["number"])
        changes = {}
        for name in DRAFT_FIELDS:
            if name in data:
                new = data[name].strip() if isinstance(data[name], str) else data[name]
                old = getattr(decision, name)
                if new != old:
                    changes[name] = {"old": str(old) if old else "", "new": str(new) if new else ""}
                    setattr(decision, name, new or ("" if name != "signed_on" else None))
        if changes:
            decision.version += 1
            decision.save(update_fields=[*changes, "version"])
            log_action(decision, "awards.decision.draft_changed", user, {"changes": changes})
        return decision


def _apply_correction(correction: Decision, user) -> None:
    """A signed correcting decision puts its corrected number, date or summary on the decision it
    corrects and on that decision's rows of the registry, each change logged."""
    original = _lock_decision(correction.corrects)
    before = {name: str(getattr(original, name) or "") for name in ("number", "signed_on", "subject")}
    fields = []
    if correction.changes.get("number"):
        original.number = correction.changes["number"]
        fields.append("number")
    if correction.changes.get("signed_on"):
        original.signed_on = date.fromisoformat(correction.changes["signed_on"])
        fields.append("signed_on")
    if "subject" in correction.changes:
        original.subject = correction.changes["subject"]
        fields.append("subject")
    if fields:
        original.version += 1
        original.save(update_fields=[*fields, "version"])
        original.records.update(decision_number=original.number, decided_on=original.signed_on)
    log_action(
        original,
        "awards.decision.corrected",
        user,
        {
            "by": correction.pk,
            "by_number": correction.number,
            "before": before,
            "after": {
                name: str(getattr(original, name) or "") for name in ("number", "signed_on", "subject")
            },
        },
    )


def _authority_blockers(decision: Decision, proposals: list[Proposal]) -> list[str]:
    """On its signing date, the ward decides every title of its decision and none of its letter's."""
    if decision.kind == Decision.Kind.HIGHER:
        return []
    ward = decision.kind == Decision.Kind.WARD
    wrong = sorted({p.title.name for p in proposals if ward_decides(p.title, on=decision.signed_on) != ward})
    if not wrong:
        return []
    message = (
        _("Ngày %(day)s, “%(titles)s” không thuộc thẩm quyền quyết định của phường.")
        if ward
        else _("Ngày %(day)s, “%(titles)s” thuộc thẩm quyền quyết định của phường, không trình cấp trên.")
    )
    return [message % {"day": _day(decision.signed_on), "titles": "”, “".join(wrong)}]


def sign_decision(*, decision: Decision, user, version: int | None = None) -> Decision:
    """The chairman signs a draft: its number and date must be there and valid, nothing may block the
    award; the awarded enter the registry (a letter sends its proposals up). Locked afterwards."""
    from . import household_decisions  # it builds on this module

    if not permissions.can_decide(user):
        raise AwardError(_("Chỉ Chủ tịch UBND phường ký quyết định, tờ trình."))
    households = 0
    with transaction.atomic():
        decision = _lock_decision(decision)
        _require_draft(decision, version)
        number = check_number(plan=decision.plan, kind=decision.kind, number=decision.number)
        if decision.signed_on is None:
            raise AwardError(_("Phải ghi ngày ký."))
        duplicate = Decision.objects.filter(
            plan__year=decision.plan.year, kind=decision.kind, number=number, status=Decision.Status.SIGNED
        ).exclude(pk=decision.pk)
        if decision.kind != Decision.Kind.HIGHER and duplicate.exists():
            raise AwardError(_("Số %(number)s đã được dùng cho một văn bản khác đã ký.") % {"number": number})
        proposals = list(
            decision.proposals.select_for_update(of=("self",)).select_related("plan", "title", "unit")
        )
        if decision.corrects_id is None:
            wanted = Proposal.Status.PASSED if decision.session_id else Proposal.Status.CHECKED
            stale = [p for p in proposals if p.status != wanted]
            if stale:
                raise AwardError(
                    _("Trạng thái đã thay đổi: %(list)s.") % {"list": ", ".join(_who(p) for p in stale)}
                )
            problems = _authority_blockers(decision, proposals) + decision_blockers(
                proposals, on=_decision_day(decision.signed_on)
            )
            problems += household_decisions.decision_blockers(decision, on=_decision_day(decision.signed_on))
            if problems:
                verb = (
                    _("Chưa thể trình: %(list)s")
                    if decision.kind == Decision.Kind.LETTER
                    else _("Chưa thể quyết định: %(list)s")
                )
                raise AwardError(verb % {"list": " ".join(problems)})
        decision.status = Decision.Status.SIGNED
        decision.signed_by = user
        decision.signed_at = timezone.now()
        decision.version += 1
        fields = ["status", "signed_by", "signed_at", "version"]
        if decision.kind == Decision.Kind.WARD and decision.corrects_id is None:
            # Who decides is the law's on the signing date, which may differ from the draft's.
            decision.issuer = ward_decider(
                plan=decision.plan, titles=[p.title for p in proposals], on=decision.signed_on
            )
            fields.append("issuer")
        decision.save(update_fields=fields)
        if decision.corrects_id:
            _apply_correction(decision, user)
        elif decision.kind == Decision.Kind.LETTER:
            Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
                status=Proposal.Status.PROPOSED_UP,
                letter=decision,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            for proposal in proposals:
                log_action(proposal, "awards.proposal.proposed_up", user, {"letter": number})
        else:
            for proposal in proposals:
                _record(proposal, decision)
                Proposal.objects.filter(pk=proposal.pk).update(
                    status=Proposal.Status.AWARDED, version=F("version") + 1, updated_at=timezone.now()
                )
                log_action(proposal, "awards.proposal.awarded", user, {"decision": number})
            households = household_decisions.record_households(decision)
        action = (
            "awards.letter.recorded" if decision.kind == Decision.Kind.LETTER else "awards.decision.recorded"
        )
        subject = decision.session if decision.session_id else decision
        log_action(
            subject,
            action,
            user,
            {
                "decision": decision.pk,
                "number": number,
                "proposals": [p.pk for p in proposals],
                "households": households,
            },
        )
        return decision


def correct_decision(
    *, decision: Decision, user, number: str = "", signed_on: date | None = None, changes: dict
) -> Decision:
    """A draft correcting decision (quyết định đính chính) for a signed one: it carries the corrected
    number, date or summary line, applied to the original and the registry when it is signed."""
    if not (permissions.can_decide(user) or permissions.can_draft_decisions(user)):
        raise AwardError(_("Chỉ Văn phòng - Thống kê hoặc Chủ tịch UBND phường soạn quyết định."))
    with transaction.atomic():
        original = _lock_decision(decision)
        if not original.is_signed:
            raise AwardError(_("Dự thảo chưa ký thì sửa trực tiếp, không cần quyết định đính chính."))
        if original.kind == Decision.Kind.HIGHER:
            raise AwardError(_("Quyết định của cấp trên do cấp trên đính chính."))
        clean = {}
        if (changes.get("number") or "").strip():
            clean["number"] = check_number(plan=original.plan, kind=original.kind, number=changes["number"])
        if changes.get("signed_on"):
            clean["signed_on"] = changes["signed_on"].isoformat()
        if "subject" in changes and changes["subject"] is not None:
            clean["subject"] = changes["subject"].strip()
        clean = {k: v for k, v in clean.items() if v != str(getattr(original, k) or "")}
        if not clean:
            raise AwardError(_("Quyết định đính chính phải sửa ít nhất một nội dung."))
        number = (
            check_number(plan=original.plan, kind=original.kind, number=number)
            if (number or "").strip()
            else ""
        )
        correction = Decision.objects.create(
            plan=original.plan,
            kind=original.kind,
            number=number,
            signed_on=signed_on,
            subject=_("Về việc đính chính %(doc)s số %(number)s")
            % {
                "doc": _("Quyết định") if original.kind == Decision.Kind.WARD else _("Tờ trình"),
                "number": original.number,
            },
            issuer=original.issuer,
            signer_name=original.signer_name,
            recipients=original.recipients,
            corrects=original,
            changes=clean,
            recorded_by=user,
        )
        log_action(correction, "awards.decision.correction_drafted", user, {"corrects": original.pk, **clean})
        return correction


def record_decision(*, session: CouncilSession, user, number: str, signed_on: date) -> Decision:
    """The ward chairman's decision on the ward's titles the session passed, drafted and signed at once:
    each awarded proposal enters the registry."""
    number = _clean_number(number)
    with transaction.atomic():
        session = _require_decision(session, user)
        check_number(plan=session.plan, kind=Decision.Kind.WARD, number=number)
        decision = draft_decision(
            plan=session.plan, session=session, user=user, number=number, signed_on=signed_on
        )
        return sign_decision(decision=decision, user=user)


def draft_letter(
    *, session: CouncilSession, user, number: str = "", signed_on: date | None = None
) -> Decision:
    """A draft proposal letter (tờ trình) for the higher titles the session passed."""
    with transaction.atomic():
        session = _require_decision(session, user)
        if session.decisions.filter(kind=Decision.Kind.LETTER).exists():
            raise AwardError(_("Tờ trình của phiên họp này đã được ghi nhận."))
        if (number or "").strip():
            number = check_number(plan=session.plan, kind=Decision.Kind.LETTER, number=number)
        proposals = [
            p
            for p in passed_proposals(session, ward=False, on=signed_on)
            if p.status == Proposal.Status.PASSED
        ]
        if not proposals:
            raise AwardError(_("Không có đề nghị nào cần trình cấp trên."))
        letter = Decision.objects.create(
            plan=session.plan,
            session=session,
            kind=Decision.Kind.LETTER,
            number=(number or "").strip(),
            signed_on=signed_on,
            issuer=session.council.higher_authority,
            signer_name=chairman_for(session.plan),
            recipients=LETTER_RECIPIENTS,
            recorded_by=user,
        )
        letter.proposals.set(proposals)
        log_action(letter, "awards.decision.drafted", user, {"session": session.pk, "number": letter.number})
        return letter


def record_letter(*, session: CouncilSession, user, number: str, signed_on: date) -> Decision:
    """The proposal letter (tờ trình) sending the higher titles the session passed to the higher level."""
    number = _clean_number(number)
    with transaction.atomic():
        letter = draft_letter(session=session, user=user, number=number, signed_on=signed_on)
        return sign_decision(decision=letter, user=user)


def record_higher_decision(
    *, session: CouncilSession, user, number: str, signed_on: date, issuer: str, awarded_ids: set[int]
) -> Decision:
    """The higher level's answer to the letter: the proposals it awarded enter the registry."""
    number = _clean_number(number)
    if not permissions.can_record_higher_decision(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê hoặc lãnh đạo UBND ghi nhận quyết định của cấp trên."))
    with transaction.atomic():
        session = (
            CouncilSession.objects.select_for_update(of=("self",))
            .select_related("council", "plan")
            .get(pk=session.pk)
        )
        letter = session.decisions.filter(kind=Decision.Kind.LETTER, status=Decision.Status.SIGNED).first()
        if letter is None:
            raise AwardError(_("Chưa có tờ trình gửi cấp trên."))
        if session.decisions.filter(kind=Decision.Kind.HIGHER).exists():
            raise AwardError(_("Quyết định của cấp trên đã được ghi nhận."))
        proposals = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(letter=letter, status=Proposal.Status.PROPOSED_UP)
            .select_related("plan", "title", "unit")
        )
        decision = Decision.objects.create(
            plan=session.plan,
            session=session,
            kind=Decision.Kind.HIGHER,
            status=Decision.Status.SIGNED,
            number=number,
            signed_on=signed_on,
            issuer=(issuer or "").strip() or session.council.higher_authority,
            recorded_by=user,
            signed_by=user,
            signed_at=timezone.now(),
        )
        decision.proposals.set([p for p in proposals if p.pk in awarded_ids])
        for proposal in proposals:
            if proposal.pk in awarded_ids:
                _record(proposal, decision)
                proposal.status = Proposal.Status.AWARDED
            else:
                proposal.status = Proposal.Status.NOT_AWARDED
            proposal.version += 1
            proposal.save(update_fields=["status", "version", "updated_at"])
            log_action(proposal, f"awards.proposal.{proposal.status}", user, {"decision": number})
        log_action(
            session,
            "awards.higher_decision.recorded",
            user,
            {"number": number, "awarded": sorted(awarded_ids)},
        )
        return decision


def update_title(*, title: Title, user, data: dict) -> Title:
    """The office edits a title's rules; before and after go into the log."""
    if not permissions.can_edit_titles(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê sửa danh hiệu."))

    def plain(value):
        if isinstance(value, Title):
            return value.code
        return str(value) if value is not None else None

    with transaction.atomic():
        title = Title.objects.select_for_update().get(pk=title.pk)
        changes = {}
        for name in TITLE_FIELDS:
            if name in data and getattr(title, name) != data[name]:
                changes[name] = {"old": plain(getattr(title, name)), "new": plain(data[name])}
                setattr(title, name, data[name])
        if changes:
            try:
                title.full_clean()
            except ValidationError as error:
                raise AwardError(" ".join(error.messages)) from error
            title.save()
            log_action(title, "awards.title.changed", user, {"changes": changes})
        return title
