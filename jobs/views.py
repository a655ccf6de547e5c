"""The user's own document jobs: the progress page (polled by static/js/job-progress.js, or reloaded
by a meta refresh without JavaScript), its status as JSON, and the finished file.

Every view starts from `_job()`: a job of another user is a 404, as if it did not exist.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .models import DocumentJob

REFRESH_SECONDS = 3


def _job(request, pk: int) -> DocumentJob:
    return get_object_or_404(DocumentJob.objects.for_user(request.user), pk=pk)


@require_GET
def job_list(request):
    jobs = DocumentJob.objects.for_user(request.user)[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_GET
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "refresh_seconds": REFRESH_SECONDS})


@require_GET
def job_status(request, pk: int):
    job = _job(request, pk)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "finished": job.finished,
            "download_url": reverse("job-download", args=[job.pk]) if job.status == job.Status.DONE else None,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def job_download(request, pk: int):
    job = _job(request, pk)
    if job.status != DocumentJob.Status.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=job.result_name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
