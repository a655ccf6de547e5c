"""Long documents off the request path (issue 15, item 7): the job, its task, its page and its file.

The suite runs tasks at once (ImmediateBackend, tests/conftest.py); one test goes through the real
database queue and one run of the worker (`manage.py db_worker --batch`).
"""

import signal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.builders import BUILDERS, JobError
from jobs.models import DocumentJob

from .conftest import DEMO_PASSWORD

KIND = DocumentJob.Kind.DECISION_CERTIFICATES
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def counting_builder(*, job, progress):
    total = job.parameters["pages"]
    for done in range(1, total + 1):
        progress(done, total)
    return "thu-nghiem.pdf", b"%PDF-1.7 " + str(total).encode()


def failing_builder(*, job, progress):
    raise RuntimeError("secret internal detail")


def refusing_builder(*, job, progress):
    raise JobError("Quyết định chưa có ai được khen thưởng.")


@pytest.fixture
def builder(monkeypatch):
    def use(function):
        monkeypatch.setitem(BUILDERS, KIND, f"{__name__}.{function.__name__}")

    use(counting_builder)
    return use


@pytest.fixture
def owner(make_user):
    return make_user("office", username="owner")


def request(user, pages=3):
    return services.request_document(user=user, kind=KIND, label="Giấy khen thử", parameters={"pages": pages})


def test_a_job_is_built_and_its_file_downloaded_by_its_owner(db, builder, owner, client):
    job = request(owner, pages=7)
    assert job.status == DocumentJob.Status.DONE
    assert (job.progress_done, job.progress_total, job.percent) == (7, 7, 100)
    assert job.result_name == "thu-nghiem.pdf" and job.finished_at is not None
    client.force_login(owner)
    page = client.get(reverse("job", args=[job.pk]))
    assert page.status_code == 200
    assert reverse("job-download", args=[job.pk]) in page.content.decode()
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 7"
    assert response["Content-Disposition"] == 'attachment; filename="thu-nghiem.pdf"'


def test_another_users_job_is_not_found(db, builder, owner, make_user, client):
    job = request(owner)
    client.force_login(make_user("office", username="colleague"))
    for name in ("job", "job-status", "job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert "Giấy khen thử" not in client.get(reverse("jobs")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db, builder, owner, client):
    job = request(owner)
    response = client.get(reverse("job-status", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_waiting_job_polls_without_inline_script_and_refreshes_without_javascript(db, owner, client):
    job = DocumentJob.objects.create(requested_by=owner, kind=KIND, label="Đang chờ", progress_total=40)
    DocumentJob.objects.filter(pk=job.pk).update(progress_done=10)
    client.force_login(owner)
    html = client.get(reverse("job", args=[job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert '<progress class="w-100 job-progress" id="job-progress" max="100" value="25"' in html
    assert 'src="/static/js/job-progress.js"' in html
    assert (
        "<script>" not in html
        and "job-download" not in html.split("job-progress.js")[0].split("</progress>")[1]
    )
    status = client.get(reverse("job-status", args=[job.pk])).json()
    assert status == {
        "status": "queued",
        "status_label": "Đang chờ",
        "done": 10,
        "total": 40,
        "percent": 25,
        "finished": False,
        "download_url": None,
    }


def test_a_failure_shows_a_plain_message_and_keeps_the_detail_in_the_log(db, builder, owner, client, caplog):
    builder(failing_builder)
    job = request(owner)
    assert job.status == DocumentJob.Status.FAILED
    assert "secret internal detail" not in job.error and "nhật ký" in job.error
    assert "secret internal detail" in caplog.text
    client.force_login(owner)
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404
    assert job.error in client.get(reverse("job", args=[job.pk])).content.decode()


def test_a_refusal_says_why(db, builder, owner):
    builder(refusing_builder)
    job = request(owner)
    assert (job.status, job.error) == (DocumentJob.Status.FAILED, "Quyết định chưa có ai được khen thưởng.")


def test_a_task_delivered_twice_builds_once(db, builder, owner, monkeypatch):
    job = request(owner)
    calls = []
    monkeypatch.setattr("jobs.services.import_string", lambda path: calls.append(path))
    services.run_job(job.pk)
    assert calls == [] and DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_one_worker_run_build_the_document(builder, make_user, client):
    owner = make_user("office", username="queued_owner")
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with override_settings(TASKS=DB_TASKS):
            job = request(owner, pages=120)
            assert job.status == DocumentJob.Status.QUEUED and job.progress_done == 0
            task = DBTaskResult.objects.get(id=job.task_id)
            assert task.status == "READY" and task.args_kwargs == {"args": [job.pk], "kwargs": {}}
            client.login(username="queued_owner", password=DEMO_PASSWORD)
            assert client.get(reverse("job-status", args=[job.pk])).json()["finished"] is False
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == (DocumentJob.Status.DONE, 120, 120)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    status = client.get(reverse("job-status", args=[job.pk])).json()
    assert status["finished"] and status["download_url"] == reverse("job-download", args=[job.pk])
