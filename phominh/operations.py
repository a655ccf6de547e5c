"""The operations page for the administrator (/van-hanh/): is the portal's machinery working?

Everything is read, never written: the version from the checkout's .git (or VERSION), the database
and its size, migrations not applied, the background worker judged by its queue (django-tasks-db
keeps no heartbeat: a task left waiting means that no worker is working the queue), the newest file of
the nightly backup (PHOMINH_BACKUP_DIR), the notification mails that failed, and the disk used by the
evidence files and finished documents, with the space left.
"""

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.templatetags.vn import format_number
from phominh import VERSION

# A task waiting longer than this for a worker means that none is working the queue.
WORKER_WAIT_LIMIT = timedelta(minutes=5)
# The page's own check (jobs.tasks.ping, sent by its button): a worker polls every second.
PING_TASK = "jobs.tasks.ping"
PING_WAIT_LIMIT = timedelta(minutes=1)
MAIL_WINDOW = timedelta(days=30)
FREE_DISK_MIN_BYTES = 2 * 1024**3
FREE_DISK_MIN_SHARE = 0.10


@dataclass
class Check:
    """One line of the page: a title, whether it is fine, what was found, and details."""

    key: str
    title: str
    ok: bool
    summary: str
    details: list[tuple[str, str]] = field(default_factory=list)


def version() -> str:
    """The checkout's commit (short), read from .git without running git; else the VERSION constant."""
    git = Path(settings.BASE_DIR) / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = git / ref
            if ref_file.exists():
                commit = ref_file.read_text().strip()
            else:
                packed = (git / "packed-refs").read_text().splitlines()
                commit = next(line.split()[0] for line in packed if line.endswith(" " + ref))
        else:
            commit = head
    except (OSError, StopIteration, IndexError):
        return VERSION
    return f"{VERSION} ({commit[:10]})" if commit else VERSION


def directory_size(path: Path) -> tuple[int, int]:
    """Bytes and files under path (0, 0 when it does not exist)."""
    total = count = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
                count += 1
            except OSError:
                continue
    return total, count


def database_check() -> Check:
    vendor = connection.vendor
    name = settings.DATABASES["default"]["NAME"]
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database()), current_setting('server_version')")
            size, server = cursor.fetchone()
        engine = f"PostgreSQL {server}"
    elif vendor == "sqlite":
        size = sum(
            Path(f"{name}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{name}{suffix}").exists()
        )
        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        size, engine = None, vendor
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    details = [(_("Hệ quản trị"), engine), (_("Cơ sở dữ liệu"), str(name))]
    if size is not None:
        details.append((_("Dung lượng"), filesizeformat(size)))
    if pending:
        details.append((_("Chưa áp dụng"), ", ".join(f"{m.app_label}.{m.name}" for m, _b in pending)))
        summary = _("%(n)s migration chưa áp dụng: chạy manage.py migrate.") % {
            "n": format_number(len(pending))
        }
    else:
        summary = _("%(engine)s, mọi migration đã áp dụng.") % {"engine": engine}
    return Check("database", _("Cơ sở dữ liệu"), not pending, summary, details)


def worker_pingable() -> bool:
    """Tasks go to the database queue, so a worker has to take them (not run at once in the request)."""
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def worker_check(now: datetime) -> Check:
    from django_tasks_db.models import DBTaskResult, get_date_max

    from jobs.models import DocumentJob

    backend = settings.TASKS["default"]["BACKEND"]
    if not worker_pingable():
        return Check(
            "worker",
            _("Tiến trình nền"),
            True,
            _("Tác vụ chạy ngay trong yêu cầu (%(backend)s), không cần tiến trình nền.")
            % {"backend": backend},
        )
    tasks = DBTaskResult.objects.all()
    waiting = tasks.ready().order_by("enqueued_at")
    oldest = waiting.first()
    last = tasks.finished().exclude(finished_at=None).order_by("-finished_at").first()
    running = tasks.running().count()
    details = [
        (_("Đang chờ"), format_number(waiting.count())),
        (_("Đang chạy"), format_number(running)),
    ]
    if last:
        worker = ", ".join(last.worker_ids) or "—"
        details.append(
            (_("Tác vụ xong gần nhất"), f"{timezone.localtime(last.finished_at):%H:%M %d/%m/%Y} · {worker}")
        )
    ping = tasks.filter(task_path=PING_TASK).order_by("-enqueued_at").first()
    if ping is not None:
        sent = f"{timezone.localtime(ping.enqueued_at):%H:%M %d/%m/%Y}"
        if ping.finished_at:
            answer = _("gửi lúc %(sent)s, trả lời lúc %(at)s (%(worker)s)") % {
                "sent": sent,
                "at": f"{timezone.localtime(ping.finished_at):%H:%M:%S}",
                "worker": ", ".join(ping.worker_ids) or "—",
            }
        else:
            answer = _("gửi lúc %(sent)s, chưa được trả lời") % {"sent": sent}
        details.append((_("Tín hiệu kiểm tra"), answer))
        if ping.finished_at is None and now - ping.enqueued_at > PING_WAIT_LIMIT:
            return Check(
                "worker",
                _("Tiến trình nền"),
                False,
                _(
                    "Không có tiến trình nền nào trả lời tín hiệu kiểm tra gửi lúc %(sent)s. Kiểm tra dịch vụ phominh-worker."
                )
                % {"sent": sent},
                details,
            )
    failed_jobs = DocumentJob.objects.filter(
        status=DocumentJob.Status.FAILED, created_at__gte=now - timedelta(days=7)
    )
    details.append((_("Tài liệu không tạo được (7 ngày)"), format_number(failed_jobs.count())))
    if oldest is not None:
        since = (
            oldest.enqueued_at
            if oldest.run_after == get_date_max()
            else max(oldest.enqueued_at, oldest.run_after)
        )
        waited = now - since
        if waited > WORKER_WAIT_LIMIT:
            return Check(
                "worker",
                _("Tiến trình nền"),
                False,
                _(
                    "Không có tiến trình nền nào nhận việc: một tác vụ chờ từ %(since)s. Kiểm tra dịch vụ phominh-worker."
                )
                % {"since": f"{timezone.localtime(since):%H:%M %d/%m/%Y}"},
                details,
            )
    if last is None:
        summary = _("Hàng đợi trống; chưa có tác vụ nào chạy xong.")
    else:
        summary = _("Hàng đợi được xử lý; tác vụ xong gần nhất lúc %(at)s.") % {
            "at": f"{timezone.localtime(last.finished_at):%H:%M %d/%m/%Y}"
        }
    return Check("worker", _("Tiến trình nền"), True, summary, details)


def backup_check(now: datetime) -> Check:
    folder = Path(settings.BACKUP_DIR)
    try:
        files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    except OSError:
        files = []
    details = [(_("Thư mục"), str(folder))]
    if not files:
        return Check(
            "backup", _("Sao lưu"), False, _("Chưa có bản sao lưu nào trong thư mục sao lưu."), details
        )
    # The database dumps (phominh-YYYY-MM-DD.dump) first: the media archive beside them is not enough.
    dumps = [p for p in files if p.suffix == ".dump"]
    newest = max(dumps or files, key=lambda p: p.stat().st_mtime)
    stat = newest.stat()
    made = datetime.fromtimestamp(stat.st_mtime, tz=timezone.get_current_timezone())
    age = now - made
    details += [(_("Tệp mới nhất"), newest.name), (_("Dung lượng"), filesizeformat(stat.st_size))]
    ok = age <= timedelta(days=settings.BACKUP_MAX_AGE_DAYS)
    summary = _("Bản sao lưu mới nhất lúc %(at)s (%(days)s ngày trước).") % {
        "at": f"{timezone.localtime(made):%H:%M %d/%m/%Y}",
        "days": age.days,
    }
    if not ok:
        summary += " " + _("Quá %(n)s ngày: kiểm tra phominh-backup.timer.") % {
            "n": settings.BACKUP_MAX_AGE_DAYS
        }
    return Check("backup", _("Sao lưu"), ok, summary, details)


def mail_check(now: datetime) -> Check:
    from indicators.models import Notification
    from indicators.notifications import failed_mails

    since = now - MAIL_WINDOW
    failed = failed_mails().filter(mail_failed_at__gte=since)
    failed_count = failed.count()
    with_mail = Notification.objects.filter(created_at__gte=since).exclude(user__email="")
    sent = with_mail.filter(mail_failed_at=None).count()
    backend = settings.EMAIL_BACKEND
    details = [
        (_("Cách gửi"), backend),
        (_("Thư đã gửi (30 ngày)"), format_number(sent)),
        (_("Thư lỗi (30 ngày)"), format_number(failed_count)),
    ]
    latest = failed.first()
    if latest:
        details.append(
            (
                _("Lỗi gần nhất"),
                f"{timezone.localtime(latest.mail_failed_at):%H:%M %d/%m/%Y} · {latest.mail_error}",
            )
        )
    not_sending = backend.endswith(("console.EmailBackend", "dummy.EmailBackend", "locmem.EmailBackend"))
    if failed_count:
        summary = _("%(n)s thư không gửi được trong 30 ngày (danh sách ở trang Thông báo).") % {
            "n": format_number(failed_count)
        }
    elif not_sending and settings.PRODUCTION:
        summary = _("Thư không được gửi đi: DJANGO_EMAIL_BACKEND chưa đặt máy chủ thư.")
    else:
        summary = _("%(n)s thư đã gửi trong 30 ngày, không có lỗi.") % {"n": format_number(sent)}
    ok = not failed_count and not (not_sending and settings.PRODUCTION)
    return Check("mail", _("Thư điện tử"), ok, summary, details)


def disk_check() -> Check:
    evidence, evidence_files = directory_size(Path(settings.EVIDENCE_ROOT))
    jobs, jobs_files = directory_size(Path(settings.JOBS_ROOT))
    place = Path(settings.MEDIA_ROOT)
    while not place.exists() and place != place.parent:
        place = place.parent
    usage = shutil.disk_usage(place)
    ok = usage.free >= FREE_DISK_MIN_BYTES and usage.free >= FREE_DISK_MIN_SHARE * usage.total
    details = [
        (_("Tệp minh chứng"), f"{filesizeformat(evidence)} · {format_number(evidence_files)} " + _("tệp")),
        (_("Tài liệu đã tạo"), f"{filesizeformat(jobs)} · {format_number(jobs_files)} " + _("tệp")),
        (_("Ổ đĩa còn trống"), f"{filesizeformat(usage.free)} / {filesizeformat(usage.total)}"),
    ]
    summary = _("Còn trống %(percent)s %% ổ đĩa chứa dữ liệu.") % {
        "percent": round(100 * usage.free / usage.total)
    }
    if not ok:
        summary += " " + _("Sắp hết chỗ: dọn bản sao lưu cũ hoặc mở rộng ổ đĩa.")
    return Check("disk", _("Ổ đĩa"), ok, summary, details)


def checks() -> list[Check]:
    now = timezone.now()
    return [database_check(), worker_check(now), backup_check(now), mail_check(now), disk_check()]
