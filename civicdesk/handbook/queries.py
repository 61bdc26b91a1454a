"""Reads of the handbook: search, the public selection, the editor's queue and the home-page figures.

`search(query, user, limit)` is what every page and app calls. Until the assistant registers its Vietnamese-aware
index with `register_search_backend`, it runs a database search: the query is folded (no accents, lower case) and
matched against each record's folded `search_text`, and candidates are ranked in Python (title > keywords > text).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from .models import Content, Faq, Guide, Procedure
from .permissions import can_review, is_editor
from .text import fold

MODELS = {"procedure": Procedure, "guide": Guide, "faq": Faq}
Status = Content.Status

# Words too common in questions to tell records apart ("làm giấy khai sinh cho con thì cần gì").
STOP_WORDS = frozenset(
    [
        "la",
        "cua",
        "cho",
        "va",
        "thi",
        "co",
        "khong",
        "gi",
        "nao",
        "the",
        "toi",
        "em",
        "anh",
        "chi",
        "lam",
        "nhu",
        "o",
        "de",
        "duoc",
        "can",
        "nhung",
        "mot",
        "cac",
        "voi",
        "khi",
        "ai",
        "bao",
        "nhieu",
        "may",
        "sao",
        "vay",
        "a",
        "a",
        "oi",
        "nhe",
        "ha",
    ]
)


_WORD = re.compile(r"\w+")


@dataclass
class SearchHit:
    record: object
    kind: str
    title: str
    url: str
    snippet: str
    score: float


_backend = None


def register_search_backend(backend):
    """Replace the database search: `backend(query, user, limit, kinds=…, public=…)` returns a list of SearchHit.

    Pass None to go back to the database search (tests do this).
    """
    global _backend
    _backend = backend


def public_queryset(kind):
    """What citizens see without an account: published procedures and FAQ, published guides written for them."""
    qs = MODELS[kind].objects.published()
    if kind == "guide":
        qs = qs.filter(audience__in=[Guide.Audience.CITIZENS, Guide.Audience.BOTH])
    return qs


def readable(kind, user):
    """What a signed-in user browses: published content; editors also see the drafts and reviews in their scope."""
    qs = MODELS[kind].objects.visible_to(user)
    if not is_editor(user):
        qs = qs.published()
    if kind == "procedure":
        qs = qs.select_related("field")
    return qs


def search(query, user, limit=20, *, kinds=None, public=False):
    """The records best matching `query` that `user` may read (public=True: the citizens' selection)."""
    backend = _backend or db_search
    return backend(query, user, limit, kinds=kinds, public=public)


def _tokens(query):
    words = [w for w in _WORD.findall(fold(query)) if len(w) > 1 or w.isdigit()]
    meaningful = [w for w in words if w not in STOP_WORDS]
    return meaningful or words


# Heavy JSON columns the ranking never reads (a hit's page loads them if needed).
_DEFER = {
    "procedure": [
        "steps",
        "methods",
        "components",
        "legal_basis",
        "requirements",
        "result",
        "notes",
        "applicants",
    ],
    "guide": ["sections"],
    "faq": ["answer", "sources"],
}


def db_search(query, user, limit=20, *, kinds=None, public=False):
    tokens = _tokens(query)
    if not tokens:
        return []
    query_info = {
        "tokens": tokens,
        "pattern": re.compile(r"\b(" + "|".join(re.escape(t) for t in tokens) + r")\b"),
        "phrase": " ".join(tokens),
        "phrase_re": re.compile(r"\b" + r"\W+".join(re.escape(t) for t in tokens) + r"\b"),
        "full": _words(fold(query)),
        # Words typed with their accents ("sổ đỏ") count more where they appear accented the same way.
        "accented": {
            w for w in _WORD.findall(unicodedata.normalize("NFC", query.lower())) if not w.isascii()
        },
    }
    scored = []
    for kind in kinds or MODELS:
        qs = public_queryset(kind) if public else readable(kind, user).exclude(status=Status.ARCHIVED)
        qs = qs.defer(*_DEFER[kind])
        if kind == "procedure":
            qs = qs.select_related("field")
        every, some = Q(), Q()
        for token in tokens:
            every &= Q(search_text__contains=token)
            some |= Q(search_text__contains=token)
        # Records holding every word first; records holding only some are read only when those are too few.
        candidates = list(qs.filter(every)[:300])
        if len(tokens) > 1 and len(candidates) < limit:
            candidates += list(qs.filter(some).exclude(pk__in=[r.pk for r in candidates])[:300])
        for record in candidates:
            score = _score(record, query_info)
            if score:
                scored.append((score, record.title, kind, record))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        SearchHit(
            record=record,
            kind=kind,
            title=title,
            url=record.get_absolute_url(),
            snippet=_snippet(record),
            score=score,
        )
        for score, title, kind, record in scored[:limit]
    ]


def _words(text):
    return " ".join(_WORD.findall(text))


def _score(record, query):
    """Whole-word matches (the database filter matched substrings): title 3, keywords 2, elsewhere 1; bonuses for
    the phrase in the title or the everyday keywords, and for accented words matching as typed; scaled by the share
    of the query's words found."""
    tokens = query["tokens"]
    present = set(query["pattern"].findall(record.search_text))
    found = [t for t in tokens if t in present]
    # Most of the words must be there; with two words, both ("khai sinh" must not match every "khai tử").
    if len(found) < max(1, (len(tokens) + 1) // 2) or (len(tokens) == 2 and len(found) < 2):
        return 0
    keyword_text = " ; ".join(record.keywords or [])
    title = f" {_words(fold(record.title))} "
    keywords = f" {_words(fold(keyword_text))} "
    score = sum(3 if f" {t} " in title else 2 if f" {t} " in keywords else 1 for t in found)
    phrase, full = f" {query['phrase']} ", f" {query['full']} "
    if phrase in title or phrase in keywords:
        score += 6
    elif query["phrase_re"].search(record.search_text):
        score += 2
    if full != phrase and (full in title or full in keywords):
        score += 4
    # A keyword that is exactly what was typed ("làm sổ đỏ") is the strongest everyday-language signal.
    typed = {f" {_words(fold(k))} " for k in record.keywords or []}
    if full in typed or phrase in typed:
        score += 5
    # Among equal matches, the shorter (more specific) title first: "Đăng ký khai sinh" before "Liên thông … khai sinh".
    score += 2 * len(query["phrase"]) / max(len(title), 1)
    if query["accented"]:
        exact = set(_WORD.findall(unicodedata.normalize("NFC", f"{record.title} {keyword_text}".lower())))
        score += 2 * len(query["accented"] & exact)
    if record.status == Status.PUBLISHED:
        score += 0.5
    return score * len(found) / len(tokens)


def _snippet(record, length=220):
    text = getattr(record, "summary", "") or (record.answer if record.kind == "faq" else "")
    if not text and record.kind == "guide" and record.sections:
        text = record.sections[0].get("body", "")
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def _in_review():
    return Q(status=Status.IN_REVIEW) | Q(pending_revision__status=Status.IN_REVIEW)


def _drafting():
    return Q(status=Status.DRAFT, pending_revision__isnull=True) | Q(pending_revision__status=Status.DRAFT)


def _department_scope(user):
    if user.is_province_admin:
        return Q()
    return Q(department_id=user.department_id)


def editor_queue(user, limit=50):
    """The editor's queue: my drafts, awaiting my review, needing verification, and overdue for a new check."""
    queue = {"drafts": [], "review": [], "unverified": [], "stale": []}
    if not is_editor(user):
        return queue
    from .models import stale_cutoff

    cutoff = stale_cutoff()
    for model in MODELS.values():
        base = model.objects.visible_to(user).select_related("pending_revision", "department")
        mine = Q(created_by=user) | Q(pending_revision__author=user)
        queue["drafts"] += list(base.filter(_drafting() & mine)[:limit])
        for record in base.filter(_in_review() & (Q(reviewer=user) | Q(reviewer__isnull=True)))[:limit]:
            if can_review(user, record):
                queue["review"].append(record)
        scoped = base.filter(_department_scope(user), status=Status.PUBLISHED)
        queue["unverified"] += list(scoped.needs_verification()[:limit])
        queue["stale"] += list(scoped.filter(verification="verified", verified_at__lt=cutoff)[:limit])
    for name in queue:
        queue[name].sort(key=lambda r: r.updated_at, reverse=True)
        queue[name] = queue[name][:limit]
    return queue


def published_counts():
    return {kind: model.objects.published().count() for kind, model in MODELS.items()}


def most_used_procedures(limit=5):
    return list(
        Procedure.objects.published()
        .select_related("field")
        .order_by("-view_count", "-published_at", "code")[:limit]
    )


def recently_updated(limit=5):
    records = []
    for model in MODELS.values():
        records += list(model.objects.published().order_by("-published_at")[:limit])
    records.sort(key=lambda r: r.published_at or r.updated_at, reverse=True)
    return records[:limit]
