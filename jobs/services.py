"""Asking for a long document and building it (the worker's side).

`request_document()` writes the job and enqueues its task in one transaction: with the database queue
both rows commit together, so a job is never left without its task (nor a task without its job).
`run_job()` is what the task runs: it claims the job once (a task delivered twice builds once), builds
the file outside any transaction, writes the progress as it goes and ends in DONE or FAILED.
"""

import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from indicators.audit import log_action

from .builders import BUILDERS, JobError
from .models import DocumentJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


def request_document(*, user, kind: str, label: str, parameters: dict) -> DocumentJob:
    from .tasks import build_document

    if kind not in BUILDERS:
        raise ValueError(f"No builder for document kind {kind!r}")
    with transaction.atomic():
        job = DocumentJob.objects.create(requested_by=user, kind=kind, label=label, parameters=parameters)
        log_action(job, "jobs.document.requested", user, {"kind": kind, "parameters": parameters})
        result = build_document.enqueue(job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> DocumentJob | None:
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != DocumentJob.Status.QUEUED:
            return None
        job.status, job.started_at = DocumentJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
        return job


class _Progress:
    """Writes done/total to the job's row, at most every PROGRESS_EVERY_SECONDS (and always the end)."""

    def __init__(self, job: DocumentJob):
        self.job_id, self.written_at = job.pk, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.written_at < PROGRESS_EVERY_SECONDS:
            return
        self.written_at = now
        DocumentJob.objects.filter(pk=self.job_id).update(
            progress_done=min(done, total), progress_total=total
        )


def _fail(job: DocumentJob, message: str) -> None:
    DocumentJob.objects.filter(pk=job.pk).update(
        status=DocumentJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def run_job(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        return
    builder = import_string(BUILDERS[job.kind])
    try:
        filename, content = builder(job=job, progress=_Progress(job))
    except JobError as error:
        _fail(job, str(error))
        return
    except Exception:
        logger.exception("Document job %s (%s) failed", job.pk, job.kind)
        _fail(job, _("Không tạo được tài liệu do lỗi hệ thống; lỗi đã được ghi vào nhật ký máy chủ."))
        return
    job.refresh_from_db(fields=["progress_total"])
    job.result.save(filename, ContentFile(content), save=False)
    DocumentJob.objects.filter(pk=job.pk).update(
        status=DocumentJob.Status.DONE,
        result=job.result.name,
        result_name=filename,
        progress_done=job.progress_total,
        finished_at=timezone.now(),
    )
