"""The PDF documents: the council's minutes, the decision and the proposal letter (only once the tally
is frozen), the posting notice."""

from django.http import Http404

from phominh.pdf import pdf_filename, pdf_response

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
