"""The council's documents on the residential groups' title (Tổ dân phố văn hóa, Nghị định 86/2023/NĐ-CP,
DOMAIN.md §4b): each group's leader sends its achievement report (Mẫu số 05, awards/achievements.py), the
ward's council reviews the groups in a session, the list is posted for 10 days, and the dossier goes to
whoever decides in the period's law:

- Mẫu số 06, the minutes of the council's review of the groups (biên bản họp bình xét), read from the
  session's attendance and frozen tally;
- Mẫu số 04, the proposal (tờ trình) listing the groups the council passed, with the result of the
  posting. While the higher level decides (the 2024 set), the People's Committee sends it up, with the
  number, date and signer of the session's letter once recorded; where the ward chairman decides (the
  set from 01/07/2025), the council submits it to him.

Who decides and what is cited are read from the law in force on the document's date (awards/law.py);
the form's number and decree come from `achievements.group_form`, never from a template.
"""

from django.db.models import Count, Q

from campaigns.identity import chairman_for, issuer_for, place_for
from indicators.templatetags.vn import person_name

from . import services
from .achievements import group_form
from .documents import Document, ResultRow, citations, result_rows, session_day, spelled_out
from .law import LegalText, authority_for
from .models import CouncilSession, Decision, Posting, Title
from .selectors import session_view
from .voting import quorum_needed

GROUP = Title.ForWhom.RESIDENTIAL_GROUP


def has_group_review(session: CouncilSession) -> bool:
    """Whether a session reviewed residential groups for a title of theirs (Tổ dân phố văn hóa)."""
    return session.agenda.filter(proposal__title__for_whom=GROUP).exists()


def _group_rows(session: CouncilSession, view=None) -> list[ResultRow]:
    view = view or session_view(session)
    rows = [r for r in result_rows(view) if r.proposal.title.for_whom == GROUP]
    rows.sort(key=lambda r: (r.proposal.title.order, r.proposal.unit.order, r.proposal.pk))
    return rows


def _title_names(rows: list[ResultRow]) -> str:
    return "”, “".join(dict.fromkeys(r.proposal.title.name for r in rows))


def _summary(rows: list[ResultRow], year: int, verb: str) -> str:
    return f"{verb} danh hiệu “{_title_names(rows)}” năm {year}"


def _decider(title: Title, *, on, session: CouncilSession) -> tuple[str, bool]:
    """(who decides the title on `on`, whether it is the ward chairman) from the law's data; with no
    rule for the date, the title's own fallback (the higher level the council writes to)."""
    found = authority_for(title, on=on)
    if found:
        return found.decider, found.ward_decides
    if title.decided_by_ward:
        return f"Chủ tịch {issuer_for(session.plan)}", True
    return session.council.higher_authority, False


def _postings(rows: list[ResultRow]) -> list[Posting]:
    """The public postings of the proposed groups' list, with their comments counted."""
    return list(
        Posting.objects.filter(proposals__in=[r.proposal for r in rows])
        .distinct()
        .annotate(
            comment_count=Count("comments", distinct=True),
            open_count=Count("comments", filter=Q(comments__response=""), distinct=True),
        )
        .order_by("posted_on", "pk")
    )


def minutes_context(session: CouncilSession) -> dict:
    """Mẫu số 06: the council's review of the groups, its members, the tally of each group, and the
    list found eligible to be posted and proposed."""
    view = session_view(session)
    rows = _group_rows(session, view)
    plan = session.plan
    on = session.held_on
    title = rows[0].proposal.title
    decider, _ward = _decider(title, on=on, session=session)
    document = Document(
        document_type="BIÊN BẢN HỌP",
        title=_summary(rows, plan.year, "Bình xét"),
        number=session.minutes_number or "\u00a0" * 8 + "/BB-HĐTĐKT",
        issued_on=on,
        issuer=session.council.issuer,
        place=place_for(plan),
    )
    chairman = view.chairman
    return {
        "document": document,
        "parent_issuer": issuer_for(plan),
        "form_label": group_form(title=title, on=on, number="06"),
        "report_form": group_form(title=title, on=on, number="05"),
        "session": session,
        "view": view,
        "rows": rows,
        "passed": [r for r in rows if r.passed],
        "title_names": _title_names(rows),
        "chairman_name": person_name(chairman.user) if chairman else chairman_for(plan),
        "quorum_needed": quorum_needed(
            members=session.member_count or 0,
            numerator=session.quorum_numerator,
            denominator=session.quorum_denominator,
        ),
        "decider": spelled_out(decider),
        "emulation_law": citations(on=on, role=LegalText.Role.EMULATION),
    }


def proposal_context(session: CouncilSession) -> dict:
    """Mẫu số 04: the proposal of the groups the council passed to whoever decides on its date."""
    view = session_view(session)
    rows = [r for r in _group_rows(session, view) if r.passed]
    plan = session.plan
    title = rows[0].proposal.title if rows else None
    letter = (
        session.decisions.filter(kind=Decision.Kind.LETTER, proposals__in=[r.proposal for r in rows])
        .distinct()
        .first()
        if rows
        else None
    )
    on = session_day(session, letter.signed_on if letter else None)
    decider, ward = _decider(title, on=on, session=session) if title else ("", False)
    chairman = view.chairman
    if ward:
        # The ward chairman decides: the council that reviewed the groups submits them to him.
        document = Document(
            document_type="TỜ TRÌNH",
            title=_summary(rows, plan.year, "Về việc đề nghị công nhận") if rows else "",
            number="\u00a0" * 8 + "/TTr-HĐTĐKT",
            issued_on=None,
            issuer=session.council.issuer,
            place=place_for(plan),
            recipient_lines=["- Như trên;", "- Lưu: VT, VP-TK."],
            signer_mandate="TM. HỘI ĐỒNG",
            signer_title="CHỦ TỊCH HỘI ĐỒNG",
            signer_name=person_name(chairman.user) if chairman else chairman_for(plan),
        )
        sender = session.council.name
    else:
        document = Document(
            document_type="TỜ TRÌNH",
            title=_summary(rows, plan.year, "Về việc đề nghị công nhận") if rows else "",
            number=letter.number if letter and letter.number else "\u00a0" * 8 + "/TTr-UBND",
            issued_on=letter.signed_on if letter else None,
            issuer=issuer_for(plan),
            place=place_for(plan),
            recipient_lines=letter.recipient_lines()
            if letter and letter.recipients
            else services.LETTER_RECIPIENTS.splitlines(),
            signer_mandate=plan.signer_mandate,
            signer_title=plan.signer_title,
            signer_name=letter.signer_name if letter and letter.signer_name else chairman_for(plan),
        )
        sender = spelled_out(issuer_for(plan))
    return {
        "document": document,
        "parent_issuer": issuer_for(plan) if ward else "",
        "form_label": group_form(title=title, on=on, number="04") if title else "",
        # The attachments, as the heading already names the decree: "Mẫu số 05", "Mẫu số 06".
        "report_form": group_form(title=title, on=on, number="05").split(" ban hành")[0] if title else "",
        "minutes_form": group_form(title=title, on=on, number="06").split(" ban hành")[0] if title else "",
        "session": session,
        "plan": plan,
        "rows": rows,
        "title_names": _title_names(rows),
        "postings": _postings(rows),
        "addressee": spelled_out(decider),
        "sender": sender,
        "ward_decides": ward,
        "draft_year": on.year,
        "year": plan.year,
        "emulation_law": citations(on=on, role=LegalText.Role.EMULATION),
    }
