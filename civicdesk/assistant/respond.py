"""Question → answer: retrieve, decide whether the handbook answers it, compose (and optionally phrase) it."""

import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import llm
from .compose import compose, render_text, source_text
from .decide import decide
from .store import get_index

SOURCES_SHOWN = 3
# "Clear winner" rule: when the runner-up scores at least this share of the best and both are procedures (two
# different procedures), the answer asks which one is meant, citing both, instead of composing from the first.
CLOSE_SHARE = 0.97


@dataclass
class Response:
    q: str
    answered: bool
    answer: str
    sources: list
    ms: int
    parts: list = field(default_factory=list)
    confidence: float = 0.0
    topic: str = ""
    llm_used: bool = False
    llm_rejected: list = field(default_factory=list)
    index_version: int = 0
    clarify: bool = False  # answered with "which one do you mean" (two close procedures), not composed

    def as_json(self):
        """The exact shape others depend on: {"q", "answered", "answer", "sources", "ms"}."""
        return {
            "q": self.q,
            "answered": self.answered,
            "answer": self.answer,
            "sources": self.sources,
            "ms": self.ms,
        }


def _source(ranked):
    d = ranked.doc
    return {"title": d.title, "kind": d.kind, "url": d.url, "score": round(ranked.score, 3), "id": d.id}


def respond(question, *, use_llm=True, index=None):
    """Answer `question` from the published handbook, or say it is not there (with the nearest records)."""
    started = time.perf_counter()
    question = " ".join((question or "").split())[:1000]
    index = index or get_index()
    analysis, ranked = index.rank(question, limit=10) if question else (None, [])
    answered, confidence = decide(index, analysis, ranked)
    sources = [_source(r) for r in ranked[:SOURCES_SHOWN]]
    topic = ranked[0].doc.topic if ranked else ""
    response = Response(question, answered, "", sources, 0, confidence=round(confidence, 3), topic=topic,
                        index_version=index.version)  # fmt: skip
    if answered and _close_call(ranked):
        response.clarify = True
        response.parts = _clarify_parts(ranked[:2])
        response.answer = render_text(response.parts, sources)
    elif answered:
        top = ranked[0].doc
        response.parts = compose(top, question)
        response.answer = render_text(response.parts, sources[:1] + [s for s in sources[1:]])
        if use_llm and llm.enabled():
            _phrase(response, question, [r.doc for r in ranked[:SOURCES_SHOWN]])
    else:
        response.sources = [s for s in sources if s["score"] > 0]
        response.answer = _("Không tìm thấy câu trả lời trong cẩm nang.")
        if response.sources:
            response.answer += " " + _("Các mục gần nhất: %(titles)s.") % {
                "titles": "; ".join(s["title"] for s in response.sources)
            }
    response.ms = max(0, round((time.perf_counter() - started) * 1000))
    return response


def _close_call(ranked):
    """No clear winner: the two best are different procedures with scores within `CLOSE_SHARE`."""
    if len(ranked) < 2:
        return False
    first, second = ranked[0], ranked[1]
    return (
        first.doc.kind == second.doc.kind == "procedure"
        and first.doc.id != second.doc.id
        and second.score >= CLOSE_SHARE * first.score
    )


def _clarify_parts(pair):
    """A short "which one do you mean" listing both procedures, each with its citation number."""
    items = [f"{r.doc.title} [{n}]" for n, r in enumerate(pair, start=1)]
    return [{"label": _("Câu hỏi có thể thuộc một trong hai thủ tục, bạn hỏi thủ tục nào?"), "items": items,
             "field": "clarify", "key": "clarify"}]  # fmt: skip


def _phrase(response, question, docs):
    passages = [(d.title, d.text[:4000]) for d in docs]
    text = llm.phrase(question, passages)
    if not text:
        return
    problems = llm.check(text, "\n".join(source_text(d) for d in docs))
    if problems:
        response.llm_rejected = problems
        return
    response.llm_used = True
    numbered = "\n".join(
        f"  [{n}] {s['title']} — {s['url']}" for n, s in enumerate(response.sources, start=1)
    )
    response.answer = f"{text}\n{_('Nguồn:')}\n{numbered}"
    response.parts = [{"label": _("Trả lời"), "text": text, "field": "llm", "key": "llm"}, *response.parts]
