"""Background jobs with progress.

`start_job(user, kind, title, "module.function", **kwargs)` records a `Job` and queues it on huey (an embedded
SQLite queue by default, Redis in production, run inline in tests). The function is called as
`function(job=job_progress, **kwargs)` and reports with `job_progress(percent, message)`; what it returns (a
JSON-able dict) becomes the job's result, and the page that started the job polls `/jobs/<id>/`.
"""

import importlib
import logging
import traceback

from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from .models import Job

log = logging.getLogger(__name__)


class JobProgress:
    def __init__(self, job_id):
        self.job_id = job_id

    def __call__(self, percent, message=""):
        Job.objects.filter(pk=self.job_id).update(
            progress=max(0, min(100, int(percent))), message=str(message)[:255]
        )


def start_job(user, kind, title, target, **kwargs):
    job = Job.objects.create(kind=kind, title=title, created_by=user)
    # Queue only once the job row is committed, so the worker can always find it.
    transaction.on_commit(lambda: run_job(str(job.pk), target, kwargs))
    return job


def _resolve(target):
    module_name, func_name = target.rsplit(".", 1)
    return getattr(importlib.import_module(module_name), func_name)


def execute(job_id, target, kwargs):
    """Run a queued job now (what the worker does)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result = _resolve(target)(job=JobProgress(job_id), **kwargs) or {}
    except Exception as exc:
        log.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=str(exc)[:255],
            error=traceback.format_exc()[-5000:],
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, progress=100, finished_at=timezone.now(), result=result
    )


@db_task()
def run_job(job_id, target, kwargs):
    # db_task already closes stale connections around the task (outside immediate mode).
    execute(job_id, target, kwargs)
