"""The live index of this process, kept consistent across app servers through `IndexState.version`.

Publishing content bumps `IndexState.requested` and queues a rebuild (never in the publishing request). The worker
builds the index from published records, writes `index-<version>.npz` and sets `IndexState.version`. Every
process checks the version at most every ASSISTANT_CHECK_SECONDS; when it changed it loads that version's file, or
rebuilds from the database itself when the file is on another machine.
"""

import logging
import threading
import time

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from civicdesk.handbook.models import Faq, Guide, Procedure

from . import conf
from .corpus import published_docs
from .engine.examples import attach
from .engine.index import Index

log = logging.getLogger(__name__)
_lock = threading.Lock()
_current = {"index": None, "checked": 0.0}


def _state():
    from .models import IndexState

    state, _created = IndexState.objects.get_or_create(pk=1)
    return state


def fingerprint():
    """Counts and last change of published records: catches imports that publish without calling hooks."""
    parts = []
    for model in (Procedure, Guide, Faq):
        agg = model.objects.published().aggregate(last=Max("updated_at"))
        parts.append(f"{model.objects.published().count()}@{agg['last'].isoformat() if agg['last'] else '-'}")
    return "|".join(parts)[:200]


def _path(version):
    return conf.index_dir() / f"index-{version}.npz"


def _save(index):
    directory = conf.index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".index-{index.version}.{time.monotonic_ns()}.tmp"
    with open(tmp, "wb") as handle:
        index.save(handle)
    tmp.replace(_path(index.version))  # atomic: a reader never sees half a file
    for old in [*directory.glob("index-*.npz"), *directory.glob("index-*.pickle")]:  # .pickle: format 4
        if old.name != _path(index.version).name:
            old.unlink(missing_ok=True)


def _load(version):
    path = _path(version)
    if not path.exists():
        return None
    try:
        index = Index.load(path)
    except Exception:  # a file from an older format or a broken copy: rebuilding is always possible
        log.warning("Could not load %s; rebuilding", path, exc_info=True)
        return None
    if index.version != version:
        return None
    from .dense import use_fusion

    return use_fusion(index)


def build(version=0, progress=None):
    """Build an index from the published records in the database (with dense vectors when configured), each record
    with its example questions (examples.py: the gold set's, and officials' questions rated helpful)."""
    from .examples import live_examples

    docs = attach(published_docs(), live_examples())
    index = Index.build(docs, version=version, progress=progress)
    from .dense import attach_embeddings

    attach_embeddings(index)
    return index


def rebuild(progress=None):
    """Build a new version from the database, publish it to every process. Returns the IndexState."""
    from .models import IndexState

    with _lock:
        state = _state()
        requested = state.requested
        started = time.perf_counter()
        print_ = fingerprint()
        index = build(version=state.version + 1, progress=progress)
        _save(index)
        with transaction.atomic():
            IndexState.objects.filter(pk=1).update(
                version=index.version, built_for=requested, built_at=timezone.now(), doc_count=len(index.docs),
                build_ms=int((time.perf_counter() - started) * 1000), fingerprint=print_,
            )  # fmt: skip
        _current.update(index=index, checked=time.monotonic())
    return _state()


def request_rebuild():
    """Mark the index out of date and rebuild it in the background once the publishing transaction commits."""
    from .models import IndexState

    _state()
    IndexState.objects.filter(pk=1).update(requested=F("requested") + 1)

    def queue():
        from .tasks import rebuild_index_task

        rebuild_index_task()

    transaction.on_commit(queue)


def get_index():
    """This process's current index, reloaded or rebuilt when the shared version moved."""
    now = time.monotonic()
    index = _current["index"]
    if index is not None and now - _current["checked"] < conf.check_seconds():
        return index
    state = _state()
    _current["checked"] = now
    if index is not None and index.version == state.version and state.version > 0:
        return index
    with _lock:
        index = _current["index"]
        if index is not None and index.version == state.version and state.version > 0:
            return index
        if state.version == 0:
            pass  # never built anywhere: build below, then publish it
        else:
            loaded = _load(state.version)
            if loaded is not None:
                _current["index"] = loaded
                return loaded
            # Another server built this version: rebuild the same content from the database here.
            built = build(version=state.version)
            _save(built)
            _current["index"] = built
            return built
    return rebuild() and _current["index"]


def reset():
    """Forget this process's index (tests; after restoring a database)."""
    _current.update(index=None, checked=0.0)
