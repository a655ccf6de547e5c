"""Certificates of the register's records: one record's PDF, a whole decision's file (built by the
document worker, with its progress page), the office's print layout, revocation, and the public
verification page the QR code on every certificate opens (no login; only name, title, year, decision
number and date)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from indicators.audit import log_action
from jobs.models import DocumentJob
from jobs.services import request_document

from .. import permissions, registry
from ..certificates import certificate_filename, render_certificates
from ..forms import CertificateLayoutForm, RevokeForm
from ..models import AwardRecord, CertificateLayout, Decision
from ._helpers import require_role


def _record(request, pk: int) -> AwardRecord:
    """A record the user may see (else 404), for a user who prints certificates (else 403)."""
    require_role(request)
    record = get_object_or_404(
        permissions.records_visible_to(request.user).select_related("title", "unit", "decision"), pk=pk
    )
    if not permissions.can_print_certificates(request.user):
        raise PermissionDenied
    return record


@require_GET
def record_certificate_pdf(request, pk: int):
    record = _record(request, pk)
    response = HttpResponse(render_certificates([record]), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=certificate_filename(record)
    )
    return response


@require_POST
def decision_certificates(request, pk: int):
    """Asks the worker for every certificate of a decision in one file; the job page follows it."""
    require_role(request)
    if not permissions.can_print_certificates(request.user):
        raise PermissionDenied
    decision = get_object_or_404(Decision, pk=pk)
    job = request_document(
        user=request.user,
        kind=DocumentJob.Kind.DECISION_CERTIFICATES,
        label=_("Giấy khen theo Quyết định số %(number)s") % {"number": decision.number},
        parameters={"decision": decision.pk},
    )
    return redirect("job", job.pk)


@require_POST
def record_revoke(request, pk: int):
    require_role(request)
    record = get_object_or_404(permissions.records_visible_to(request.user), pk=pk)
    if not permissions.can_revoke_records(request.user):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do thu hồi."))
    else:
        try:
            registry.revoke_record(record=record, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("Đã thu hồi khen thưởng; trang xác minh công khai ghi rõ đã thu hồi.")
            )
        except registry.RegistryError as error:
            messages.error(request, str(error))
    return redirect(reverse("awards-registry") + f"?nam={record.year}")


def certificate_layout(request):
    """How certificates are printed: offsets in mm for the pre-printed blanks, and the blank mode."""
    require_role(request)
    if not permissions.can_revoke_records(request.user):
        raise PermissionDenied
    layout = CertificateLayout.current()
    if request.method == "POST":
        form = CertificateLayoutForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                if layout.pk is None:
                    layout.save()
                current = CertificateLayout.objects.select_for_update().get(pk=layout.pk)
                if data["version"] is not None and data["version"] != current.version:
                    messages.error(request, _("Cách in vừa được người khác sửa; hãy xem lại rồi lưu."))
                    return redirect("awards-certificate-layout")
                before = {
                    "offset_x_mm": str(current.offset_x_mm),
                    "offset_y_mm": str(current.offset_y_mm),
                    "blank_mode": current.blank_mode,
                }
                CertificateLayout.objects.filter(pk=current.pk).update(
                    offset_x_mm=data["offset_x_mm"],
                    offset_y_mm=data["offset_y_mm"],
                    blank_mode=data["blank_mode"],
                    version=F("version") + 1,
                )
                after = {
                    "offset_x_mm": str(data["offset_x_mm"]),
                    "offset_y_mm": str(data["offset_y_mm"]),
                    "blank_mode": data["blank_mode"],
                }
                log_action(
                    current, "awards.certificate_layout.changed", request.user, {"old": before, "new": after}
                )
            messages.success(request, _("Đã lưu cách in giấy khen."))
            return redirect("awards-certificate-layout")
    else:
        form = CertificateLayoutForm(
            initial={
                "offset_x_mm": layout.offset_x_mm,
                "offset_y_mm": layout.offset_y_mm,
                "blank_mode": layout.blank_mode,
                "version": layout.version,
            }
        )
    return render(request, "awards/certificate_layout.html", {"form": form, "layout": layout})


@login_not_required
@require_GET
def verify(request, token: str):
    """The public check of a certificate's QR code: the record's public facts, or a plain 404."""
    found = registry.verify(token)
    response = render(request, "awards/verify.html", {"found": found}, status=200 if found else 404)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
