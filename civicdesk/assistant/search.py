"""Search over the handbook for other apps (the handbook search page): `search(query, limit) -> list[Hit]`."""

from dataclasses import dataclass

from civicdesk.handbook import queries as hq

from .store import get_index


@dataclass(frozen=True)
class Hit:
    id: str  # "procedure:HT-001", "guide:<slug>", "faq:<slug>"
    kind: str
    title: str
    url: str
    score: float
    topic: str = ""


def search(query, limit=10):
    """Published handbook records for `query`, best first (accent-insensitive, lexicon- and typo-aware)."""
    if not (query or "").strip():
        return []
    _analysis, ranked = get_index().rank(query, limit=limit)
    return [Hit(r.doc.id, r.doc.kind, r.doc.title, r.doc.url, round(r.score, 3), r.doc.topic) for r in ranked]


def handbook_search_backend(query, user, limit=20, *, kinds=None, public=False):
    """The handbook's search (`handbook.queries.search`) answered from this index, for readers.

    Editors keep the database search: they must also find drafts and records in review, which the index (published
    content only) does not hold. When the index finds nothing (e.g. content published a moment ago, before the
    rebuild job ran), the database search answers too.
    """
    if not public and hq.is_editor(user):
        return hq.db_search(query, user, limit, kinds=kinds, public=public)
    hits = [h for h in search(query, limit=limit * 2) if not kinds or h.kind in kinds]
    wanted = {}
    for hit in hits:
        kind, key = hit.id.split(":", 1)
        wanted.setdefault(kind, []).append(key)
    records = {}
    for kind, keys in wanted.items():
        key_field = "code" if kind == "procedure" else "slug"
        qs = hq.public_queryset(kind) if public else hq.readable(kind, user)
        for record in qs.filter(**{f"{key_field}__in": keys}):
            records[f"{kind}:{getattr(record, key_field)}"] = record
    results = []
    for hit in hits:
        record = records.get(hit.id)
        if record is None:  # not in this reader's selection (e.g. an officials-only guide on a public page)
            continue
        results.append(
            hq.SearchHit(
                record=record,
                kind=hit.kind,
                title=record.title,
                url=record.get_absolute_url(),
                snippet=hq._snippet(record),
                score=hit.score,
            )
        )
    return results[:limit] or hq.db_search(query, user, limit, kinds=kinds, public=public)
