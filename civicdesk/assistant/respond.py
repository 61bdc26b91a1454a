"""Question → answer: retrieve, decide (answer, ask which record is meant, or refuse), compose (and optionally
phrase) the answer."""

import re
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import conf, llm
from .engine.compose import compose, plain, render_text, source_text
from .engine.decide import decide
from .store import get_index

SOURCES_SHOWN = 3
# What the assistant answers, said under every refusal that lists no nearest records (off topic, or nothing near), in
# the answer's text and on the page.
SCOPE_HINT = gettext_lazy(
    "Trợ lý chỉ trả lời từ cẩm nang: thủ tục hành chính, nghiệp vụ của xã, phường và các hệ thống số (VNeID, Cổng "
    "Dịch vụ công, chữ ký số)."
)
KIND_LABELS = {
    "procedure": gettext_lazy("Thủ tục"),
    "guide": gettext_lazy("Hướng dẫn"),
    "faq": gettext_lazy("Hỏi đáp"),
}


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
    mode: str = "refuse"  # "answer", "clarify" (which of these records?) or "refuse"

    @property
    def clarify(self):
        return self.mode == "clarify"

    def as_json(self):
        """{"q", "answered", "mode", "answer", "sources", "ms"}: `answered` is true for an answer and for a
        clarification (`mode` tells them apart); `sources` are in rank order."""
        return {
            "q": self.q,
            "answered": self.answered,
            "mode": self.mode,
            "answer": self.answer,
            "sources": self.sources,
            "ms": self.ms,
        }


def _source(ranked):
    d = ranked.doc
    return {"title": d.title, "kind": d.kind, "url": d.url, "score": round(ranked.score, 3), "id": d.id,
            "summary": one_line(d)}  # fmt: skip


def one_line(doc):
    """A record's one-line summary: the first sentence of its summary (or of its text when it has none)."""
    text = plain(doc.summary or doc.card.get("answer") or doc.text or "")
    text = " ".join(re.sub(r"(?m)^\s*(?:[-*+]|\d+[.)])\s+", "", text).split())  # list markers too
    match = re.search(r"(?<=[.;!?])\s", text[30:240])
    cut = text[: 30 + match.start()] if match else text[:240]
    return cut if len(cut) == len(text) or cut.endswith((".", "!", "?")) else cut.rstrip(" ,;:") + " …"


def kind_label(kind):
    return str(KIND_LABELS.get(kind, kind))


def respond(question, *, use_llm=True, index=None):
    """Answer `question` from the published handbook, ask which record is meant, or say it is not there."""
    started = time.perf_counter()
    question = " ".join((question or "").split())[:1000]
    index = index or get_index()
    analysis, ranked = index.rank(question, limit=10) if question else (None, [])
    decision = decide(index, analysis, ranked, min_confidence=conf.min_confidence())
    sources = [_source(r) for r in ranked[:SOURCES_SHOWN]]
    topic = ranked[0].doc.topic if ranked and not decision.off_topic else ""
    response = Response(question, decision.answered, "", sources, 0, confidence=round(decision.confidence, 3),
                        topic=topic, index_version=index.version, mode=decision.mode)  # fmt: skip
    if decision.mode == "clarify":
        response.sources = sources[: decision.choices]
        response.parts = clarify_parts(response.sources)
        response.answer = render_text(response.parts, response.sources)
    elif decision.mode == "answer":
        response.parts = compose(ranked[0].doc, question)
        response.answer = render_text(response.parts, sources)
        if use_llm and llm.enabled():
            _phrase(response, question, [r.doc for r in ranked[:SOURCES_SHOWN]])
    else:
        # Off topic (small talk, weather, prices…): the records nearest it would only mislead; say what the
        # assistant is for instead.
        response.sources = [] if decision.off_topic else [s for s in sources if s["score"] > 0]
        response.answer = _("Không tìm thấy câu trả lời trong cẩm nang.")
        if response.sources:
            response.answer += " " + _("Các mục gần nhất: %(titles)s.") % {
                "titles": "; ".join(s["title"] for s in response.sources)
            }
        else:  # as the page says under a refusal with no nearest records (turn.html)
            response.answer += " " + str(SCOPE_HINT)
    response.ms = max(0, round((time.perf_counter() - started) * 1000))
    return response


def clarify_parts(sources):
    """ "Có phải anh/chị hỏi về…": each candidate (rank order) with its kind, one-line summary and citation number."""
    choices = [
        {"n": n, "id": s["id"], "title": s["title"], "kind": s["kind"], "summary": s.get("summary", ""),
         "url": s["url"]}
        for n, s in enumerate(sources, start=1)
    ]  # fmt: skip
    items = [f"[{c['n']}] {kind_label(c['kind'])}: {c['title']} — {c['summary']}" for c in choices]
    return [{"label": _("Có phải anh/chị hỏi về"), "items": items, "choices": choices, "field": "clarify",
             "key": "clarify"}]  # fmt: skip


def answer_from(doc, question, *, index_version=0):
    """The full answer composed from one chosen record (a clarification's choice), as a Response in answer mode."""
    source = {"title": doc.title, "kind": doc.kind, "url": doc.url, "score": 0.0, "id": doc.id,
              "summary": one_line(doc)}  # fmt: skip
    parts = compose(doc, question)
    return Response(question, True, render_text(parts, [source]), [source], 0, parts=parts, confidence=1.0,
                    topic=doc.topic, index_version=index_version, mode="answer")  # fmt: skip


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
