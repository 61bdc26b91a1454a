"""Background jobs with progress.

`start_job(user, kind, title, function, **kwargs)` records a `Job` and queues it on huey (an embedded SQLite queue
by default, Redis in production, run inline in tests). `function` is the job's entry point itself — a module-level
function, kept in its app's `jobs.py` — and is called in the worker as `function(job=job_progress, **kwargs)`; it
reports with `job_progress(percent, message)`, and what it returns (a JSON-able dict) becomes the job's result. The
page that started the job polls `/jobs/<id>/`. The queue carries the function's dotted name, checked when the job
is started, so a job that the worker could not find fails at once, in the request that started it.
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


def start_job(user, kind, title, function, **kwargs):
    """Record a job for `user` and queue `function(job=…, **kwargs)` once the current transaction commits."""
    target = job_name(function)
    job = Job.objects.create(kind=kind, title=title, created_by=user)
    # Queue only once the job row is committed, so the worker can always find it.
    transaction.on_commit(lambda: run_job(str(job.pk), target, kwargs))
    return job


def job_name(function):
    """The dotted name the worker imports `function` by; TypeError unless it is a module-level function."""
    if isinstance(function, str) or not callable(function):
        raise TypeError("start_job takes the job function itself (from the app's jobs.py), not its name.")
    name = f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"
    qualname = getattr(function, "__qualname__", "")
    if not qualname or "." in qualname or "<" in qualname:
        raise TypeError(f"{name} is not a module-level function: the worker could not import it by name.")
    try:
        found = _resolve(name)
    except (ImportError, AttributeError) as exc:
        raise TypeError(f"{name} cannot be imported by name: {exc}") from exc
    if found is not function:
        raise TypeError(f"{name} names another object than the function given (a decorator or a rebinding).")
    return name


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
