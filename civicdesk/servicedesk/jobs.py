"""The service desk's background jobs: the entry points the worker runs (`core.jobs.start_job`)."""

from pathlib import Path

from civicdesk.core.models import User

from .services import importer


def import_dossiers(job, *, path, user_id):
    """Import a CSV file uploaded on the import page (`services.start_import`), then delete it."""
    actor = User.objects.get(pk=user_id)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            result = importer.import_dossiers(actor, handle, progress=job)
    finally:
        # The upload has served its purpose; the dossiers (or the error list) are what is kept.
        Path(path).unlink(missing_ok=True)
    return result.as_dict()
