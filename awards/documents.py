"""The documents a session produces, as PDFs in the Decree-30 layout (through phominh.pdf).

- the minutes (BIÊN BẢN) of the council's meeting, with the tally per proposal, issued by the council
  under the People's Committee;
- the draft decision (QUYẾT ĐỊNH) of the ward chairman for the titles the ward decides, with its list;
- the proposal letter (TỜ TRÌNH) to the higher level for the titles it decides;
- the notice (THÔNG BÁO) that posts a list of proposals publicly before the decision.

Each builds the `document` header object that templates/pdf/base.html expects and the rows to print
from the same session view the session page shows. What each cites and who decides are read from the
law in force on the document's own date (awards.law), never written in a template.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from campaigns.identity import chairman_for, issuer_for, place_for
from indicators.templatetags.vn import person_name

from . import services
from .law import LegalText, authority_for, law_in_force
from .models import CouncilSession, Decision, Posting, Proposal, Title
from .selectors import SessionView, session_view
from .services import passed_proposals
from .voting import quorum_needed


@dataclass
class Document:
    document_type: str
    title: str
    number: str
    issued_on: date | None
    issuer: str
    place: str
    recipient_lines: list[str] = field(default_factory=list)
    signer_mandate: str = ""
    signer_title: str = ""
    signer_name: str = ""


def citations(*, on: date, role: str | None = None) -> list[str]:
    """What a document dated `on` cites ("Luật Thi đua, khen thưởng số 06/2022/QH15 ngày …")."""
    return [text.citation for text in law_in_force(on=on, role=role)]


def deciders(titles, *, on: date, ward: bool) -> list[str]:
    """Who decides these titles on `on` (the ward chairman, or the higher level the letter goes to)."""
    found = []
    for title in titles:
        authority = authority_for(title, on=on)
        if authority and authority.ward_decides == ward and authority.decider not in found:
            found.append(authority.decider)
    return found


def spelled_out(authority: str) -> str:
    """ "Chủ tịch UBND phường Phổ Minh" as a document's heading or addressee writes it: "Ủy ban nhân dân"."""
    return authority.replace("UBND", "Ủy ban nhân dân")


def session_day(session: CouncilSession, signed_on: date | None) -> date:
    """A session's decision or letter is judged on its signing date; a draft without one on the
    meeting's date (the law that applied when the council voted)."""
    return signed_on or session.held_on


@dataclass
class ResultRow:
    proposal: Proposal
    agree: int
    disagree: int
    abstain: int
    members: int
    passed: bool | None
    threshold: Decimal | None
    strict: bool | None

    @property
    def agree_percent(self) -> Decimal:
        return Decimal(self.agree) * 100 / self.members if self.members else Decimal(0)


def result_rows(view: SessionView) -> list[ResultRow]:
    members = view.session.member_count or 0
    return [
        ResultRow(
            proposal=item.proposal,
            agree=item.agree,
            disagree=item.disagree,
            abstain=item.abstain,
            members=members,
            passed=item.passed,
            threshold=item.threshold_percent,
            strict=item.threshold_strict,
        )
        for item in view.items
    ]


def _chairman_name(view: SessionView) -> str:
    return person_name(view.chairman.user) if view.chairman else chairman_for(view.session.plan)


def _data_note(session: CouncilSession) -> str:
    closed = timezone.localtime(session.closed_at)
    now = timezone.localtime()
    return f"Kết quả biểu quyết chốt lúc {closed:%H:%M %d/%m/%Y}, xuất lúc {now:%H:%M %d/%m/%Y}"


def minutes_context(session: CouncilSession) -> dict:
    view = session_view(session)
    plan = session.plan
    document = Document(
        document_type="BIÊN BẢN",
        title=f"Họp {session.council.name}",
        number=session.minutes_number or "\u00a0" * 8 + "/BB-HĐTĐKT",
        issued_on=session.held_on,
        issuer=session.council.issuer,
        place=place_for(plan),
    )
    return {
        "document": document,
        "parent_issuer": issuer_for(plan),
        "session": session,
        "view": view,
        "rows": result_rows(view),
        "chairman_name": _chairman_name(view),
        "ballots_at_meeting": view.ballots_received - len(view.written_ids),
        "quorum_needed": quorum_needed(
            members=session.member_count or 0,
            numerator=session.quorum_numerator,
            denominator=session.quorum_denominator,
        ),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "emulation_law": citations(on=session.held_on, role=LegalText.Role.EMULATION),
        "data_note": _data_note(session),
    }


def _titled_groups(proposals: list[Proposal]) -> list[tuple]:
    groups: dict = {}
    for p in proposals:
        groups.setdefault(p.title, []).append(p)
    return list(groups.items())


def decision_context(session: CouncilSession | None = None, *, decision: Decision | None = None) -> dict:
    """The ward chairman's decision: a session's (recorded or still to draft) or one without a session
    (a one-off award, a title with no council vote); signed with its number and date, or a draft."""
    if decision is None:
        decision = session.decisions.filter(kind=Decision.Kind.WARD).first()
    session = decision.session if decision else session
    plan = decision.plan if decision else session.plan
    signed_on = decision.signed_on if decision else None
    if decision and decision.corrects_id:
        proposals = []
    elif decision:
        proposals = list(decision.proposals.select_related("title", "unit", "plan"))
        proposals.sort(key=lambda p: (p.title.order, p.unit.order, p.nominee_name, p.pk))
    else:
        proposals = passed_proposals(session, ward=True)
    if session is not None:
        on = session_day(session, signed_on)
    else:
        on = signed_on or timezone.localdate()
    groups = _titled_groups(proposals)
    decider = services.ward_decider(plan=plan, titles=[t for t, _ in groups], on=on)
    subject = decision.subject if decision and decision.subject else ""
    document = Document(
        document_type="QUYẾT ĐỊNH",
        title=subject or f"Về việc khen thưởng tổng kết phong trào thi đua năm {plan.year}",
        number=decision.number if decision and decision.number else "\u00a0" * 8 + "/QĐ-UBND",
        issued_on=signed_on,
        issuer=issuer_for(plan),
        place=place_for(plan),
        recipient_lines=(decision.recipient_lines() if decision else services.WARD_RECIPIENTS.splitlines()),
        signer_mandate="",
        signer_title=plan.signer_title,
        signer_name=decision.signer_name if decision and decision.signer_name else chairman_for(plan),
    )
    return {
        "document": document,
        "decision": decision,
        "session": session,
        "plan": plan,
        "groups": groups,
        "proposals": proposals,
        "year": plan.year,
        "draft_year": on.year,
        "decider": decider,
        "decider_heading": spelled_out(decider).upper(),
        "law_day": on,
        "mandate_law": citations(on=on, role=LegalText.Role.MANDATE),
        "emulation_law": citations(on=on, role=LegalText.Role.EMULATION),
        "corrects": decision.corrects if decision and decision.corrects_id else None,
        "changes": decision.changes if decision else {},
    }


def letter_context(session: CouncilSession) -> dict:
    """The proposal letter (tờ trình) to the higher level, with the tally behind each proposal."""
    view = session_view(session)
    plan = session.plan
    letter = session.decisions.filter(kind=Decision.Kind.LETTER).first()
    proposals = list(
        letter.proposals.select_related("title", "unit", "plan", "agenda_item")
        if letter
        else passed_proposals(session, ward=False)
    )
    on = session_day(session, letter.signed_on if letter else None)
    proposals.sort(key=lambda p: (p.title.order, p.unit.order, p.nominee_name))
    rows = {r.proposal.pk: r for r in result_rows(view)}
    document = Document(
        document_type="TỜ TRÌNH",
        title=f"Về việc đề nghị công nhận danh hiệu thi đua, khen thưởng năm {plan.year}",
        number=letter.number if letter and letter.number else "\u00a0" * 8 + "/TTr-UBND",
        issued_on=letter.signed_on if letter else None,
        issuer=issuer_for(plan),
        place=place_for(plan),
        recipient_lines=letter.recipient_lines() if letter else services.LETTER_RECIPIENTS.splitlines(),
        signer_mandate=plan.signer_mandate,
        signer_title=plan.signer_title,
        signer_name=letter.signer_name if letter and letter.signer_name else chairman_for(plan),
    )
    titles = list(dict.fromkeys(p.title for p in proposals))
    return {
        "document": document,
        "letter": letter,
        "session": session,
        "plan": plan,
        "addressee": ", ".join(spelled_out(d) for d in deciders(titles, on=on, ward=False))
        or session.council.higher_authority,
        "rows": [rows[p.pk] for p in proposals if p.pk in rows],
        "groups": _titled_groups(proposals),
        "year": plan.year,
        "draft_year": on.year,
        "emulation_law": citations(on=on, role=LegalText.Role.EMULATION),
    }


NOMINEE_KINDS = {
    Title.ForWhom.HOUSEHOLD: ("hộ gia đình", "Họ và tên chủ hộ"),
    Title.ForWhom.RESIDENTIAL_GROUP: ("tổ dân phố", "Tổ dân phố"),
    Title.ForWhom.INDIVIDUAL: ("cá nhân", "Họ và tên"),
    Title.ForWhom.COLLECTIVE: ("tập thể", "Tên tập thể"),
}


def posting_rows(posting: Posting) -> list:
    """The names on a posted list, in the order the notice and the public page print them: the
    proposals, or for a residential group's review (Gia đình văn hóa) the households that qualified
    at the meeting (awards.models.Household reads as a nominee too)."""
    if posting.review_id:
        from .households import qualified_households

        return list(qualified_households(posting.review))
    return list(
        posting.proposals.select_related("unit", "title").order_by("unit__order", "nominee_name", "pk")
    )


def posting_notice_context(posting: Posting) -> dict:
    """The notice that posts the list (Thông báo công khai), signed for the People's Committee."""
    plan, title = posting.plan, posting.title
    where = f" tại {posting.unit.name}" if posting.unit_id else ""
    kind, column = NOMINEE_KINDS[title.for_whom]
    document = Document(
        document_type="THÔNG BÁO",
        title=f"Công khai danh sách đề nghị xét tặng “{title.name}” năm {plan.year}{where}",
        number=posting.number or "\u00a0" * 8 + "/TB-UBND",
        issued_on=posting.posted_on,
        issuer=issuer_for(plan),
        place=place_for(plan),
        recipient_lines=[
            f"- {posting.unit.name} (niêm yết);" if posting.unit_id else "- Các tổ dân phố (niêm yết);",
            "- Ban Thường trực Ủy ban MTTQ Việt Nam phường;",
            "- CT, PCT UBND phường;",
            "- Lưu: VT, VP-TK.",
        ],
        signer_mandate=plan.signer_mandate,
        signer_title=plan.signer_title,
        signer_name=chairman_for(plan),
    )
    return {
        "document": document,
        "emulation_law": citations(on=posting.posted_on, role=LegalText.Role.EMULATION),
        "posting": posting,
        "plan": plan,
        "rows": posting_rows(posting),
        "kind": kind,
        "name_column": column,
        "ward_wide": not posting.unit_id,
    }
