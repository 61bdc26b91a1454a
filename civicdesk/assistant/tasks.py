"""Background tasks (huey discovers this module): the index rebuild queued when content is published."""

from huey.contrib.djhuey import db_task


@db_task()
def rebuild_index_task():
    from .store import rebuild

    rebuild()
