"""Callbacks run when published content changes, so the assistant can rebuild its index without being imported here.

`civicdesk.handbook.services.on_publish_hooks` is this list. A hook is `hook(record)`; it runs inside the
transaction that published, archived or re-verified the record (after the record is saved), so bumping an index
version in the database commits or rolls back with the change. Hooks must be cheap (queue heavy work with
`civicdesk.core.jobs.start_job`); an exception in a hook is logged and does not undo the publication. An import (and
the seed) calls each hook once, with the last published record it wrote, rather than once per record.
"""

import logging

log = logging.getLogger(__name__)

on_publish_hooks = []


def run_hooks(record):
    for hook in list(on_publish_hooks):
        try:
            hook(record)
        except Exception:  # an index failure must not block publishing; the index can be rebuilt
            log.exception("Handbook publish hook %r failed for %s", hook, record)
