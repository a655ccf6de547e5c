"""The background task (Django's Tasks framework, the django-tasks backport): one per document job."""

from django_tasks import task

from . import services


@task()
def build_document(job_id: int) -> None:
    services.run_job(job_id)


@task()
def ping() -> str:
    """The operations page's check that a worker takes tasks (/van-hanh/): does nothing, at once."""
    return "pong"
