"""The operations page for the administrator, /van-hanh/ (issue 17, item 5): staff only; version,
database and migrations, the background worker, the last backup, mail, disk."""

import os
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from indicators.models import Notification
from phominh import VERSION

pytestmark = pytest.mark.django_db

URL = reverse("operations")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def folders(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.EVIDENCE_ROOT = tmp_path / "media" / "evidence"
    settings.JOBS_ROOT = tmp_path / "media" / "jobs"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR.mkdir()
    settings.EVIDENCE_ROOT.mkdir(parents=True)
    return settings


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(None, username="quantri_hethong", is_staff=True))
    return client


def check(page, key: str) -> tuple[bool, str]:
    html = page.content.decode()
    start = html.index(f'data-testid="check-{key}"')
    ok = html[start:].split('data-ok="', 1)[1][0] == "1"
    summary = html[start:].split(f'data-testid="check-{key}-summary">', 1)[1].split("</p>", 1)[0]
    return ok, summary


def backup_file(folder, name: str, days_old: float) -> None:
    path = folder / name
    path.write_bytes(b"PGDMP" + b"\0" * 4000)
    then = time.time() - days_old * 86400
    os.utime(path, (then, then))


def test_only_staff_see_the_page(client, make_user, folders):
    for role in (None, "office", "leadership", "admin"):
        client.force_login(make_user(role))
        assert client.get(URL).status_code == 403
        assert 'data-testid="operations-link"' not in client.get(reverse("home")).content.decode()
    superuser = make_user(None, is_superuser=True)
    client.force_login(superuser)
    assert client.get(URL).status_code == 200
    client.logout()
    assert client.get(URL).status_code == 302


def test_a_healthy_portal(staff, folders):
    backup_file(folders.BACKUP_DIR, "phominh-2026-12-01.dump", days_old=0.3)
    backup_file(folders.BACKUP_DIR, "phominh-2026-11-20.dump", days_old=11)
    (folders.EVIDENCE_ROOT / "a.pdf").write_bytes(b"%PDF" + b"x" * 2044)
    folders.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    folders.TASKS = DB_TASKS
    page = staff.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert VERSION in html
    assert 'data-testid="operations-ok"' in html
    assert check(page, "database")[0] and "mọi migration đã áp dụng" in check(page, "database")[1]
    ok, summary = check(page, "backup")
    assert ok and summary.startswith("Bản sao lưu mới nhất lúc ")
    assert "phominh-2026-12-01.dump" in html and "(0 ngày trước)" in html
    assert "2,0\xa0KB · 1 tệp" in html  # the evidence folder
    assert check(page, "worker") == (True, "Hàng đợi trống; chưa có tác vụ nào chạy xong.")
    assert check(page, "mail")[0] and check(page, "disk")[0]
    # The staff's menu links to it.
    assert 'data-testid="operations-link"' in staff.get(reverse("home")).content.decode()


def test_an_old_or_missing_backup_is_red(staff, folders):
    assert check(staff.get(URL), "backup") == (False, "Chưa có bản sao lưu nào trong thư mục sao lưu.")
    backup_file(folders.BACKUP_DIR, "phominh-2026-11-28.dump", days_old=3)
    backup_file(folders.BACKUP_DIR, ".phominh-2026-12-01.dump.part", days_old=0)  # still being written
    ok, summary = check(staff.get(URL), "backup")
    assert not ok and "(3 ngày trước)" in summary and "Quá 2 ngày" in summary


def test_a_task_nobody_takes_means_no_worker(staff, folders):
    folders.TASKS = DB_TASKS
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="jobs.tasks.build_document",
        backend_name="default",
        run_after=get_date_max(),
    )
    assert check(staff.get(URL), "worker")[0]  # just enqueued: a worker has not had its turn yet
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - timedelta(minutes=12))
    ok, summary = check(staff.get(URL), "worker")
    assert not ok and summary.startswith("Không có tiến trình nền nào nhận việc")
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now(), worker_ids=["may-chu-1"]
    )
    page = staff.get(URL)
    assert check(page, "worker")[0] and "may-chu-1" in page.content.decode()


def test_failed_mails_and_a_console_backend_in_production(staff, folders, make_user):
    folders.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    leader = make_user("group_leader", email="to@phominh.local")
    Notification.objects.create(user=leader, kind="deadline", text="Hạn nộp", key="a")
    assert check(staff.get(URL), "mail") == (True, "1 thư đã gửi trong 30 ngày, không có lỗi.")
    Notification.objects.create(
        user=leader,
        kind="deadline",
        text="Hạn",
        key="b",
        mail_failed_at=timezone.now(),
        mail_error="SMTP 550",
    )
    page = staff.get(URL)
    assert check(page, "mail")[0] is False and "SMTP 550" in page.content.decode()
    Notification.objects.filter(key="b").delete()
    folders.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    folders.PRODUCTION = True
    assert check(staff.get(URL), "mail")[0] is False


def test_pending_migrations_are_shown(staff, folders, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real = MigrationExecutor.migration_plan

    def plan(self, targets, clean_start=False):
        migration = self.loader.graph.nodes[("indicators", "0001_units_elements_targets_reports")]
        return [(migration, False)] + real(self, targets, clean_start)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan)
    ok, summary = check(staff.get(URL), "database")
    assert not ok and summary == "1 migration chưa áp dụng: chạy manage.py migrate."


def test_the_ping_button_asks_a_worker_to_answer(staff, folders):
    """The page's own check: a task that does nothing, sent by the button (audited); unanswered after a
    minute, no worker is working the queue; answered, the page says by which worker and when."""
    from indicators.models import ActionLog

    folders.TASKS = DB_TASKS
    assert 'data-testid="operations-ping"' in staff.get(URL).content.decode()
    assert staff.get(reverse("operations-ping")).status_code == 405
    response = staff.post(reverse("operations-ping"))
    assert response.status_code == 302 and response["Location"] == URL
    ping = DBTaskResult.objects.get(task_path="jobs.tasks.ping")
    assert ping.status == "READY"
    assert ActionLog.objects.filter(action="operations.worker_ping", data={"task": str(ping.id)}).exists()
    page = staff.get(URL)
    assert check(page, "worker")[0] and "chưa được trả lời" in page.content.decode()

    DBTaskResult.objects.filter(pk=ping.pk).update(enqueued_at=timezone.now() - timedelta(minutes=2))
    ok, summary = check(staff.get(URL), "worker")
    assert not ok and summary.startswith("Không có tiến trình nền nào trả lời tín hiệu kiểm tra")

    DBTaskResult.objects.filter(pk=ping.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now(), worker_ids=["may-chu-1"]
    )
    page = staff.get(URL)
    assert check(page, "worker")[0] and "trả lời lúc" in page.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it stops
def test_a_worker_answers_the_ping_for_real(staff, folders):
    """One real db_worker run takes the page's task (as phominh-worker.service would)."""
    import signal

    from django.core.management import call_command

    folders.TASKS = DB_TASKS
    staff.post(reverse("operations-ping"))
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            "may-chu-2",
            verbosity=0,
        )
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    ping = DBTaskResult.objects.get(task_path="jobs.tasks.ping")
    assert ping.status == "SUCCESSFUL" and ping.return_value == "pong"
    page = staff.get(URL)
    assert check(page, "worker")[0] and "may-chu-2" in page.content.decode()
