"""The achievement report of a proposal (báo cáo thành tích): the page where the unit writes its
narrative beside the figures read from the data, and the PDF in the legal layout."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from phominh.pdf import pdf_filename, pdf_response

from .. import permissions
from ..achievements import REPORT_FIELDS, needs_report, pdf_context, report_data, report_for, save_report
from ..forms import AchievementReportForm
from ..models import Proposal
from ..services import AwardError, ConflictError
from ._helpers import get_proposal


def _readable(request, pk: int) -> Proposal:
    """A proposal in the user's scope whose title needs a report (else 404) and whose dossier he may
    read (else 403)."""
    proposal = get_proposal(request, pk)
    if not needs_report(proposal):
        raise Http404
    if not permissions.can_view_achievement_report(request.user, proposal):
        raise PermissionDenied
    return proposal


def achievement_report(request, pk: int):
    """Read by the dossier's readers; written by the unit's people while the proposal is a draft or
    returned. A page loaded before someone else saved is refused with what was typed kept (409)."""
    proposal = _readable(request, pk)
    can_edit = permissions.can_edit_achievement_report(request.user, proposal)
    status = 200
    saved = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = AchievementReportForm(request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in REPORT_FIELDS}
            values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
            try:
                save_report(
                    proposal=proposal, user=request.user, version=form.cleaned_data["version"], data=values
                )
                messages.success(request, _("Đã lưu báo cáo thành tích."))
                return redirect("awards-achievement-report", pk=proposal.pk)
            except ConflictError as error:
                messages.error(request, str(error))
                saved = report_for(proposal)
                # The text typed stays; the page now carries the saved version, so that saving again
                # is a choice made after seeing the other change.
                data = request.POST.copy()
                data["version"] = str(saved.version)
                form = AchievementReportForm(data)
                status = 409
            except AwardError as error:
                messages.error(request, str(error))
                return redirect("awards-achievement-report", pk=proposal.pk)
    else:
        report = report_for(proposal)
        form = AchievementReportForm(
            initial={name: getattr(report, name) for name in REPORT_FIELDS} | {"version": report.version}
        )
    data = report_data(proposal)
    return render(
        request,
        "awards/achievement_report.html",
        {
            "proposal": proposal,
            "data": data,
            "report": data.report,
            "saved": saved,
            "form": form if can_edit else None,
            "can_edit": can_edit,
        },
        status=status,
    )


def achievement_report_pdf(request, pk: int):
    proposal = _readable(request, pk)
    return pdf_response(
        template="pdf/achievement_report.html",
        context=pdf_context(proposal),
        filename=pdf_filename(
            "bao-cao-thanh-tich", proposal.title.code, proposal.unit.code, str(proposal.plan.year)
        ),
        request=request,
    )
