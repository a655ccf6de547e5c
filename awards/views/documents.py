"""The PDF documents: the council's minutes, the decision and the proposal letter (only once the tally
is frozen), the posting notice."""

from django.http import Http404

from phominh.pdf import pdf_filename, pdf_response

from .. import group_documents
from ..documents import (
    decision_context,
    letter_context,
    minutes_context,
    posting_notice_context,
)
from ..models import CouncilSession
from ._helpers import get_posting, get_session


def _closed_session(request, pk: int) -> CouncilSession:
    session = get_session(request, pk)
    if not session.is_closed:
        raise Http404  # the documents exist only once the tally is frozen
    return session


def session_minutes_pdf(request, pk: int):
    session = _closed_session(request, pk)
    return pdf_response(
        template="pdf/awards_minutes.html",
        context=minutes_context(session),
        filename=pdf_filename("bien-ban-hoi-dong", str(session.plan.year), str(session.pk)),
        request=request,
    )


def session_decision_pdf(request, pk: int):
    session = _closed_session(request, pk)
    context = decision_context(session)
    if not context["proposals"]:
        raise Http404
    number = context["decision"].number if context["decision"] else "du-thao"
    return pdf_response(
        template="pdf/awards_decision.html",
        context=context,
        filename=pdf_filename("quyet-dinh-khen-thuong", number, str(session.plan.year)),
        request=request,
    )


def session_letter_pdf(request, pk: int):
    session = _closed_session(request, pk)
    context = letter_context(session)
    if not context["rows"]:
        raise Http404
    number = context["letter"].number if context["letter"] else "du-thao"
    return pdf_response(
        template="pdf/awards_letter.html",
        context=context,
        filename=pdf_filename("to-trinh-khen-thuong", number, str(session.plan.year)),
        request=request,
    )


def posting_pdf(request, pk: int):
    posting = get_posting(request, pk)
    return pdf_response(
        template="pdf/awards_posting_notice.html",
        context=posting_notice_context(posting),
        filename=pdf_filename(
            "thong-bao-cong-khai",
            posting.title.code,
            posting.unit.code if posting.unit_id else "toan-phuong",
            str(posting.plan.year),
        ),
        request=request,
    )


def session_group_minutes_pdf(request, pk: int):
    """Mẫu số 06: the council's review of the residential groups (a closed session that reviewed some)."""
    session = _closed_session(request, pk)
    if not group_documents.has_group_review(session):
        raise Http404
    return pdf_response(
        template="pdf/group_minutes.html",
        context=group_documents.minutes_context(session),
        filename=pdf_filename("bien-ban-binh-xet-to-dan-pho", str(session.plan.year), str(session.pk)),
        request=request,
    )


def session_group_proposal_pdf(request, pk: int):
    """Mẫu số 04: the proposal of the residential groups the council passed."""
    session = _closed_session(request, pk)
    context = group_documents.proposal_context(session)
    if not context["rows"]:
        raise Http404
    return pdf_response(
        template="pdf/group_proposal.html",
        context=context,
        filename=pdf_filename("to-trinh-to-dan-pho-van-hoa", str(session.plan.year), str(session.pk)),
        request=request,
    )
