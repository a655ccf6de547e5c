"""The achievement report (báo cáo thành tích) of a proposal, pre-filled from the data (issue 15 item 3).

Part of the dossier of every collective proposal, of a residential group's proposal for "Tổ dân phố
văn hóa" (Mẫu số 05, Nghị định 86/2023/NĐ-CP) and of the individual titles flagged for it
(`Title.requires_achievement_report`, data). The unit writes the narrative (AchievementReport); every
figure is read from the data each time the report is shown or printed:

- the unit's own figures beside the ward's plan, from `indicators.progress.unit_rows`, the function
  the dashboard's unit page draws (so that the two can never disagree), up to the latest quarter with
  approved figures, the quarter the dashboard opens on;
- the pledge's and covenants' commitments judged on the unit's own roll-up (campaigns.fulfilment);
- the awards of earlier years from the registry (AwardRecord), without revoked ones;
- the evidence files of the proposal.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.fulfilment import CommitmentResult, judge_commitments
from campaigns.identity import issuer_for, place_for
from campaigns.models import Commitment, Covenant
from indicators.audit import log_action
from indicators.progress import UnitRow, latest_quarter_with_data, quarter_text, unit_rows
from indicators.rollup import rollup

from .eligibility import nominee_history, unit_pledge
from .law import LegalText, authority_for, law_in_force
from .models import AchievementReport, AwardRecord, EvidenceFile, Proposal, Title
from .permissions import EDITABLE
from .services import AwardError, ConflictError

NARRATIVE_FIELDS = ("situation", "achievements", "measures", "direction")
REPORT_FIELDS = (*NARRATIVE_FIELDS, "head_name", "head_position", "reported_on")


def needs_report(proposal: Proposal) -> bool:
    return proposal.title.requires_achievement_report


def _decrees(*, title: Title, on: date) -> list[LegalText]:
    """The decrees of the title's basis in force on `on` (else the emulation texts in force), in order."""
    authority = authority_for(title, on=on)
    texts = list(authority.row.basis.all()) if authority and authority.row else []
    texts = [t for t in texts if t.in_force_on(on)] or law_in_force(on=on, role=LegalText.Role.EMULATION)
    return sorted((t for t in texts if t.kind == LegalText.Kind.DECREE), key=lambda t: (t.order, t.pk))


def _title_decree(*, title: Title, on: date) -> LegalText | None:
    """The decree in force on `on` whose subject names the title (Nghị định 86/2023/NĐ-CP for the
    household and residential-group titles in the shipped data), else the last decree of its basis."""
    decrees = _decrees(title=title, on=on)
    if not decrees:
        return None
    named = [t for t in decrees if title.name.lower() in t.title.lower()]
    return named[0] if named else decrees[-1]


def group_form(*, title: Title, on: date, number: str) -> str:
    """ "Mẫu số 04 ban hành kèm theo Nghị định số 86/2023/NĐ-CP ngày …": a form of the title's decree in
    force on `on` (the residential groups' documents, Mẫu số 04, 05 and 06)."""
    decree = _title_decree(title=title, on=on)
    return f"Mẫu số {number} ban hành kèm theo {_short_citation(decree)}" if decree else ""


def title_decree(*, title: Title, on: date) -> str:
    """ "Nghị định 86/2023/NĐ-CP", as the pages' help texts cite the title's decree; "" when the law data
    has none for the date."""
    decree = _title_decree(title=title, on=on)
    return f"{decree.get_kind_display()} {decree.number}" if decree else ""


def form_basis(*, title: Title, on: date) -> str:
    """The legal text whose form the report follows, read from the law data in force on the report's date
    (awards/law.py): the residential group's report is Mẫu số 05 of the decree whose subject names its
    title (Nghị định 86/2023/NĐ-CP in the shipped data); the others follow the first decree of the
    title's basis on that date (the one detailing the Law: 98/2023 until 30/06/2025, then 152/2025)."""
    if title.for_whom == Title.ForWhom.RESIDENTIAL_GROUP:
        return group_form(title=title, on=on, number="05")
    decrees = _decrees(title=title, on=on)
    if not decrees:
        return ""
    return f"Theo mẫu ban hành kèm theo {_short_citation(decrees[0])}"


def _short_citation(text: LegalText) -> str:
    """ "Nghị định số 86/2023/NĐ-CP ngày 07/12/2023 của Chính phủ"."""
    return f"{text.get_kind_display()} số {text.number} ngày {text.signed_on:%d/%m/%Y} của {text.issuer}"


def report_heading(proposal: Proposal) -> str:
    """ "Đề nghị tặng danh hiệu “Tập thể lao động tiên tiến” năm 2024" (the summary line)."""
    title, year = proposal.title, proposal.plan.year
    if title.for_whom == Title.ForWhom.RESIDENTIAL_GROUP:
        return f"Đề nghị công nhận danh hiệu “{title.name}” năm {year}"
    if title.code.startswith("GK"):
        return f"Đề nghị tặng {title.name} năm {year}"
    return f"Đề nghị tặng danh hiệu “{title.name}” năm {year}"


@dataclass
class CovenantResult:
    covenant: Covenant
    results: list[CommitmentResult]


@dataclass
class ReportData:
    """Everything the report page and its PDF print, read from the data once."""

    proposal: Proposal
    report: AchievementReport
    quarter: int
    quarter_text: str
    targets: list[UnitRow]
    pledge_results: list[CommitmentResult]
    text_commitments: list[Commitment]
    covenants: list[CovenantResult]
    earlier: list[AwardRecord]
    evidence: list[EvidenceFile]
    criteria: list[str] = field(default_factory=list)


def report_for(proposal: Proposal) -> AchievementReport:
    """The proposal's report, or a new unsaved one (version 0) pre-filled with the summary of
    achievements the unit typed on the proposal."""
    found = AchievementReport.objects.filter(proposal=proposal).first()
    return found or AchievementReport(proposal=proposal, achievements=proposal.achievements)


def report_data(proposal: Proposal) -> ReportData:
    """The figures behind the report: the unit's own roll-up up to the latest quarter with approved
    figures (the dashboard's default), the ward's beside it, the pledge and covenants judged on it."""
    plan, unit = proposal.plan, proposal.unit
    quarter = latest_quarter_with_data(plan)
    own = {r.target.pk: r for r in rollup(plan=plan, up_to_quarter=quarter, unit_ids=[unit.pk])}
    pledge = unit_pledge(proposal)
    pledge_results, text_commitments = [], []
    if pledge is not None:
        commitments = list(pledge.commitments.select_related("target").order_by("target__order", "pk"))
        pledge_results = judge_commitments(commitments, own, quarter)
        text_commitments = [c for c in commitments if c.target_id is None]
    covenants = []
    signed_up = Covenant.objects.filter(plan=plan, members__unit=unit).exclude(status=Covenant.Status.DRAFT)
    for covenant in signed_up.order_by("title"):
        commitments = list(covenant.commitments.select_related("target").order_by("target__order", "pk"))
        covenants.append(CovenantResult(covenant, judge_commitments(commitments, own, quarter)))
    earlier = [
        r
        for r in nominee_history(unit=unit, nominee_name=proposal.nominee_name, household=proposal.household)
        if r.year < plan.year and not r.revoked
    ]
    return ReportData(
        proposal=proposal,
        report=report_for(proposal),
        quarter=quarter,
        quarter_text=quarter_text(plan, quarter),
        targets=unit_rows(plan=plan, unit=unit, quarter=quarter, include_submitted=False),
        pledge_results=pledge_results,
        text_commitments=text_commitments,
        covenants=covenants,
        earlier=earlier,
        evidence=list(proposal.evidence.all()),
        criteria=proposal.title.criteria_lines(),
    )


def data_note(data: ReportData, now: datetime) -> str:
    """ "Số liệu đến hết quý IV/2024, xuất lúc 08:30 ngày 05/01/2025" (DOMAIN.md §5)."""
    now = timezone.localtime(now)
    return _("Số liệu đến hết %(period)s, xuất lúc %(time)s ngày %(date)s") % {
        "period": data.quarter_text,
        "time": f"{now:%H:%M}",
        "date": f"{now:%d/%m/%Y}",
    }


def save_report(*, proposal: Proposal, user, version: int | None, data: dict) -> AchievementReport:
    """Write the unit's narrative and signature block; refuse a stale page (ConflictError).

    Only while the proposal can be edited (a draft or returned): once sent, the report is part of
    the dossier the office checks. `version` is the one the page was loaded with (0 for a report
    not yet saved); the caller's permission check comes first.
    """
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in EDITABLE:
            raise AwardError(_("Chỉ sửa báo cáo thành tích khi đề nghị đang soạn hoặc bị trả lại."))
        report = AchievementReport.objects.select_for_update().filter(proposal=locked).first()
        current = report.version if report else 0
        if version is None or version != current:
            raise ConflictError(
                _(
                    "Báo cáo thành tích vừa được người khác lưu. Nội dung bạn gõ vẫn còn dưới đây; "
                    "hãy đối chiếu với bản đã lưu rồi lưu lại."
                )
            )
        if report is None:
            report = AchievementReport(proposal=locked)
        changes = {}
        for name in REPORT_FIELDS:
            old, new = getattr(report, name), data[name]
            if old != new:
                changes[name] = {"old": str(old or ""), "new": str(new or "")}
                setattr(report, name, new)
        if report.pk and not changes:
            return report
        report.version = current + 1
        report.updated_by = user
        report.updated_at = timezone.now()
        report.save()
        log_action(locked, "awards.achievement_report.saved", user, {"version": report.version, **changes})
        return report


def pdf_context(proposal: Proposal, *, now: datetime | None = None) -> dict:
    """The PDF in the Decree-30 layout: the unit's header under the ward, "BÁO CÁO THÀNH TÍCH", the
    sections with the data tables, the head's signature kept with the closing paragraph."""
    from .documents import Document

    now = now or timezone.now()
    data = report_data(proposal)
    report = data.report
    issued_on = report.reported_on or timezone.localdate(now)
    plan = proposal.plan
    document = Document(
        document_type="BÁO CÁO THÀNH TÍCH",
        title=report_heading(proposal),
        number="",
        issued_on=issued_on,
        issuer=proposal.unit.name,
        place=place_for(plan),
        signer_title=report.head_position,
        signer_name=report.head_name,
    )
    heading = document.title
    return {
        "document": document,
        "closing": f"Trên đây là báo cáo thành tích của {proposal.nominee} {heading[:1].lower()}{heading[1:]}./.",
        "parent_issuer": issuer_for(plan),
        "data": data,
        "report": report,
        "proposal": proposal,
        "form_basis": form_basis(title=proposal.title, on=issued_on),
        # Mẫu số 05 (Tổ dân phố văn hóa) reports on the title's standards rather than on "thành tích".
        "residential_group": proposal.title.for_whom == Title.ForWhom.RESIDENTIAL_GROUP,
        "data_note": data_note(data, now),
    }
