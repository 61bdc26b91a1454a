"""Search over the handbook for other apps (the handbook search page): `search(query, limit) -> list[Hit]`."""

from dataclasses import dataclass

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
