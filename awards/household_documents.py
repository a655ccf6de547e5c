"""The documents of a residential group's household review (Nghị định 86/2023/NĐ-CP), in the
Decree-30 layout through phominh.pdf: the minutes of the group's review meeting (Mẫu số 03, biên bản
họp bình xét) with the list of households that qualified and of those that did not, and why.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.identity import chairman_for, issuer_for, place_for

from .documents import Document, citations, spelled_out
from .households import review_summary
from .law import LegalText
from .models import Household, HouseholdReview
from .services import ward_decider


def minutes_context(review: HouseholdReview) -> dict:
    plan, unit = review.plan, review.unit
    document = Document(
        document_type="BIÊN BẢN",
        title=f"Họp bình xét danh hiệu “{review.title.name}” năm {plan.year}",
        number="",
        issued_on=review.held_on,
        issuer=unit.name,
        place=place_for(plan),
    )
    rows = list(
        Household.objects.filter(assessments__review=review)
        .order_by("head_name", "pk")
        .values("head_name", "address", "assessments__qualified", "assessments__reason")
    )
    now = timezone.localtime()
    return {
        "document": document,
        "parent_issuer": issuer_for(plan),
        "review": review,
        "plan": plan,
        "unit": unit,
        "summary": review_summary(review),
        "qualified": [r for r in rows if r["assessments__qualified"]],
        "not_qualified": [r for r in rows if not r["assessments__qualified"]],
        "data_note": (
            f"Kết quả bình xét chốt lúc {timezone.localtime(review.finished_at):%H:%M %d/%m/%Y}, "
            if review.finished_at
            else "Dự thảo (chưa chốt kết quả), "
        )
        + f"xuất lúc {now:%H:%M %d/%m/%Y}",
    }


def decision_context(decision) -> dict:
    """The chairman's decision recognising the households, with the annex of every household,
    grouped by residential group; a draft prints blanks for the number and date."""
    from .household_decisions import annex

    plan = decision.plan
    groups = annex(decision)
    reviews = list(decision.household_reviews.select_related("unit").order_by("unit__order", "unit__name"))
    on = decision.signed_on or timezone.localdate()
    decider = ward_decider(plan=plan, titles=[r.title for r in reviews[:1]], on=on)
    document = Document(
        document_type="QUYẾT ĐỊNH",
        title=decision.subject,
        number=decision.number or "\u00a0" * 8 + "/QĐ-UBND",
        issued_on=decision.signed_on if decision.number else None,
        issuer=issuer_for(plan),
        place=place_for(plan),
        recipient_lines=[line for line in decision.recipients.splitlines() if line.strip()],
        signer_mandate="",
        signer_title="CHỦ TỊCH",
        signer_name=decision.signer_name or chairman_for(plan),
    )
    return {
        "document": document,
        "decision": decision,
        "plan": plan,
        "title": reviews[0].title if reviews else None,
        "reviews": reviews,
        "groups": groups,
        "total": sum(len(rows) for _unit, rows in groups),
        "draft_year": timezone.localdate().year,
        # What it cites and who decides: the law in force on its date (a draft: today), awards.law.
        "mandate_law": citations(on=on, role=LegalText.Role.MANDATE),
        "emulation_law": citations(on=on, role=LegalText.Role.EMULATION),
        "decider_heading": spelled_out(decider).upper(),
    }


# An annex longer than this is built by the document worker (jobs/): WeasyPrint lays out a table row
# in about 13 ms, so 3.300 households take a minute or more (bench/bench_household_annex.py).
SYNCHRONOUS_ANNEX = 300


def decision_pdf(decision) -> bytes:
    from phominh.pdf import render_pdf

    return render_pdf(template="pdf/household_decision.html", context=decision_context(decision))


def decision_filename(decision) -> str:
    from phominh.pdf import pdf_filename

    return pdf_filename("quyet-dinh-gia-dinh-van-hoa", decision.number or "du-thao", str(decision.plan.year))


def build_decision_pdf(*, job, progress) -> tuple[str, bytes]:
    """The job builder (jobs.builders): the decision with its annex of every household."""
    from jobs.builders import JobError

    from .models import Decision

    decision = Decision.objects.filter(
        pk=job.parameters.get("decision"), household_reviews__isnull=False
    ).first()
    if decision is None:
        raise JobError(_("Không tìm thấy quyết định."))
    progress(0, 1)
    pdf = decision_pdf(decision)
    progress(1, 1)
    return decision_filename(decision), pdf
