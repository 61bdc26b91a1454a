"""The assistant's background jobs: the entry points the worker runs (`core.jobs.start_job`).

(The rebuild queued by publishing is a huey task in tasks.py, where huey discovers it; this one is the rebuild an
editor starts from the gaps page, with a progress page.)
"""

from . import store


def rebuild_index(job):
    """Rebuild the index from the published handbook (`services.start_rebuild`)."""
    state = store.rebuild(progress=job)
    return {"version": state.version, "records": state.doc_count, "ms": state.build_ms}
