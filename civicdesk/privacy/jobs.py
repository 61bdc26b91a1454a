"""The privacy app's background jobs: the entry points the worker runs (`core.jobs.start_job`).

(The nightly pass is a huey task in tasks.py; this is the pass a province admin starts from the retention page.)
"""

from civicdesk.geo.models import Province


def run_retention(job, province_id):
    """Pseudonymise what is past retention in one province, now (`services.retention.start_run`)."""
    from .services.retention import RETENTION_JOB, run_province

    run = run_province(RETENTION_JOB, Province.objects.get(pk=province_id), progress=job)
    return {"run": run.pk, "counts": run.counts, "complete": run.complete}
