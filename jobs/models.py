"""Long documents built off the request path (issue 15, item 7): who asked, what, how far, the file.

A job belongs to the user who asked for it: `DocumentJob.objects.for_user(user)` is the only way the
views reach one, so another user's job is a 404. The finished file lives under settings.JOBS_ROOT, which
no URL serves; it is sent only through the owner's download view.
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStorage(FileSystemStorage):
    """Finished documents under settings.JOBS_ROOT (read at each use, so that tests can move it)."""

    @property
    def base_location(self):
        return str(settings.JOBS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Documents are served only through the owner's download view.")


def job_storage():
    return JobStorage()


def job_path(instance: "DocumentJob", filename: str) -> str:
    """A random name: the download name is kept as data (`result_name`), never as a path."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class DocumentJobQuerySet(models.QuerySet):
    def for_user(self, user) -> "DocumentJobQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(requested_by=user)


class DocumentJob(models.Model):
    class Kind(models.TextChoices):
        DECISION_CERTIFICATES = "decision_certificates", _("Giấy khen, giấy chứng nhận của một quyết định")
        HOUSEHOLD_DECISION = (
            "household_decision",
            _("Quyết định công nhận Gia đình văn hóa và danh sách kèm theo"),
        )

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không tạo được")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_jobs"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=40, choices=Kind.choices)
    label = models.CharField(_("tài liệu"), max_length=300)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("đã xong"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số"), default=0)
    result = models.FileField(_("tệp"), storage=job_storage, upload_to=job_path, max_length=200, blank=True)
    result_name = models.CharField(_("tên tệp tải về"), max_length=200, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = DocumentJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu tạo nền")
        verbose_name_plural = _("tài liệu tạo nền")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")), name="job_progress_within_total"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        """Whole percent done, for the progress bar (a job done is 100 % whatever its counts)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
