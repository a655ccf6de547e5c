"""Certificates (giấy khen, giấy chứng nhận danh hiệu) of the register's records (issue 15, item 4).

One page per record, A4 landscape, with the decision's number and date, the register number (số vào
sổ) and a QR code to the public verification page (`awards-verify`, by the record's random code). The
office's `CertificateLayout` shifts everything by x/y millimetres to meet the ward's pre-printed blanks
and, in blank mode, leaves out what the blank already carries (national title, issuer, heading, frame).

Nothing on a certificate is fixed text about the ward: the issuer, place and signer come from the
plan of the record's year and its decision; the legal basis from `legal_basis_for()`.

A whole decision's file (thousands of households) is built by the document worker (jobs/), in parts of
PART_SIZE pages merged with pypdf, so that WeasyPrint never holds more than one part's layout.
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from campaigns.identity import place_for
from campaigns.models import Plan
from jobs.builders import JobError
from phominh.pdf import pdf_filename, render_pdf

from .law import authority_for
from .models import AwardRecord, CertificateLayout, Decision

PART_SIZE = 50


@dataclass
class Certificate:
    record: AwardRecord
    heading: str
    is_title: bool
    issuer_line: str
    place: str
    signed_on: date
    signer_title: str
    signer_name: str
    register_label: str
    verify_url: str
    qr_data_uri: str
    legal_basis: str


def legal_basis_for(record: AwardRecord) -> str:
    """The legal basis printed on a certificate: the deciding rule of its title on the decision's date
    (awards/law.py, e.g. "khoản 3 Điều 80 Luật Thi đua, khen thưởng"); the title's own text stands in
    where the office recorded no rule for that date."""
    authority = authority_for(record.title, on=record.decided_on)
    return (authority.basis_text if authority else "") or record.title.legal_basis


def verify_url(record: AwardRecord) -> str:
    """The public address printed on the certificate: PHOMINH_PUBLIC_URL, never the clerk's host."""
    return settings.PHOMINH_PUBLIC_URL + reverse("awards-verify", args=[record.verify_token])


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def _plans_by_year(years) -> dict[int, Plan]:
    """The plan of each year (its place, signer's title); a year without a plan takes the latest."""
    years = set(years)
    plans = {plan.year: plan for plan in Plan.objects.filter(year__in=years)}
    fallback = Plan.objects.order_by("-year").first()
    return {year: plans.get(year, fallback) for year in years}


def certificates_for(records: list[AwardRecord]) -> list[Certificate]:
    plans = _plans_by_year(r.year for r in records)
    result = []
    for record in records:
        plan = plans[record.year]
        is_title = not record.title.name.lower().startswith("giấy khen")
        url = verify_url(record)
        signer = record.decision.signer_name if record.decision_id else ""
        result.append(
            Certificate(
                record=record,
                heading="GIẤY CHỨNG NHẬN" if is_title else "GIẤY KHEN",  # the PDF is always Vietnamese
                is_title=is_title,
                issuer_line=record.decided_by.upper().replace("UBND", "ỦY BAN NHÂN DÂN"),
                place=place_for(plan),
                signed_on=record.decided_on,
                signer_title=plan.signer_title if plan else "",
                signer_name=signer,
                register_label=(
                    f"{record.register_number}/{record.year}" if record.register_number else "\u2014"
                ),
                verify_url=url,
                qr_data_uri=qr_data_uri(url),
                legal_basis=legal_basis_for(record),
            )
        )
    return result


def records_of_decision(decision: Decision) -> list[AwardRecord]:
    return list(
        decision.records.select_related("title", "unit", "decision").order_by(
            "register_number", "title__order", "nominee_name", "pk"
        )
    )


def offset_stylesheet(layout: CertificateLayout) -> str:
    """The layout's x/y shift of every certificate's frame, as a stylesheet in a data: URL."""
    css = f".frame {{ left: {Decimal(layout.offset_x_mm):f}mm; top: {Decimal(layout.offset_y_mm):f}mm; }}"
    return "data:text/css," + quote(css)


def render_certificates(records: list[AwardRecord], layout: CertificateLayout | None = None) -> bytes:
    layout = layout or CertificateLayout.current()
    return render_pdf(
        template="pdf/certificate.html",
        context={
            "certificates": certificates_for(records),
            "layout": layout,
            "offset_stylesheet": offset_stylesheet(layout),
        },
    )


def certificate_filename(record: AwardRecord) -> str:
    return pdf_filename("giay-khen", record.decision_number, str(record.register_number or record.pk))


def build_decision_certificates(*, job, progress) -> tuple[str, bytes]:
    """The job builder (jobs.builders): every certificate of one decision in one file."""
    decision = Decision.objects.filter(pk=job.parameters.get("decision")).first()
    if decision is None:
        raise JobError(_("Không tìm thấy quyết định."))
    records = records_of_decision(decision)
    if not records:
        raise JobError(_("Quyết định này chưa có ai được vào sổ khen thưởng."))
    layout = CertificateLayout.current()
    total = len(records)
    progress(0, total)
    writer = PdfWriter()
    for start in range(0, total, PART_SIZE):
        part = records[start : start + PART_SIZE]
        writer.append(io.BytesIO(render_certificates(part, layout)))
        progress(start + len(part), total)
    output = io.BytesIO()
    writer.write(output)
    return pdf_filename("giay-khen", decision.number), output.getvalue()
